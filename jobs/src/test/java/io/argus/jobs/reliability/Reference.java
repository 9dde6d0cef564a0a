package io.argus.jobs.reliability;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The tracker run directly, without Flink or Kafka: the same core and model the job runs, over
 * exactly the frames the job should have tracked. The tracker is deterministic, so the job's
 * boxes must equal these whatever happened around it (bad input on other cameras, restarts,
 * restores).
 */
final class Reference implements AutoCloseable {

  /** Float32 on the wire: boxes agree to far better than this when the same frames were tracked. */
  static final double TOLERANCE = 1e-3;

  private final SavedModelRunner model;
  private final BatchedTracking tracking;

  Reference(Path modelDir) {
    model = SavedModelRunner.load(modelDir);
    tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
  }

  /**
   * Boxes per target per frame: every target starts on {@code frames.get(0)} with its box, then
   * is tracked through the rest of {@code frames} in order.
   */
  Map<String, Map<Long, Box>> run(Map<String, Box> starts, List<Long> frames, LongFunction<byte[]> encoded) {
    Map<String, Map<Long, Box>> out = new LinkedHashMap<>();
    List<StartRequest> requests = new ArrayList<>();
    starts.forEach((target, box) -> {
      requests.add(new StartRequest(target, box, null));
      out.put(target, new HashMap<>());
    });
    long first = frames.get(0);
    List<TargetState> states = tracking.start(RgbImage.decode(encoded.apply(first)), requests, first);
    states.forEach(s -> out.get(s.targetId()).put(first, s.box()));
    for (long seq : frames.subList(1, frames.size())) {
      List<TrackStep> steps = tracking.track(RgbImage.decode(encoded.apply(seq)), states, seq);
      states = new ArrayList<>();
      for (TrackStep step : steps) {
        states.add(step.state());
        out.get(step.state().targetId()).put(seq, step.box());
      }
    }
    return out;
  }

  /** Largest coordinate difference between an update and the reference box of its frame. */
  static double difference(TrackUpdate u, Box reference) {
    var b = u.getBox();
    return Math.max(Math.max(Math.abs(b.getX() - reference.x()), Math.abs(b.getY() - reference.y())),
        Math.max(Math.abs(b.getWidth() - reference.width()), Math.abs(b.getHeight() - reference.height())));
  }

  static double iou(TrackUpdate u, Box truth) {
    var b = u.getBox();
    return new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight()).iou(truth);
  }

  @Override
  public void close() {
    model.close();
  }
}
