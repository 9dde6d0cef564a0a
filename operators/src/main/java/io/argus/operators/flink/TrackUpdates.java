package io.argus.operators.flink;

import io.argus.models.image.Box;
import io.argus.models.image.Point;
import io.argus.operators.core.mask.RleMask;
import io.argus.operators.core.mask.Segmentation;
import io.argus.schemas.Mask;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.util.ArrayList;
import java.util.List;

/** Builds the Avro output record from tracker values. */
final class TrackUpdates {

  private TrackUpdates() {}

  static TrackUpdate of(String cameraId, String targetId, String label, String model, long frameSequence,
      long captureTimeMs, Box box, float score, TrackState state) {
    return of(cameraId, targetId, label, model, frameSequence, captureTimeMs, box, score, state, null);
  }

  /** As above, with the rotated box and mask of a mask-producing family (null: none). */
  static TrackUpdate of(String cameraId, String targetId, String label, String model, long frameSequence,
      long captureTimeMs, Box box, float score, TrackState state, Segmentation segmentation) {
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
        .setRotatedBox(segmentation == null ? null : corners(segmentation))
        .setMask(segmentation == null ? null : mask(segmentation.mask()))
        .build();
  }

  private static List<io.argus.schemas.Point> corners(Segmentation s) {
    List<io.argus.schemas.Point> out = new ArrayList<>(4);
    for (Point p : s.rotatedBox().corners()) {
      out.add(new io.argus.schemas.Point((float) p.x(), (float) p.y()));
    }
    return out;
  }

  private static Mask mask(RleMask m) {
    int[] counts = m.counts();
    List<Integer> runs = new ArrayList<>(counts.length);
    for (int c : counts) {
      runs.add(c);
    }
    return new Mask(m.x(), m.y(), m.width(), m.height(), runs);
  }
}
