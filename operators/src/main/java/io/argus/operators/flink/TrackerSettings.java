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
 * @param batchMaxCrops search crops (targets x crops per target, over frames of several cameras)
 *     that make a model call go out at once; a single frame with more crops still goes whole
 * @param batchMaxWaitMs longest a frame waits for others to share its model call; 0 sends every
 *     frame's call at once (one call per frame, as before cross-camera batching)
 * @param shedding which frames a camera that has fallen behind skips
 */
public record TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera,
    long idleTimeoutMs, Map<String, Double> hyperOverrides, int batchMaxCrops, long batchMaxWaitMs,
    LoadShedding shedding) implements Serializable {

  /** Five minutes: far longer than any network hiccup, short enough that dead cameras do not pile up. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000L;

  public TrackerSettings {
    hyperOverrides = hyperOverrides == null ? Map.of() : Map.copyOf(hyperOverrides);
    shedding = shedding == null ? LoadShedding.none() : shedding;
    if (batchMaxCrops < 1) {
      throw new IllegalArgumentException("batchMaxCrops must be at least 1, got " + batchMaxCrops);
    }
    if (batchMaxWaitMs < 0) {
      throw new IllegalArgumentException("batchMaxWaitMs must be >= 0, got " + batchMaxWaitMs);
    }
  }

  /** One model call per frame, nothing shed: the operator as it was before cross-camera batching. */
  public TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera,
      long idleTimeoutMs, Map<String, Double> hyperOverrides) {
    this(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, idleTimeoutMs, hyperOverrides, 1, 0,
        LoadShedding.none());
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
        hyperOverrides, batchMaxCrops, batchMaxWaitMs, shedding);
  }

  /** Frames of several cameras share a model call up to maxCrops search crops or maxWaitMs of waiting. */
  public TrackerSettings withBatching(int maxCrops, long maxWaitMs) {
    return new TrackerSettings(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, idleTimeoutMs,
        hyperOverrides, maxCrops, maxWaitMs, shedding);
  }

  public TrackerSettings withShedding(LoadShedding policy) {
    return new TrackerSettings(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, idleTimeoutMs,
        hyperOverrides, batchMaxCrops, batchMaxWaitMs, policy);
  }
}
