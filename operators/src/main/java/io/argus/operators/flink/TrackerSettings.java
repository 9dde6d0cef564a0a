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
 */
public record TrackerSettings(String modelPath, int frameBufferSize, int maxPendingStarts, int maxTargetsPerCamera)
    implements Serializable {

  public static TrackerSettings defaults(String modelPath) {
    return new TrackerSettings(modelPath, 16, 16, 64);
  }
}
