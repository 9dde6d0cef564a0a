package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStatus;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole inference path on a real (tiny) SavedModel: crops, one batched call per frame, SiamFC post-processing. */
class TinyModelTrackingTest {

  @TempDir Path tmp;

  /** Dark 320x240 frame with two bright squares of 40 pixels: one moving, one still. */
  static RgbImage frame(double movingX, double movingY) {
    byte[] rgb = new byte[320 * 240 * 3];
    Arrays.fill(rgb, (byte) 30);
    square(rgb, movingX, movingY, (byte) 220);
    square(rgb, 250, 180, (byte) 160);
    return new RgbImage(320, 240, rgb);
  }

  static void square(byte[] rgb, double cx, double cy, byte v) {
    for (int y = (int) Math.round(cy - 20); y < Math.round(cy + 20); y++) {
      for (int x = (int) Math.round(cx - 20); x < Math.round(cx + 20); x++) {
        if (x >= 0 && y >= 0 && x < 320 && y < 240) {
          Arrays.fill(rgb, (y * 320 + x) * 3, (y * 320 + x) * 3 + 3, v);
        }
      }
    }
  }

  @Test
  void followsAMovingSquareAndKeepsAStillOne() throws IOException {
    try (SavedModelRunner model = SavedModelRunner.load(TinyXcorrModel.export(tmp.resolve("m"), Map.of()))) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      List<TargetState> targets = tracking.start(frame(80, 70), List.of(
          new StartRequest("moving", Box.fromCentre(80, 70, 40, 40), null),
          new StartRequest("still", Box.fromCentre(250, 180, 40, 40), null)), 0);
      double worstMoving = 0;
      double worstStill = 0;
      for (int f = 1; f <= 25; f++) {
        double x = 80 + 3 * f;
        double y = 70 + 2 * f;
        List<TrackStep> steps = tracking.track(frame(x, y), targets, f);
        targets = new ArrayList<>();
        for (TrackStep s : steps) {
          assertThat(s.status()).isEqualTo(TrackStatus.TRACKING);
          targets.add(s.state());
        }
        worstMoving = Math.max(worstMoving, Math.hypot(steps.get(0).box().cx() - x, steps.get(0).box().cy() - y));
        worstStill = Math.max(worstStill, Math.hypot(steps.get(1).box().cx() - 250, steps.get(1).box().cy() - 180));
      }
      System.out.printf("tiny model: worst centre error moving %.1f px, still %.1f px; final sizes %.1f, %.1f%n",
          worstMoving, worstStill, targets.get(0).width(), targets.get(1).width());
      // the square moved 75 x 50 pixels; one response cell is 16 crop pixels, about 10 frame pixels
      assertThat(worstMoving).isLessThan(10);
      assertThat(worstStill).isLessThan(5);
      assertThat(targets.get(0).width()).isBetween(28.0, 56.0);
      assertThat(targets.get(0).framesTracked()).isEqualTo(25);
    }
  }
}
