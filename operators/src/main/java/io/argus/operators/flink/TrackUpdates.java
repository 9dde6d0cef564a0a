package io.argus.operators.flink;

import io.argus.models.image.Box;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;

/** Builds the Avro output record from tracker values. */
final class TrackUpdates {

  private TrackUpdates() {}

  static TrackUpdate of(String cameraId, String targetId, String label, String model, long frameSequence,
      long captureTimeMs, Box box, float score, TrackState state) {
    return TrackUpdate.newBuilder()
        .setCameraId(cameraId)
        .setTargetId(targetId)
        .setLabel(label)
        .setModel(model)
        .setFrameSequence(frameSequence)
        .setCaptureTimeMs(captureTimeMs)
        .setProcessingTimeMs(System.currentTimeMillis())
        .setBox(new io.argus.schemas.Box((float) box.x(), (float) box.y(), (float) box.width(), (float) box.height()))
        .setScore(score)
        .setState(state)
        .setRotatedBox(null)
        .setMask(null)
        .build();
  }
}
