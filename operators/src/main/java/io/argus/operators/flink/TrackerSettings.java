package io.argus.operators.flink;

import java.io.Serializable;
import java.util.Map;

/**
 * What the keyed operator needs to know besides its inputs.
 *
 * @param modelPath a model directory, or {@code default} for the packaged default model
 * @param frameBufferSize encoded frames kept per camera, so a START that arrives after its frame
 *     still finds it
 * @param maxPendingStarts START commands per camera held for a frame that has not arrived yet
 * @param maxTargetsPerCamera a cap so one producer cannot exhaust the task
 * @param idleTimeoutMs a camera that sends nothing (no frame, no command) for this long is
 *     forgotten: every target gets a final STOPPED update, waiting STARTs are dead-lettered and
 *     the camera's state is cleared; 0 or less keeps cameras forever
 * @param hyperOverrides tracker hyper-parameters that replace the model metadata's values
 *     (settings {@code tracker.hyper.<name>}); every name must be one the model has
 */
public record TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera,
    long idleTimeoutMs, Map<String, Double> hyperOverrides) implements Serializable {

  /** Five minutes: far longer than any network hiccup, short enough that dead cameras do not pile up. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000L;

  public TrackerSettings {
    hyperOverrides = hyperOverrides == null ? Map.of() : Map.copyOf(hyperOverrides);
  }

  /** Settings without an idle timeout or overrides of their own. */
  public TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera) {
    this(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, DEFAULT_IDLE_TIMEOUT_MS, Map.of());
  }

  public static TrackerSettings defaults(String modelPath) {
    return new TrackerSettings(modelPath, 16, 16, 64);
  }

  public TrackerSettings withIdleTimeoutMs(long timeoutMs) {
    return new TrackerSettings(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, timeoutMs,
        hyperOverrides);
  }
}
