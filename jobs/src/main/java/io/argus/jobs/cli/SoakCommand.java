package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.soak.SoakPlan;
import io.argus.jobs.soak.SoakReport;
import io.argus.jobs.soak.SoakRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "soak", mixinStandardHelpOptions = true,
    description = {"A long run of the whole product in this JVM (Kafka broker, the tracking job, generated cameras)",
        "that reports memory (RSS, heap, native), throughput, latency and IoU every interval, writes them as",
        "CSV, and ends with the memory slope over the second half: exit code 0 when flat, 1 when growing.",
        "TensorFlow's leaks are native: watch RSS and 'native', not the heap. Add",
        "ARGUS_JAVA_OPTS='-Xmx1g -XX:NativeMemoryTracking=summary' for the NMT column."})
final class SoakCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @Option(names = "--cameras", defaultValue = "2", description = "Generated cameras (default: ${DEFAULT-VALUE})")
  int cameras;

  @Option(names = "--objects", defaultValue = "2", description = "Objects (and targets) per camera (default: ${DEFAULT-VALUE})")
  int objects;

  @Option(names = "--fps", defaultValue = "2", description = "Frames per second per camera (default: ${DEFAULT-VALUE})")
  double fps;

  @Option(names = "--minutes", defaultValue = "30", description = "How long the cameras publish (default: ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--interval", defaultValue = "30", description = "Seconds between report rows (default: ${DEFAULT-VALUE})")
  double intervalSeconds;

  @Option(names = "--size", defaultValue = "320x240", description = "Generated frame size (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--model", defaultValue = "default", description = "Model directory, or 'default' (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--csv", paramLabel = "FILE", defaultValue = "soak.csv", description = "CSV of the rows (default: ${DEFAULT-VALUE})")
  Path csv;

  @Option(names = "--max-slope", defaultValue = "1.0",
      description = "Largest RSS / native memory slope in MB/min over the second half still called flat (default: ${DEFAULT-VALUE})")
  double maxSlope;

  @Override
  public Integer call() throws Exception {
    String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (wh.length != 2) {
      throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, e.g. 320x240; got " + size);
    }
    SoakPlan plan = new SoakPlan(cameras, objects, fps, Duration.ofMillis((long) (minutes * 60_000)),
        Duration.ofMillis((long) (intervalSeconds * 1000)), Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), maxSlope,
        csv);
    SoakReport report = new SoakRun(plan, System.out).run(bootstrap -> {
      Map<String, String> o = new LinkedHashMap<>(settings.overrides);
      o.put(Setting.BOOTSTRAP_SERVERS.key(), bootstrap);
      o.put(Setting.MODEL_PATH.key(), model);
      o.putIfAbsent(Setting.CHECKPOINT_INTERVAL_MS.key(), "1000");
      settings.overrides = o;
      return settings.resolve();
    });
    System.out.println("rows written to " + csv.toAbsolutePath());
    return report.verdict(maxSlope).flat() ? 0 : 1;
  }
}
