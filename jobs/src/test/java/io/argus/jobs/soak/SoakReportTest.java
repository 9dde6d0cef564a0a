package io.argus.jobs.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {

  static SoakRow row(double t, double rss, double heapCommitted) {
    return new SoakRow(t, new MemorySample(rss, 100, heapCommitted, Double.NaN), 10, 1, 5, 9, 0.7, 0);
  }

  @Test
  void slopeIsTheLeastSquaresFitInUnitsPerMinute() {
    List<double[]> xy = new ArrayList<>();
    double[] noise = {0.3, -0.2, 0.1, -0.4, 0.2, 0.0};
    for (int i = 0; i < noise.length; i++) {
      xy.add(new double[] {i, 5 + 2.5 * i + noise[i]});
    }
    // independent computation: sum((x-mx)(y-my)) / sum((x-mx)^2) with mx = 2.5
    double sxy = 0;
    double sxx = 0;
    double my = xy.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    for (double[] p : xy) {
      sxy += (p[0] - 2.5) * (p[1] - my);
      sxx += (p[0] - 2.5) * (p[0] - 2.5);
    }
    assertThat(SoakReport.slope(xy)).isCloseTo(sxy / sxx, within(1e-12)).isCloseTo(2.5, within(0.15));
    assertThat(SoakReport.slope(xy.subList(0, 2))).isNaN();
  }

  @Test
  void theVerdictLooksOnlyAtTheSecondHalf() {
    SoakReport report = new SoakReport();
    // warm-up: +100 MB in the first half, then flat within 0.2 MB
    for (int i = 1; i <= 20; i++) {
      double t = i * 30;
      double rss = i <= 10 ? 900 + 10 * i : 1000 + (i % 2 == 0 ? 0.2 : 0);
      report.add(row(t, rss, 400));
    }
    SoakReport.Verdict v = report.verdict(1.0);
    assertThat(v.measured()).isTrue();
    assertThat(v.flat()).isTrue();
    assertThat(Math.abs(v.rssSlope())).isLessThan(0.1);
    assertThat(v.toString()).contains("FLAT");

    SoakReport leaking = new SoakReport();
    for (int i = 1; i <= 20; i++) {
      leaking.add(row(i * 30, 900 + 3 * i, 400)); // 3 MB every 30 s: 6 MB/min, all native
    }
    SoakReport.Verdict g = leaking.verdict(1.0);
    assertThat(g.flat()).isFalse();
    assertThat(g.rssSlope()).isCloseTo(6.0, within(1e-9));
    assertThat(g.nativeSlope()).isCloseTo(6.0, within(1e-9));
    assertThat(g.toString()).contains("GROWING");
  }

  @Test
  void aShortRunIsNotMeasured() {
    SoakReport report = new SoakReport();
    report.add(row(30, 900, 400));
    report.add(row(60, 900, 400));
    assertThat(report.verdict(1.0).measured()).isFalse();
    assertThat(report.verdict(1.0).flat()).isFalse();
  }

  @Test
  void readsVmRssAndTheNmtTotal() {
    String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmRSS:\t  1048576 kB\nRssAnon:\t 900000 kB\n";
    assertThat(MemoryProbe.parseRssMb(status)).isEqualTo(1024.0);
    String nmt = "\nNative Memory Tracking:\n\nTotal: reserved=3145728KB, committed=524288KB\n       malloc: 1KB\n";
    assertThat(MemoryProbe.parseNmtCommittedMb(nmt)).isEqualTo(512.0);
    assertThat(MemoryProbe.parseNmtCommittedMb("Native memory tracking is not enabled")).isNaN();
    assertThat(MemoryProbe.sample().rssMb()).as("this JVM's own RSS").isGreaterThan(10);
  }

  @Test
  void csvLinesHaveOneValuePerHeaderColumn() {
    String line = SoakReport.csvLine(row(30, 900, 400));
    assertThat(line.split(",", -1)).hasSameSizeAs(SoakReport.csvHeader().split(","));
    assertThat(SoakRun.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95)).isEqualTo(10);
    assertThat(SoakRun.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50)).isEqualTo(5);
    assertThat(SoakRun.percentile(new long[0], 50)).isEqualTo(-1);
  }
}
