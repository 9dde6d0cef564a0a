package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.siamfc.BackboneConfig;
import io.argus.models.siamfc.SiamFcModel;
import io.argus.models.siamfc.SiamFcWeights;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real SiamFC AlexNet graph (slim widths, untrained, seeded weights) exported by the models
 * module, tracked by SiamFcTracker: an untrained Siamese network already matches a target whose
 * appearance does not change, so this checks the crop / response / displacement geometry end
 * to end on the real network's stride and receptive field.
 */
class SiamFcModelTrackingTest {

  @TempDir Path tmp;

  private static final int W = 320;
  private static final int H = 240;

  /** Noisy background and a textured 40x40 target (random 8x8 colour blocks) centred at (cx, cy). */
  static RgbImage frame(byte[] background, float[][] texture, double cx, double cy) {
    byte[] rgb = background.clone();
    int x0 = (int) Math.round(cx - 20);
    int y0 = (int) Math.round(cy - 20);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        int fx = x0 + x;
        int fy = y0 + y;
        if (fx >= 0 && fy >= 0 && fx < W && fy < H) {
          float[] colour = texture[(y / 8) * 5 + x / 8];
          for (int c = 0; c < 3; c++) {
            rgb[(fy * W + fx) * 3 + c] = (byte) colour[c];
          }
        }
      }
    }
    return new RgbImage(W, H, rgb);
  }

  @Test
  void untrainedSlimSiamFcFollowsAMovingTexturedSquare() {
    Path dir = tmp.resolve("siamfc-slim");
    SiamFcModel.export(dir, BackboneConfig.SLIM, SiamFcWeights.initial(BackboneConfig.SLIM, 42), "slim-untrained",
        Map.of("seed", "42"));
    Random rng = new Random(3);
    byte[] background = new byte[W * H * 3];
    for (int i = 0; i < background.length; i++) {
      background[i] = (byte) (90 + rng.nextInt(40));
    }
    float[][] texture = new float[25][3];
    for (float[] t : texture) {
      for (int c = 0; c < 3; c++) {
        t[c] = rng.nextInt(256);
      }
    }
    try (SavedModelRunner model = SavedModelRunner.load(dir)) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      double x = 90;
      double y = 80;
      List<TargetState> targets = tracking.start(frame(background, texture, x, y),
          List.of(new StartRequest("square", Box.fromCentre(x, y, 40, 40), null)), 0);
      double worst = 0;
      long start = System.nanoTime();
      int frames = 20;
      for (int f = 1; f <= frames; f++) {
        x += 4;
        y += 3;
        TrackStep step = tracking.track(frame(background, texture, x, y), targets, f).get(0);
        targets = List.of(step.state());
        worst = Math.max(worst, Math.hypot(step.box().cx() - x, step.box().cy() - y));
      }
      double msPerFrame = (System.nanoTime() - start) / 1e6 / frames;
      System.out.printf("untrained slim SiamFC: worst centre error %.1f px over %d frames (moved 80 x 60 px), "
          + "final size %.1f x %.1f, %.0f ms/frame on this machine%n", worst, frames, targets.get(0).width(),
          targets.get(0).height(), msPerFrame);
      assertThat(worst).isLessThan(8);
      assertThat(targets.get(0).width()).isBetween(30.0, 55.0);
    }
  }
}
