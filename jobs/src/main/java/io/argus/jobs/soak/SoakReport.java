package io.argus.jobs.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's table, CSV and verdict. The verdict looks at the second half of the run only: the
 * first half holds the warm-up (class loading, JIT, TensorFlow's allocator pools, the heap growing
 * to its working size), and a leak is a steady slope that remains after it.
 */
public final class SoakReport {

  private final List<SoakRow> rows = new ArrayList<>();

  public synchronized void add(SoakRow row) {
    rows.add(row);
  }

  public synchronized List<SoakRow> rows() {
    return List.copyOf(rows);
  }

  public static String header() {
    return String.format(Locale.ROOT, "%8s %9s %9s %9s %9s %9s %9s %8s %7s %7s %6s %5s",
        "t (s)", "RSS MB", "heap MB", "heapC MB", "native MB", "NMT MB", "updates", "upd/s", "p50 ms", "p95 ms",
        "IoU", "dead");
  }

  public static String line(SoakRow r) {
    MemorySample m = r.memory();
    return String.format(Locale.ROOT, "%8.0f %9.1f %9.1f %9.1f %9.1f %9s %9d %8.2f %7d %7d %6s %5d",
        r.elapsedS(), m.rssMb(), m.heapUsedMb(), m.heapCommittedMb(), m.nativeEstimateMb(),
        Double.isNaN(m.nmtCommittedMb()) ? "-" : String.format(Locale.ROOT, "%.1f", m.nmtCommittedMb()),
        r.updates(), r.updatesPerS(), r.latencyP50Ms(), r.latencyP95Ms(),
        Double.isNaN(r.meanIou()) ? "-" : String.format(Locale.ROOT, "%.3f", r.meanIou()), r.deadLetters());
  }

  public static String csvHeader() {
    return "elapsed_s,rss_mb,heap_used_mb,heap_committed_mb,native_estimate_mb,nmt_committed_mb,updates,"
        + "updates_per_s,latency_p50_ms,latency_p95_ms,mean_iou,dead_letters";
  }

  public static String csvLine(SoakRow r) {
    MemorySample m = r.memory();
    return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.1f,%s,%d,%.3f,%d,%d,%s,%d", r.elapsedS(), m.rssMb(),
        m.heapUsedMb(), m.heapCommittedMb(), m.nativeEstimateMb(),
        Double.isNaN(m.nmtCommittedMb()) ? "" : String.format(Locale.ROOT, "%.1f", m.nmtCommittedMb()), r.updates(),
        r.updatesPerS(), r.latencyP50Ms(), r.latencyP95Ms(),
        Double.isNaN(r.meanIou()) ? "" : String.format(Locale.ROOT, "%.4f", r.meanIou()), r.deadLetters());
  }

  /**
   * Least-squares slope of {@code value} over time, in units per minute, over the rows from the
   * middle of the run on; NaN with fewer than three such rows.
   */
  public synchronized double secondHalfSlopePerMinute(ToDoubleFunction<SoakRow> value) {
    if (rows.isEmpty()) {
      return Double.NaN;
    }
    double end = rows.get(rows.size() - 1).elapsedS();
    List<double[]> points = new ArrayList<>();
    for (SoakRow r : rows) {
      double v = value.applyAsDouble(r);
      if (r.elapsedS() >= end / 2 && !Double.isNaN(v)) {
        points.add(new double[] {r.elapsedS() / 60.0, v});
      }
    }
    return slope(points);
  }

  /** Ordinary least squares slope of y over x; NaN with fewer than three points or no spread in x. */
  public static double slope(List<double[]> xy) {
    int n = xy.size();
    if (n < 3) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      mx += p[0];
      my += p[1];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (double[] p : xy) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /** The final lines: slopes of RSS and of the native estimate, and whether both stay under the limit. */
  public synchronized Verdict verdict(double maxSlopeMbPerMin) {
    double rss = secondHalfSlopePerMinute(r -> r.memory().rssMb());
    double nativeEstimate = secondHalfSlopePerMinute(r -> r.memory().nativeEstimateMb());
    double heap = secondHalfSlopePerMinute(r -> r.memory().heapUsedMb());
    boolean measured = !Double.isNaN(rss) && !Double.isNaN(nativeEstimate);
    boolean flat = measured && rss <= maxSlopeMbPerMin && nativeEstimate <= maxSlopeMbPerMin;
    return new Verdict(rss, nativeEstimate, heap, maxSlopeMbPerMin, measured, flat);
  }

  /**
   * @param measured false when the run was too short for three rows in its second half
   */
  public record Verdict(double rssSlope, double nativeSlope, double heapUsedSlope, double maxSlope, boolean measured,
      boolean flat) {

    @Override
    public String toString() {
      if (!measured) {
        return "memory verdict: not measured (fewer than 3 intervals in the second half; run longer or shorten --interval)";
      }
      return String.format(Locale.ROOT,
          "memory slope over the second half: RSS %+.2f MB/min, native estimate %+.2f MB/min, heap used %+.2f MB/min"
              + "%nverdict: %s (limit %.2f MB/min on RSS and native)",
          rssSlope, nativeSlope, heapUsedSlope, flat ? "FLAT" : "GROWING", maxSlope);
    }
  }
}
