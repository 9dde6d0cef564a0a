package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportOnnxCommandTest {

  private static int run(String... args) {
    return new CommandLine(new ImportOnnxCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Test
  void missingFileIsAClearErrorNotAStackTrace(@TempDir Path dir) {
    assertThat(run("--backbone", dir.resolve("nope.onnx").toString(), "--head", dir.resolve("nope2.onnx").toString(),
        "--out", dir.resolve("m").toString())).isEqualTo(2);
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void siamRpnTakesTemplateAndSearchGraphsOnly(@TempDir Path dir) {
    String out = dir.resolve("m").toString();
    assertThat(run("--family", "siamrpn", "--backbone", "a.onnx", "--head", "b.onnx", "--out", out)).isEqualTo(2);
    assertThat(run("--family", "siamrpn", "--template", "a.onnx", "--search", "b.onnx", "--hyper", "opencv",
        "--out", out)).isEqualTo(2);
    assertThat(run("--template", "a.onnx", "--search", "b.onnx", "--out", out)).isEqualTo(2);
    assertThat(run("--family", "siamrpn", "--template", dir.resolve("nope.onnx").toString(),
        "--search", dir.resolve("nope2.onnx").toString(), "--out", out)).isEqualTo(2);
    assertThat(dir.resolve("m")).doesNotExist();
  }

  /** PyTorch's own export of a tiny pysot-architecture SiamRPN (the models module's test fixture). */
  @Test
  void importsATorchExportedSiamRpn(@TempDir Path dir) {
    Path fixtures = Path.of("../models/src/test/resources/siamrpn-torch");
    Assumptions.assumeTrue(Files.isDirectory(fixtures), "skipped: run from the jobs module of the repository");
    Path out = dir.resolve("rpn");
    assertThat(run("--family", "siamrpn", "--template", fixtures.resolve("template.onnx").toString(),
        "--search", fixtures.resolve("search.onnx").toString(), "--out", out.toString(), "--name", "tiny-rpn")).isZero();
    ModelSpec spec = ModelSpec.read(out);
    assertThat(spec.family()).isEqualTo("siamrpn");
    assertThat(spec.name()).isEqualTo("tiny-rpn");
    assertThat(spec.instanceSize()).isEqualTo(287);
    assertThat(spec.outputs()).containsKeys("cls", "loc");
    assertThat(spec.hyper("penaltyK")).isEqualTo(0.16);
    assertThat(spec.provenance().get("networkInput")).startsWith("BGR");
    assertThat(out.resolve("saved_model.pb")).exists();
  }

  @Test
  void importsNanoTrackV2WithChosenNameAndPreset(@TempDir Path dir) {
    Path w = null;
    for (String p : new String[] {"../shared/data/weights/nanotrack", "../../shared/data/weights/nanotrack"}) {
      if (Files.isDirectory(Path.of(p))) {
        w = Path.of(p);
      }
    }
    if (w == null) {
      System.out.println("ImportOnnxCommandTest skipped: ../shared/data absent");
    }
    Assumptions.assumeTrue(w != null, "skipped: ../shared/data absent");
    Path out = dir.resolve("nano");
    assertThat(run("--backbone", w.resolve("nanotrack_v2_backbone_sim.onnx").toString(),
        "--head", w.resolve("nanotrack_v2_head_sim.onnx").toString(), "--out", out.toString(),
        "--name", "nano-v2", "--hyper", "nanotrack_v2")).isZero();
    ModelSpec spec = ModelSpec.read(out);
    assertThat(spec.name()).isEqualTo("nano-v2");
    assertThat(spec.scoreSize()).isEqualTo(16);
    assertThat(spec.hyper("penaltyK")).isEqualTo(0.150);
    assertThat(out.resolve("saved_model.pb")).exists();
  }
}
