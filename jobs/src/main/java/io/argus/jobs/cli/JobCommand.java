package io.argus.jobs.cli;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Settings;
import io.argus.jobs.config.StartupChecks;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "job", mixinStandardHelpOptions = true,
    description = {"Run the tracking job against an existing Kafka cluster.",
        "Under 'flink run' it runs on that cluster; started directly it runs on a local Flink.",
        "Before submitting it checks the model, the topics (they must exist, sized for frames) and the settings."})
public final class JobCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @Option(names = "--skip-checks", description = "Submit without the start-up checks (model, topics, Kafka reachable)")
  boolean skipChecks;

  /** A refusal of the start-up checks propagates: the CLI prints its message, {@code flink run} its log. */
  @Override
  public Integer call() throws Exception {
    submit();
    return 0;
  }

  /** Resolves the settings, runs the start-up checks unless skipped, then builds and runs the job. */
  public void submit() throws Exception {
    Settings s = settings.resolve();
    if (!skipChecks) {
      for (String line : StartupChecks.verify(s)) {
        System.out.println("start-up check ok: " + line);
      }
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TrackingJob.flinkConfiguration(s));
    TrackingJob.build(env, s);
    env.execute(TrackingJob.NAME);
  }
}
