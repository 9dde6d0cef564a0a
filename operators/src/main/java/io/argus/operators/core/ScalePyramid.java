package io.argus.operators.core;

/**
 * SiamFC's multi-scale search: {@code count} search regions at {@code step^k}, k evenly spaced in
 * [-(count/2), count/2] (numpy's {@code linspace}), every scale but the middle one penalised by
 * {@code penalty} when the best scale is chosen (siamfc-pytorch {@code scale_penalty}).
 */
public record ScalePyramid(int count, double step, double penalty) {

  public ScalePyramid {
    if (count < 1) {
      throw new IllegalArgumentException("scaleNum must be at least 1, got " + count);
    }
    if (!(step > 0) || !(penalty > 0)) {
      throw new IllegalArgumentException("scaleStep and scalePenalty must be positive, got " + step + ", " + penalty);
    }
  }

  /** The scale factors, smallest first: for 3 scales of 1.0375, {1/1.0375, 1, 1.0375}. */
  public double[] factors() {
    double[] f = new double[count];
    int half = count / 2;
    for (int i = 0; i < count; i++) {
      double exponent = count == 1 ? 0 : -half + 2.0 * half * i / (count - 1);
      f[i] = Math.pow(step, exponent);
    }
    return f;
  }

  /** The index of the unpenalised scale (numpy: responses[:n//2] and [n//2+1:] are penalised). */
  public int centre() {
    return count / 2;
  }

  /** Multiplier applied to the response of scale i. */
  public double penaltyFor(int i) {
    return i == centre() ? 1.0 : penalty;
  }

  /**
   * The best scale given each scale's peak response: argmax of penalty(i) * peak(i), first on ties
   * (as {@code np.argmax}). Multiplying the peak equals taking the peak of the penalised map
   * because the penalty is positive.
   */
  public int best(float[] peaks) {
    if (peaks.length != count) {
      throw new IllegalArgumentException("expected " + count + " scale peaks, got " + peaks.length);
    }
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      double v = (float) (peaks[i] * penaltyFor(i));
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }
}
