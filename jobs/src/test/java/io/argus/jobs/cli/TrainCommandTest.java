package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

  @Test
  void refusesToTrainWithoutData() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new TrainCommand()).setErr(new PrintWriter(err)).execute("--output", "x");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no training data");
  }

  @Test
  void refusesBadWidths() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new TrainCommand()).setErr(new PrintWriter(err))
        .execute("--scenes", "--backbone", "1,2,3", "--output", "x");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("five comma-separated channel counts");
  }

  @Test
  void helpNamesTheDataOptions() {
    StringWriter out = new StringWriter();
    new CommandLine(new TrainCommand()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(out.toString()).contains("--scenes").contains("--sequences").contains("--checkpoint-dir");
  }
}
