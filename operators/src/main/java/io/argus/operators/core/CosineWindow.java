package io.argus.operators.core;

/**
 * The Hann (raised cosine) window that the Siamese trackers mix into the score map to favour
 * small displacements (the "window influence" of SiamFC, SiamRPN, NanoTrack).
 *
 * <p>Values follow numpy's {@code np.hanning(n)}: {@code 0.5 - 0.5 cos(2 pi k / (n - 1))}, zero at
 * both ends; 2-D windows are the outer product, row-major.
 */
public final class CosineWindow {

  private CosineWindow() {}

  /** The 1-D window of n points, as {@code np.hanning(n)}. */
  public static double[] hann(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("window size must be at least 1, got " + n);
    }
    double[] w = new double[n];
    if (n == 1) {
      w[0] = 1;
      return w;
    }
    for (int k = 0; k < n; k++) {
      w[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / (n - 1));
    }
    return w;
  }

  /** The n x n outer product, peak 1 for odd n (pysot / NanoTrack use it unnormalised). */
  public static float[] outer(int n) {
    double[] w = hann(n);
    float[] out = new float[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        out[r * n + c] = (float) (w[r] * w[c]);
      }
    }
    return out;
  }

  /** The n x n outer product scaled to sum 1 (SiamFC mixes it with a response normalised to sum 1). */
  public static float[] normalisedOuter(int n) {
    double[] w = hann(n);
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    double total = sum * sum;
    float[] out = new float[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        out[r * n + c] = (float) (w[r] * w[c] / total);
      }
    }
    return out;
  }
}
