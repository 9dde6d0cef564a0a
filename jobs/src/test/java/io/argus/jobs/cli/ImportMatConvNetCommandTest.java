package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportMatConvNetCommandTest {

  @TempDir
  Path dir;

  private int run(ByteArrayOutputStream err, String... args) {
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      return new CommandLine(new ImportMatConvNetCommand()).execute(args);
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void aMissingFileIsAUsageErrorThatSaysWhereTheNetworksAre() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(err, "--in", dir.resolve("nope.mat").toString(), "--out", dir.resolve("m").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no file at").contains("weights/cfnet");
  }

  @Test
  void aFileThatIsNotAMatFileFailsWithTheReason() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.mat"), "not a MAT file at all, just text");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(err, "--in", bogus.toString(), "--out", dir.resolve("m").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("import-matconvnet:").contains("bogus.mat");
    assertThat(Files.exists(dir.resolve("m").resolve("saved_model.pb"))).isFalse();
  }
}
