package io.argus.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairSourcesTest {

  @TempDir Path tmp;

  @Test
  void cropsPutTheTargetWhereTheOffsetSays() {
    // a 40x40 white square at a known place on black: crop geometry can be read off the pixels
    byte[] rgb = new byte[300 * 200 * 3];
    for (int y = 60; y < 100; y++) {
      for (int x = 150; x < 190; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 300 + x) * 3 + c] = (byte) 255;
        }
      }
    }
    RgbImage img = new RgbImage(300, 200, rgb);
    Box target = new Box(150, 60, 40, 40);
    PairSettings settings = PairSettings.siamfc().exact().withMaxShift(16);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 10; i++) {
      TrainingPair p = SiamesePairs.cut(img, target, img, target, settings, rng);
      assertThat(Math.abs(p.offsetX())).isLessThanOrEqualTo(16);
      // context side = sqrt(80*80) = 80 source px -> 127 crop px: the square is 63.5 px wide
      double[] ez = brightBox(p.exemplar(), 127);
      assertThat(ez[0]).isCloseTo(63.5, org.assertj.core.data.Offset.offset(1.0));
      assertThat(ez[1]).isCloseTo(63.5, org.assertj.core.data.Offset.offset(1.0));
      assertThat(ez[2]).isCloseTo(63.5, org.assertj.core.data.Offset.offset(1.5));
      double[] xz = brightBox(p.instance(), 255);
      assertThat(xz[0]).isCloseTo(127.5 + p.offsetX(), org.assertj.core.data.Offset.offset(1.0));
      assertThat(xz[1]).isCloseTo(127.5 + p.offsetY(), org.assertj.core.data.Offset.offset(1.0));
      assertThat(xz[2]).isCloseTo(63.5, org.assertj.core.data.Offset.offset(1.5));
    }
  }

  @Test
  void scenePairsAreReproducibleAndLabelledRight() {
    ScenePairSource source = new ScenePairSource(11, 4, 30, PairSettings.siamfc().withMaxShift(16));
    TrainingPair a = source.next(new SplittableRandom(5));
    TrainingPair b = source.next(new SplittableRandom(5));
    assertThat(a.instance()).isEqualTo(b.instance());
    assertThat(a.offsetX()).isEqualTo(b.offsetX());
    assertThat(labelledLocationWins(source, 40, new SplittableRandom(9))).isGreaterThanOrEqualTo(0.7);
  }

  @Test
  void sequencePairsFromAFolderWrittenOneBased() throws IOException {
    // footage with exact truth written in OTB form: the 1-based round trip must land on the object
    SyntheticScene scene = new SyntheticScene(SceneSpec.of(320, 240, 3, 21).withNoise(1));
    Path dir = tmp.resolve("scene21");
    Files.createDirectories(dir.resolve("img"));
    StringBuilder gt = new StringBuilder();
    for (int t = 0; t < 24; t++) {
      SceneFrame f = scene.frame(t);
      Files.write(dir.resolve("img").resolve(String.format("%04d.png", t + 1)), ImageEncoding.png(f.image()));
      Box b = f.truths().get(0);
      gt.append(b.x() + 1).append(',').append(b.y() + 1).append(',').append(b.width()).append(',').append(b.height()).append('\n');
    }
    Files.writeString(dir.resolve("groundtruth_rect.txt"), gt);
    SequencePairSource source = new SequencePairSource(List.of(Sequence.open(dir)), 10, PairSettings.siamfc().exact().withMaxShift(16));
    assertThat(labelledLocationWins(source, 20, new SplittableRandom(1))).isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void sharedFootagePairs() {
    Path root = SharedData.sequences();
    Assumptions.assumeTrue(Files.isDirectory(root), "skipped: ../shared/data absent");
    SequencePairSource source = SequencePairSource.open(List.of(root.resolve("Crossing"), root.resolve("Girl")));
    assertThat(source.sequences()).hasSize(2);
    assertThat(labelledLocationWins(source, 20, new SplittableRandom(2))).isGreaterThanOrEqualTo(0.7);
  }

  @Test
  void mixedSourceFollowsTheWeights() {
    TrainingPair one = new TrainingPair(new float[1], new float[1], 1, 0);
    TrainingPair two = new TrainingPair(new float[1], new float[1], 2, 0);
    MixedPairSource mix = new MixedPairSource(List.of(r -> one, r -> two), List.of(3.0, 1.0));
    SplittableRandom rng = new SplittableRandom(4);
    int ones = 0;
    for (int i = 0; i < 4000; i++) {
      ones += mix.next(rng).offsetX() == 1 ? 1 : 0;
    }
    assertThat(ones / 4000.0).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.03));
  }

  /**
   * Fraction of pairs in which the exemplar's central patch matches the search crop better at
   * the labelled target position than 48 px away from it (sum of absolute differences).
   */
  private static double labelledLocationWins(io.argus.models.train.PairSource source, int pairs, SplittableRandom rng) {
    int wins = 0;
    for (int i = 0; i < pairs; i++) {
      TrainingPair p = source.next(rng);
      int cx = (int) Math.round(127 + p.offsetX());
      int cy = (int) Math.round(127 + p.offsetY());
      double atLabel = sad(p, cx, cy);
      int ox = cx + (cx < 127 ? 48 : -48);
      if (atLabel < sad(p, ox, cy)) {
        wins++;
      }
    }
    return wins / (double) pairs;
  }

  private static double sad(TrainingPair p, int cx, int cy) {
    double sum = 0;
    for (int dy = -24; dy < 24; dy++) {
      for (int dx = -24; dx < 24; dx++) {
        for (int c = 0; c < 3; c++) {
          float e = p.exemplar()[((63 + dy) * 127 + 63 + dx) * 3 + c];
          float x = p.instance()[((cy + dy) * 255 + cx + dx) * 3 + c];
          sum += Math.abs(e - x);
        }
      }
    }
    return sum;
  }

  /** Centre x, centre y and width of the pixels brighter than half. */
  private static double[] brightBox(float[] crop, int side) {
    double sx = 0;
    double sy = 0;
    double n = 0;
    int minX = side;
    int maxX = -1;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (crop[(y * side + x) * 3] > 127.5f) {
          sx += x + 0.5;
          sy += y + 0.5;
          n++;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
    }
    return new double[] {sx / n, sy / n, maxX + 1 - minX};
  }
}
