package io.argus.models.train;

import java.util.SplittableRandom;

/**
 * A trivial pair source for tests: a noisy grey background with one coloured square, centred in
 * the exemplar and shifted by a random offset in the search crop.
 */
final class SquarePairSource implements PairSource {

  private final int maxOffset;

  SquarePairSource(int maxOffset) {
    this.maxOffset = maxOffset;
  }

  @Override
  public TrainingPair next(SplittableRandom rng) {
    float r = rng.nextInt(256);
    float g = rng.nextInt(256);
    float b = rng.nextInt(256);
    int half = 12 + rng.nextInt(12);
    int ox = maxOffset == 0 ? 0 : rng.nextInt(-maxOffset, maxOffset + 1);
    int oy = maxOffset == 0 ? 0 : rng.nextInt(-maxOffset, maxOffset + 1);
    float[] ex = crop(127, 0, 0, half, r, g, b, rng);
    float[] in = crop(255, ox, oy, half, r, g, b, rng);
    return new TrainingPair(ex, in, ox, oy);
  }

  private static float[] crop(int side, int ox, int oy, int half, float r, float g, float b, SplittableRandom rng) {
    float[] a = new float[side * side * 3];
    int cx = side / 2 + ox;
    int cy = side / 2 + oy;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int o = (y * side + x) * 3;
        if (Math.abs(x - cx) <= half && Math.abs(y - cy) <= half) {
          a[o] = r;
          a[o + 1] = g;
          a[o + 2] = b;
        } else {
          float v = 100 + rng.nextInt(56);
          a[o] = v;
          a[o + 1] = v;
          a[o + 2] = v;
        }
      }
    }
    return a;
  }
}
