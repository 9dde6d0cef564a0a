package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Box;
import io.argus.operators.core.TrackStep;
import io.argus.operators.inference.TinySiamRpnModel;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    Map<String, List<TrackStep>> expected = OneCameraRun.direct(modelDir, starts, frames);
    List<TrackUpdate> out = OneCameraRun.throughOperator(modelDir, starts, frames);
    assertThat(out).hasSize(2 * frames);
    for (TrackUpdate u : out) {
      assertThat(u.getState()).isEqualTo(TrackState.TRACKING);
      assertThat(u.getModel()).isEqualTo("tiny-siamrpn");
      int f = (int) u.getFrameSequence();
      if (f == 0) {
        continue; // the start frame reports the start box
      }
      Box e = expected.get(u.getTargetId()).get(f - 1).box();
      String what = u.getTargetId() + " at frame " + f;
      assertThat((double) u.getBox().getX()).as(what).isCloseTo(e.x(), within(1e-3));
      assertThat((double) u.getBox().getY()).as(what).isCloseTo(e.y(), within(1e-3));
      assertThat((double) u.getBox().getWidth()).as(what).isCloseTo(e.width(), within(1e-3));
      assertThat((double) u.getBox().getHeight()).as(what).isCloseTo(e.height(), within(1e-3));
    }
  }
}
