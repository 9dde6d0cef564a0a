package io.argus.jobs.bench;

import java.util.Arrays;

/** Order statistics of measured times. */
public final class Stats {

  private Stats() {}

  /** The q-quantile (0..1) by nearest rank of a copy of the values; NaN when there are none. */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  public static double median(double[] values) {
    return quantile(values, 0.5);
  }
}
