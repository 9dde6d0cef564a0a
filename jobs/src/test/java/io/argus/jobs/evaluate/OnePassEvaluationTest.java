package io.argus.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.argus.models.image.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnePassEvaluationTest {

  @TempDir Path tmp;

  @Test
  void perfectTrackingScoresOneButNotAtThresholdOne() {
    List<Box> gt = List.of(new Box(0, 0, 10, 10), new Box(5, 5, 20, 10));
    OnePassEvaluation e = OnePassEvaluation.of(gt, gt);
    // IoU 1 is not strictly greater than threshold 1: 20 of 21 thresholds pass
    assertThat(e.success()[20]).isZero();
    assertThat(e.success()[19]).isEqualTo(1.0);
    assertThat(e.auc()).isCloseTo(20.0 / 21, offset(1e-12));
    assertThat(e.precision()[0]).isEqualTo(1.0);
    assertThat(e.precision20()).isEqualTo(1.0);
  }

  @Test
  void handComputedCase() {
    List<Box> gt = List.of(
        new Box(0, 0, 10, 10),
        new Box(0, 0, 10, 10),
        new Box(0, 0, 10, 10),
        new Box(0, 0, 10, 10));
    List<Box> pred = List.of(
        new Box(0, 0, 10, 10), // IoU 1, error 0
        new Box(5, 0, 10, 10), // IoU 50/150 = 1/3, error 5
        new Box(30, 0, 10, 10), // IoU 0, error 30
        new Box(Double.NaN, 0, 10, 10)); // failure
    OnePassEvaluation e = OnePassEvaluation.of(pred, gt);
    // thresholds 0, .05, ..., .30 (7 values): frames 1 and 2 pass; .35 ... .95 (13 values): frame 1; 1.0: none
    assertThat(e.success()[0]).isEqualTo(0.5);
    assertThat(e.success()[6]).isEqualTo(0.5);
    assertThat(e.success()[7]).isEqualTo(0.25);
    assertThat(e.success()[19]).isEqualTo(0.25);
    assertThat(e.success()[20]).isZero();
    assertThat(e.auc()).isCloseTo((7 * 0.5 + 13 * 0.25) / 21, offset(1e-12));
    // centre errors 0, 5, 30, inf
    assertThat(e.precision()[4]).isEqualTo(0.25);
    assertThat(e.precision()[5]).isEqualTo(0.5);
    assertThat(e.precision20()).isEqualTo(0.5);
    assertThat(e.precision()[30]).isEqualTo(0.75);
    assertThat(e.precision()[50]).isEqualTo(0.75);
  }

  @Test
  void framesWithoutValidTruthAreLeftOut() {
    Box nan = new Box(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    List<Box> gt = List.of(new Box(0, 0, 10, 10), nan, new Box(0, 0, 0, 10), new Box(0, 0, 10, 10));
    List<Box> pred = List.of(new Box(0, 0, 10, 10), new Box(90, 90, 1, 1), new Box(90, 90, 1, 1), new Box(100, 0, 10, 10));
    OnePassEvaluation e = OnePassEvaluation.of(pred, gt);
    assertThat(e.frames()).isEqualTo(4);
    assertThat(e.evaluatedFrames()).isEqualTo(2);
    assertThat(e.success()[0]).isEqualTo(0.5);
    assertThat(e.precision20()).isEqualTo(0.5);
  }

  @Test
  void meanAveragesSequencesNotFrames() {
    Box b = new Box(0, 0, 10, 10);
    OnePassEvaluation good = OnePassEvaluation.of(List.of(b, b, b), List.of(b, b, b));
    OnePassEvaluation bad = OnePassEvaluation.of(List.of(new Box(50, 50, 10, 10)), List.of(b));
    OnePassEvaluation m = OnePassEvaluation.mean(List.of(good, bad));
    assertThat(m.auc()).isCloseTo((good.auc() + bad.auc()) / 2, offset(1e-12));
    assertThat(m.precision20()).isEqualTo(0.5);
    assertThat(m.frames()).isEqualTo(4);
  }

  @Test
  void badInputIsRejected() {
    Box b = new Box(0, 0, 10, 10);
    assertThatThrownBy(() -> OnePassEvaluation.of(List.of(b), List.of(b, b))).hasMessageContaining("one prediction per");
    Box nan = new Box(Double.NaN, 0, 1, 1);
    assertThatThrownBy(() -> OnePassEvaluation.of(List.of(b), List.of(nan))).hasMessageContaining("no frame");
  }

  @Test
  void reportRoundTripsThroughJsonAndPlots() throws Exception {
    Box b = new Box(0, 0, 10, 10);
    OnePassEvaluation a = OnePassEvaluation.of(List.of(b, new Box(2, 1, 10, 10), new Box(4, 0, 12, 10)), List.of(b, b, b));
    OnePassEvaluation c = OnePassEvaluation.of(List.of(b, new Box(30, 1, 10, 10)), List.of(b, b));
    EvaluationReport report = EvaluationReport.of("slim", "siamfc", "/models/slim", "2025-01-01T00:00:00Z", List.of(
        EvaluationReport.SequenceResult.of("Alpha", a, 0.5),
        EvaluationReport.SequenceResult.of("Beta", c, 0.5)));
    assertThat(report.mean().fps()).isEqualTo(5.0); // 5 frames in 1 s
    assertThat(report.mean().auc()).isCloseTo((a.auc() + c.auc()) / 2, offset(1e-12));
    Path json = tmp.resolve("out/report.json");
    report.write(json);
    String text = Files.readString(json);
    assertThat(text).contains("\"sequences\"", "\"mean\"", "\"auc\"", "\"precision20\"", "\"fps\"", "\"Alpha\"");
    EvaluationReport back = EvaluationReport.read(json);
    assertThat(back.sequences()).hasSize(2);
    assertThat(back.sequences().get(0).successCurve()).containsExactly(a.success());
    assertThat(back.mean().precision20()).isEqualTo(report.mean().precision20());
    assertThat(report.table()).contains("Alpha", "Beta", "mean");
    List<Path> pngs = Plots.write(report, tmp.resolve("plots"));
    for (Path p : pngs) {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
      assertThat(img.getWidth()).isGreaterThan(400);
    }
  }
}
