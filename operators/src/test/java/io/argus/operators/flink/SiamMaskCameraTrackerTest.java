package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Box;
import io.argus.models.image.Point;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.mask.Segmentation;
import io.argus.operators.inference.TinySiamMaskModel;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    Map<String, List<TrackStep>> expected = OneCameraRun.direct(modelDir, starts, frames);
    List<TrackUpdate> out = OneCameraRun.throughOperator(modelDir, starts, frames);
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
  }
}
