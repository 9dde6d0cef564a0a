package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import io.argus.operators.inference.TinySiamRpnModel;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed operator on a small seeded SiamRPN SavedModel: two targets of one camera tracked in
 * the same batched calls, each update equal to what BatchedTracking gives on the same frames.
 */
class SiamRpnCameraTrackerTest {

  @TempDir Path tmp;

  @Test
  void updatesEqualTheBatchedTrackerRunDirectly() throws Exception {
    Path modelDir = TinySiamRpnModel.export(tmp.resolve("siamrpn"));
    Map<String, Box> starts = Map.of("a", CameraTrackerTest.truth(0), "b", Box.fromCentre(200, 150, 50, 30));
    int frames = 6;

    // the reference: the same frames (decoded from the same PNG bytes) through BatchedTracking
    Map<String, List<Box>> expected = new HashMap<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir)) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      List<StartRequest> requests = new ArrayList<>();
      starts.forEach((id, box) -> requests.add(new StartRequest(id, box, "car")));
      List<TargetState> targets = tracking.start(decode(0), requests, 0);
      for (int f = 1; f < frames; f++) {
        List<TrackStep> steps = tracking.track(decode(f), targets, f);
        for (TrackStep s : steps) {
          expected.computeIfAbsent(s.state().targetId(), k -> new ArrayList<>()).add(s.box());
        }
        targets = steps.stream().map(TrackStep::state).toList();
      }
    }

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
      List<TrackUpdate> out = harness.extractOutputValues();
      assertThat(out).hasSize(2 * frames);
      for (TrackUpdate u : out) {
        assertThat(u.getState()).isEqualTo(TrackState.TRACKING);
        assertThat(u.getModel()).isEqualTo("tiny-siamrpn");
        int f = (int) u.getFrameSequence();
        if (f == 0) {
          continue; // the start frame reports the start box
        }
        Box e = expected.get(u.getTargetId()).get(f - 1);
        String what = u.getTargetId() + " at frame " + f;
        assertThat((double) u.getBox().getX()).as(what).isCloseTo(e.x(), within(1e-3));
        assertThat((double) u.getBox().getY()).as(what).isCloseTo(e.y(), within(1e-3));
        assertThat((double) u.getBox().getWidth()).as(what).isCloseTo(e.width(), within(1e-3));
        assertThat((double) u.getBox().getHeight()).as(what).isCloseTo(e.height(), within(1e-3));
      }
    } finally {
      harness.close();
    }
  }

  private static RgbImage decode(long seq) {
    return RgbImage.decode(CameraTrackerTest.movingFrame("cam", seq).data());
  }
}
