package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Box;
import io.argus.models.image.Point;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import io.argus.operators.core.mask.Segmentation;
import io.argus.operators.inference.SavedModelRunner;
import io.argus.operators.inference.TinySiamMaskModel;
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
 * The keyed operator on a tiny seeded SiamMask SavedModel: two targets of one camera, each update
 * carrying the box, rotated box and RLE mask that BatchedTracking (track + mask call) gives on the
 * same frames.
 */
class SiamMaskCameraTrackerTest {

  @TempDir Path tmp;

  @Test
  void updatesCarryTheRotatedBoxAndMaskOfTheBatchedTracker() throws Exception {
    Path modelDir = TinySiamMaskModel.export(tmp.resolve("siammask"));
    Map<String, Box> starts = Map.of("a", CameraTrackerTest.truth(0), "b", Box.fromCentre(200, 150, 50, 30));
    int frames = 4;

    Map<String, List<TrackStep>> expected = new HashMap<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir)) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      List<StartRequest> requests = new ArrayList<>();
      starts.forEach((id, box) -> requests.add(new StartRequest(id, box, "car")));
      List<TargetState> targets = tracking.start(decode(0), requests, 0);
      for (int f = 1; f < frames; f++) {
        List<TrackStep> steps = tracking.track(decode(f), targets, f);
        for (TrackStep s : steps) {
          expected.computeIfAbsent(s.state().targetId(), k -> new ArrayList<>()).add(s);
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
      int withMask = 0;
      for (TrackUpdate u : out) {
        assertThat(u.getModel()).isEqualTo("tiny-siammask");
        int f = (int) u.getFrameSequence();
        if (f == 0) {
          assertThat(u.getMask()).isNull(); // the start frame reports the start box only
          continue;
        }
        TrackStep e = expected.get(u.getTargetId()).get(f - 1);
        String what = u.getTargetId() + " at frame " + f;
        assertThat(u.getState()).isEqualTo(TrackState.TRACKING);
        assertThat((double) u.getBox().getX()).as(what).isCloseTo(e.box().x(), within(1e-3));
        assertThat((double) u.getBox().getY()).as(what).isCloseTo(e.box().y(), within(1e-3));
        Segmentation s = e.segmentation();
        if (s == null) {
          assertThat(u.getMask()).as(what).isNull();
          assertThat(u.getRotatedBox()).as(what).isNull();
          continue;
        }
        withMask++;
        assertThat(u.getMask().getX()).as(what).isEqualTo(s.mask().x());
        assertThat(u.getMask().getY()).as(what).isEqualTo(s.mask().y());
        assertThat(u.getMask().getWidth()).as(what).isEqualTo(s.mask().width());
        assertThat(u.getMask().getHeight()).as(what).isEqualTo(s.mask().height());
        assertThat(u.getMask().getCounts()).as(what).containsExactlyElementsOf(
            java.util.Arrays.stream(s.mask().counts()).boxed().toList());
        List<Point> corners = s.rotatedBox().corners();
        assertThat(u.getRotatedBox()).as(what).hasSize(4);
        for (int k = 0; k < 4; k++) {
          assertThat((double) u.getRotatedBox().get(k).getX()).isCloseTo(corners.get(k).x(), within(1e-3));
          assertThat((double) u.getRotatedBox().get(k).getY()).isCloseTo(corners.get(k).y(), within(1e-3));
        }
      }
      assertThat(withMask).as("updates with a mask").isGreaterThan(0);
    } finally {
      harness.close();
    }
  }

  private static RgbImage decode(long seq) {
    return RgbImage.decode(CameraTrackerTest.movingFrame("cam", seq).data());
  }
}
