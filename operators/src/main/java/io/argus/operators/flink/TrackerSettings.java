package io.argus.operators.flink;

import java.io.Serializable;

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
 */
public record TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera,
    long idleTimeoutMs) implements Serializable {

  /** Five minutes: far longer than any network hiccup, short enough that dead cameras do not pile up. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000L;

  /** Settings without an idle timeout of their own: {@link #DEFAULT_IDLE_TIMEOUT_MS}. */
  public TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera) {
    this(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, DEFAULT_IDLE_TIMEOUT_MS);
  }

  public static TrackerSettings defaults(String modelPath) {
    return new TrackerSettings(modelPath, 16, 16, 64, DEFAULT_IDLE_TIMEOUT_MS);
  }

  public TrackerSettings withIdleTimeoutMs(long timeoutMs) {
    return new TrackerSettings(modelPath, frameBufferSize, maxPendingStarts, maxTargetsPerCamera, timeoutMs);
  }
}
