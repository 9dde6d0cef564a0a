package io.argus.operators.flink;

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
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * One camera ("cam", {@link CameraTrackerTest#movingFrame}) with targets started on frame 0, run
 * two ways for a family's operator test: through {@link BatchedTracking} directly (the reference)
 * and through the keyed operator in Flink's harness.
 */
final class OneCameraRun {

  private OneCameraRun() {}

  /** Each target's steps on frames 1 .. frames-1, by target id, from BatchedTracking on the same frames. */
  static Map<String, List<TrackStep>> direct(Path modelDir, Map<String, Box> starts, int frames) {
    Map<String, List<TrackStep>> steps = new HashMap<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir)) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      List<StartRequest> requests = new ArrayList<>();
      starts.forEach((id, box) -> requests.add(new StartRequest(id, box, "car")));
      List<TargetState> targets = tracking.start(decode(0), requests, 0);
      for (int f = 1; f < frames; f++) {
        List<TrackStep> frameSteps = tracking.track(decode(f), targets, f);
        for (TrackStep s : frameSteps) {
          steps.computeIfAbsent(s.state().targetId(), k -> new ArrayList<>()).add(s);
        }
        targets = frameSteps.stream().map(TrackStep::state).toList();
      }
    }
    return steps;
  }

  /** The operator's updates for the same STARTs and frames (defaults: one call per frame). */
  static List<TrackUpdate> throughOperator(Path modelDir, Map<String, Box> starts, int frames) throws Exception {
    var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
        new CameraTracker(TrackerSettings.defaults(modelDir.toString())),
        FrameEvent::cameraId, CommandEvent::cameraId, Types.STRING);
    try {
      harness.open();
      for (Map.Entry<String, Box> s : starts.entrySet()) {
        harness.processElement2(new StreamRecord<>(CameraTrackerTest.start("cam", s.getKey(), 0, s.getValue())));
      }
      for (long seq = 0; seq < frames; seq++) {
        harness.processElement1(new StreamRecord<>(CameraTrackerTest.movingFrame("cam", seq)));
      }
      return harness.extractOutputValues();
    } finally {
      harness.close();
    }
  }

  private static RgbImage decode(long seq) {
    return RgbImage.decode(CameraTrackerTest.movingFrame("cam", seq).data());
  }
}
