package io.argus.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The argus command line: {@code bin/argus COMMAND --help} explains each command. */
@Command(name = "argus", mixinStandardHelpOptions = true, version = "argus 0.1.0",
    description = "Multi-camera Siamese object tracking on Kafka and Flink.",
    subcommands = {
        LocalCommand.class,
        JobCommand.class,
        CameraCommand.class,
        TrackCommandCommand.class,
        TracksCommand.class,
        TrainCommand.class,
        EvaluateCommand.class,
        ImportOnnxCommand.class,
        ImportMatConvNetCommand.class,
        SoakCommand.class,
        SettingsCommand.class,
        BenchCommand.class,
    })
public final class Argus implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Argus())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Argus::report)
        .execute(args);
  }

  /**
   * A failed command prints what went wrong, not a stack trace: the messages say what to do.
   * ARGUS_DEBUG=1 brings the stack trace back.
   */
  private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable root = e;
    while (root.getCause() != null && (root.getMessage() == null || root instanceof java.util.concurrent.ExecutionException)) {
      root = root.getCause();
    }
    cmd.getErr().println("argus " + cmd.getCommandName() + ": " + (root.getMessage() == null ? root : root.getMessage()));
    if (System.getenv("ARGUS_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println("(ARGUS_DEBUG=1 shows the stack trace)");
    }
    return 1;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
