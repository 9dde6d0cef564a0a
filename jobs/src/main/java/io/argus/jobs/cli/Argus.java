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
        SettingsCommand.class,
    })
public final class Argus implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Argus()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
