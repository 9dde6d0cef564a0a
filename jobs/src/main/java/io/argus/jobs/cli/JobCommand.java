package io.argus.jobs.cli;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Settings;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "job", mixinStandardHelpOptions = true,
    description = {"Run the tracking job against an existing Kafka cluster.",
        "Under 'flink run' it runs on that cluster; started directly it runs on a local Flink."})
final class JobCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @Override
  public Integer call() throws Exception {
    Settings s = settings.resolve();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TrackingJob.flinkConfiguration(s));
    TrackingJob.build(env, s);
    env.execute(TrackingJob.NAME);
    return 0;
  }
}
