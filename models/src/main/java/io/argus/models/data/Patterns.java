package io.argus.models.data;

import java.util.SplittableRandom;

/**
 * Procedural textures: lattice value noise and the surface patterns of object kinds. Everything
 * is a pure function of its arguments so a scene renders the same from any thread.
 */
final class Patterns {

  private Patterns() {}

  /** Surface pattern families; objects of one kind share family, palette and period. */
  enum Family { CHECKER, STRIPES, RINGS, BLOBS, SPOTS, BANDS }

  /** A kind's look: pattern family, three palette colours (RGB 0..255), period, angle, shape. */
  record Look(Family family, float[][] palette, double period, double angle, boolean ellipse, double aspect, long noiseSeed) {

    static Look random(SplittableRandom rng) {
      Family family = Family.values()[rng.nextInt(Family.values().length)];
      float[][] palette = new float[3][];
      double hue = rng.nextDouble();
      for (int i = 0; i < 3; i++) {
        // spread hues so the three colours differ, with random saturation/value for contrast
        double h = hue + i * (0.18 + 0.3 * rng.nextDouble());
        palette[i] = hsv(h, 0.35 + 0.6 * rng.nextDouble(), 0.25 + 0.75 * rng.nextDouble());
      }
      double period = 6 + 18 * rng.nextDouble();
      double angle = rng.nextDouble() * Math.PI;
      boolean ellipse = rng.nextBoolean();
      double aspect = Math.exp((rng.nextDouble() * 2 - 1) * Math.log(2.2));
      return new Look(family, palette, period, angle, ellipse, aspect, rng.nextLong());
    }

    /** A look-alike: same family, period and shape, colours shifted a little. */
    Look variant(SplittableRandom rng, double colourJitter) {
      float[][] p = new float[3][3];
      for (int i = 0; i < 3; i++) {
        for (int c = 0; c < 3; c++) {
          p[i][c] = clamp(palette[i][c] + (float) ((rng.nextDouble() * 2 - 1) * colourJitter));
        }
      }
      return new Look(family, p, period * (0.9 + 0.2 * rng.nextDouble()), angle + (rng.nextDouble() - 0.5) * 0.4, ellipse, aspect, noiseSeed);
    }
  }

  /**
   * Writes the pattern colour at local position (u, v) (pixels, origin at the object centre) into
   * out[0..2]; phase shifts the pattern so look-alikes are not pixel-identical.
   */
  static void colour(Look look, double u, double v, double phase, float[] out) {
    float[][] p = look.palette;
    double per = look.period;
    double t;
    int a;
    int b;
    switch (look.family) {
      case CHECKER -> {
        long cx = (long) Math.floor((u + phase) / per);
        long cy = (long) Math.floor((v + phase * 0.7) / per);
        int cell = (int) ((cx + cy) & 1);
        boolean accent = ((cx * 7 + cy * 13) % 5) == 0;
        mix(p[accent ? 2 : cell], p[accent ? 2 : cell], 0, out);
        return;
      }
      case STRIPES -> {
        double s = u * Math.cos(look.angle) + v * Math.sin(look.angle);
        t = 0.5 + 0.5 * Math.sin(2 * Math.PI * (s / per + phase / per));
        a = 0;
        b = 1;
        t = smooth(t);
      }
      case RINGS -> {
        double r = Math.hypot(u, v);
        if (r < per * 0.6) {
          mix(p[2], p[2], 0, out);
          return;
        }
        t = smooth(0.5 + 0.5 * Math.sin(2 * Math.PI * r / per + phase));
        a = 0;
        b = 1;
      }
      case BLOBS -> {
        double n = fractal(u / (per * 1.5) + phase, v / (per * 1.5), look.noiseSeed, 3);
        if (n < 0.42) {
          a = 0;
          b = 0;
          t = 0;
        } else if (n < 0.58) {
          a = 0;
          b = 1;
          t = (n - 0.42) / 0.16;
        } else {
          a = 1;
          b = 2;
          t = Math.min(1, (n - 0.58) / 0.1);
        }
      }
      case SPOTS -> {
        double gx = (u + phase) / per;
        double gy = v / per;
        double row = Math.floor(gy);
        gx += ((long) row & 1) * 0.5; // staggered rows
        double dx = gx - Math.floor(gx) - 0.5;
        double dy = gy - row - 0.5;
        double d = Math.hypot(dx, dy);
        t = d < 0.28 ? 1 : d < 0.34 ? (0.34 - d) / 0.06 : 0;
        a = 0;
        b = ((long) row % 3 == 0) ? 2 : 1;
      }
      case BANDS -> {
        double s = v + phase * 0.3;
        int band = (int) Math.floorMod((long) Math.floor(s / (per * 1.4)), 3);
        mix(p[band], p[band], 0, out);
        return;
      }
      default -> throw new IllegalStateException(look.family.name());
    }
    mix(p[a], p[b], (float) t, out);
  }

  /** Smooth lattice noise in [0, 1). */
  static double valueNoise(double x, double y, long seed) {
    double fx = Math.floor(x);
    double fy = Math.floor(y);
    long ix = (long) fx;
    long iy = (long) fy;
    double tx = fade(x - fx);
    double ty = fade(y - fy);
    double v00 = lattice(ix, iy, seed);
    double v10 = lattice(ix + 1, iy, seed);
    double v01 = lattice(ix, iy + 1, seed);
    double v11 = lattice(ix + 1, iy + 1, seed);
    double top = v00 + (v10 - v00) * tx;
    double bottom = v01 + (v11 - v01) * tx;
    return top + (bottom - top) * ty;
  }

  /** Octaves of value noise, each twice as fine and half as strong; result in [0, 1). */
  static double fractal(double x, double y, long seed, int octaves) {
    double sum = 0;
    double amp = 1;
    double norm = 0;
    for (int o = 0; o < octaves; o++) {
      sum += amp * valueNoise(x, y, seed + o * 0x9E3779B97F4A7C15L);
      norm += amp;
      amp *= 0.5;
      x *= 2.03;
      y *= 2.03;
    }
    return sum / norm;
  }

  static double lattice(long ix, long iy, long seed) {
    return (mix64(ix * 0x632BE59BD9B4E019L + iy * 0x85157AF5L + seed) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64 finaliser: a good 64-bit hash. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static float[] hsv(double h, double s, double v) {
    h = (h - Math.floor(h)) * 6;
    int i = (int) h;
    double f = h - i;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double r;
    double g;
    double b;
    switch (i % 6) {
      case 0 -> { r = v; g = t; b = p; }
      case 1 -> { r = q; g = v; b = p; }
      case 2 -> { r = p; g = v; b = t; }
      case 3 -> { r = p; g = q; b = v; }
      case 4 -> { r = t; g = p; b = v; }
      default -> { r = v; g = p; b = q; }
    }
    return new float[] {(float) (r * 255), (float) (g * 255), (float) (b * 255)};
  }

  static float clamp(float v) {
    return v < 0 ? 0 : Math.min(255, v);
  }

  private static double fade(double t) {
    return t * t * (3 - 2 * t);
  }

  private static double smooth(double t) {
    return t * t * (3 - 2 * t);
  }

  private static void mix(float[] a, float[] b, float t, float[] out) {
    out[0] = a[0] + (b[0] - a[0]) * t;
    out[1] = a[1] + (b[1] - a[1]) * t;
    out[2] = a[2] + (b[2] - a[2]) * t;
  }
}
