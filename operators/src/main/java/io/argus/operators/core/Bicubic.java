package io.argus.operators.core;

/**
 * Bicubic resize of a square single-channel map, matching OpenCV's {@code cv2.resize(...,
 * INTER_CUBIC)} that siamfc-pytorch uses to upsample the response: half-pixel centres (destination
 * pixel d samples source coordinate (d + 0.5) * src/dst - 0.5), Keys' cubic convolution kernel with
 * OpenCV's a = -0.75 (PIL and MATLAB use -0.5), replicated border. Separable: rows, then columns.
 *
 * <p>Weights and source indices are computed once per (src, dst) size; instances are immutable
 * and thread-safe.
 */
public final class Bicubic {

  /** The kernel parameter of OpenCV's INTER_CUBIC ({@code interpolateCubic}, A = -0.75f). */
  public static final double OPENCV_A = -0.75;

  private final int srcSize;
  private final int dstSize;
  private final int[] index; // dstSize x 4 clamped source indices
  private final float[] weight; // dstSize x 4 weights

  public Bicubic(int srcSize, int dstSize) {
    this(srcSize, dstSize, OPENCV_A);
  }

  public Bicubic(int srcSize, int dstSize, double a) {
    if (srcSize < 1 || dstSize < 1) {
      throw new IllegalArgumentException("bicubic sizes must be positive, got " + srcSize + " -> " + dstSize);
    }
    this.srcSize = srcSize;
    this.dstSize = dstSize;
    this.index = new int[dstSize * 4];
    this.weight = new float[dstSize * 4];
    double scale = (double) srcSize / dstSize;
    for (int d = 0; d < dstSize; d++) {
      // OpenCV computes the coordinate in float; for integer upsampling factors it is exact either way.
      float f = (float) ((d + 0.5) * scale - 0.5);
      int s = (int) Math.floor(f);
      float t = f - s;
      float[] w = weights(t, a);
      for (int k = 0; k < 4; k++) {
        index[d * 4 + k] = Math.min(Math.max(s - 1 + k, 0), srcSize - 1);
        weight[d * 4 + k] = w[k];
      }
    }
  }

  /**
   * The four tap weights for source pixels s-1, s, s+1, s+2 at fractional offset t in [0, 1), in
   * OpenCV's formulation (the last weight makes them sum to 1).
   */
  public static float[] weights(float t, double a) {
    float A = (float) a;
    float w0 = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
    float w1 = ((A + 2) * t - (A + 3)) * t * t + 1;
    float w2 = ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1;
    float w3 = 1f - w0 - w1 - w2;
    return new float[] {w0, w1, w2, w3};
  }

  /** Resizes the srcSize x srcSize map at src[srcOffset..] into a new dstSize x dstSize map. */
  public float[] resize(float[] src, int srcOffset) {
    float[] dst = new float[dstSize * dstSize];
    resize(src, srcOffset, dst, 0);
    return dst;
  }

  /** Resizes the srcSize x srcSize map at src[srcOffset..] into dst[dstOffset..] (row-major). */
  public void resize(float[] src, int srcOffset, float[] dst, int dstOffset) {
    // rows first: srcSize rows x dstSize columns
    float[] rows = new float[srcSize * dstSize];
    for (int r = 0; r < srcSize; r++) {
      int base = srcOffset + r * srcSize;
      for (int d = 0; d < dstSize; d++) {
        int k = d * 4;
        rows[r * dstSize + d] = weight[k] * src[base + index[k]] + weight[k + 1] * src[base + index[k + 1]]
            + weight[k + 2] * src[base + index[k + 2]] + weight[k + 3] * src[base + index[k + 3]];
      }
    }
    for (int d = 0; d < dstSize; d++) {
      int k = d * 4;
      int r0 = index[k] * dstSize;
      int r1 = index[k + 1] * dstSize;
      int r2 = index[k + 2] * dstSize;
      int r3 = index[k + 3] * dstSize;
      float w0 = weight[k];
      float w1 = weight[k + 1];
      float w2 = weight[k + 2];
      float w3 = weight[k + 3];
      int out = dstOffset + d * dstSize;
      for (int c = 0; c < dstSize; c++) {
        dst[out + c] = w0 * rows[r0 + c] + w1 * rows[r1 + c] + w2 * rows[r2 + c] + w3 * rows[r3 + c];
      }
    }
  }
}
