package io.argus.operators.core.mask;

import java.util.Arrays;

/**
 * A binary mask over a region of the frame, run-length encoded as COCO does and as the Avro
 * {@code Mask} carries it: pixels in column-major order (down the first column, then the next),
 * runs alternating 0s and 1s starting with a run of 0s, which may be empty.
 *
 * @param x left column of the region in the frame
 * @param y top row of the region in the frame
 * @param width region width in pixels
 * @param height region height in pixels
 * @param counts run lengths, summing to width * height (copied in and out)
 */
public record RleMask(int x, int y, int width, int height, int[] counts) {

  public RleMask {
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("a mask region needs a non-negative size, got " + width + "x" + height);
    }
    if (counts == null) {
      throw new IllegalArgumentException("a mask needs its run lengths (an empty array for an empty region)");
    }
    counts = counts.clone();
    long sum = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException("run " + i + " of the mask is negative (" + counts[i] + ")");
      }
      sum += counts[i];
    }
    if (sum != (long) width * height) {
      throw new IllegalArgumentException("the mask's runs sum to " + sum + " pixels but its region " + width + "x"
          + height + " has " + (long) width * height + "; runs cover the region column by column");
    }
  }

  /** Encodes a row-major bitmap (index row * width + column) of the region at (x, y). */
  public static RleMask encode(boolean[] rowMajor, int x, int y, int width, int height) {
    if (rowMajor.length != width * height) {
      throw new IllegalArgumentException("a " + width + "x" + height + " region needs " + width * height
          + " mask values, got " + rowMajor.length);
    }
    int[] runs = new int[16];
    int n = 0;
    boolean current = false;
    int run = 0;
    for (int c = 0; c < width; c++) {
      for (int r = 0, i = c; r < height; r++, i += width) {
        if (rowMajor[i] != current) {
          if (n == runs.length) {
            runs = Arrays.copyOf(runs, 2 * n);
          }
          runs[n++] = run;
          run = 0;
          current = !current;
        }
        run++;
      }
    }
    if (run > 0 || n == 0) {
      if (n == runs.length) {
        runs = Arrays.copyOf(runs, n + 1);
      }
      runs[n++] = run;
    }
    return new RleMask(x, y, width, height, Arrays.copyOf(runs, n));
  }

  /** The region's bitmap, row-major (index row * width + column). */
  public boolean[] decode() {
    boolean[] out = new boolean[width * height];
    int p = 0;
    boolean value = false;
    for (int count : counts) {
      if (value) {
        for (int k = p; k < p + count; k++) {
          out[(k % height) * width + k / height] = true;
        }
      }
      p += count;
      value = !value;
    }
    return out;
  }

  /** Number of pixels set. */
  public int area() {
    int a = 0;
    for (int i = 1; i < counts.length; i += 2) {
      a += counts[i];
    }
    return a;
  }

  @Override
  public int[] counts() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RleMask m && m.x == x && m.y == y && m.width == width && m.height == height
        && Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * (31 * x + y) + width) + height) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "RleMask[x=" + x + ", y=" + y + ", width=" + width + ", height=" + height + ", runs=" + counts.length
        + ", area=" + area() + "]";
  }
}
