package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.evaluate.EvaluationReport;
import io.argus.models.data.ImageEncoding;
import io.argus.models.data.SceneFrame;
import io.argus.models.data.SceneSpec;
import io.argus.models.data.SyntheticScene;
import io.argus.models.image.Box;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {

  @TempDir Path tmp;

  @Test
  void evaluatesTheDefaultModelOnAGeneratedSequence() throws Exception {
    // one slow object on a plain background, written as an OTB folder with 1-based truth
    SyntheticScene scene = new SyntheticScene(new SceneSpec(256, 192, 1, 5, 0.3, 1, 0.05, 0, true,
        SceneSpec.Background.FLAT, 2, 0, false, 0));
    Path dir = tmp.resolve("plain");
    Files.createDirectories(dir.resolve("img"));
    StringBuilder gt = new StringBuilder();
    for (int t = 0; t < 6; t++) {
      SceneFrame f = scene.frame(t);
      Files.write(dir.resolve("img").resolve(String.format("%04d.jpg", t + 1)), ImageEncoding.jpeg(f.image(), 0.9f));
      Box b = f.truths().get(0);
      gt.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f%n", b.x() + 1, b.y() + 1, b.width(), b.height()));
    }
    Files.writeString(dir.resolve("groundtruth_rect.txt"), gt);
    Path report = tmp.resolve("report.json");
    Path plots = tmp.resolve("plots");
    int code = new CommandLine(new EvaluateCommand()).execute("--model", "default", "--report", report.toString(),
        "--plots", plots.toString(), dir.toString());
    assertThat(code).isZero();
    EvaluationReport r = EvaluationReport.read(report);
    assertThat(r.sequences()).hasSize(1);
    assertThat(r.sequences().get(0).sequence()).isEqualTo("plain");
    assertThat(r.sequences().get(0).frames()).isEqualTo(6);
    assertThat(r.sequences().get(0).fps()).isPositive();
    // the first frame is the ground truth itself, so at least 1/6 of the frames succeed
    assertThat(r.sequences().get(0).successCurve()[0]).isGreaterThanOrEqualTo(1 / 6.0);
    assertThat(plots.resolve("success.png")).exists();
    assertThat(plots.resolve("precision.png")).exists();
  }

  @Test
  void missingSequenceFolderIsAClearError() {
    CommandLine cl = new CommandLine(new EvaluateCommand());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("--model", "default", tmp.resolve("nope").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("nope").contains("is not a directory");
  }
}
