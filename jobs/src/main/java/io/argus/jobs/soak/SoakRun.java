package io.argus.jobs.soak;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.CameraFeed;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.feed.SceneFeed;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.local.EmbeddedKafka;
import io.argus.jobs.local.FirstFrameStarts;
import io.argus.jobs.local.LocalJobs;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A long run of the whole product in this JVM (embedded broker, the tracking job on a local Flink,
 * generated cameras), watched from outside: every interval the process's memory, the committed
 * track updates per second, the capture → track latency and the IoU against the ground truth.
 */
public final class SoakRun {

  private final SoakPlan plan;
  private final PrintStream out;

  public SoakRun(SoakPlan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  /**
   * Runs the soak and returns its report.
   *
   * @param settingsFor the job's settings given the embedded broker's bootstrap servers
   */
  public SoakReport run(Function<String, Settings> settingsFor) throws Exception {
    SoakReport report = new SoakReport();
    long frames = plan.framesPerCamera();
    List<SceneFeed> feeds = new ArrayList<>();
    for (int i = 1; i <= plan.cameras(); i++) {
      feeds.add(new SceneFeed("soak-" + i, SceneFeed.demoSpec(plan.width(), plan.height(), plan.objects(), 100 + i),
          frames));
    }
    Map<String, SceneFeed> byCamera = new HashMap<>();
    feeds.forEach(f -> byCamera.put(f.cameraId(), f));

    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Writer csv = plan.csv() == null ? Writer.nullWriter() : Files.newBufferedWriter(plan.csv())) {
      Settings s = settingsFor.apply(kafka.bootstrapServers());
      kafka.createTopics(1, s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
          s.get(Setting.TOPIC_DEAD_LETTERS));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1,
          TrackingJob.flinkConfiguration(s));
      TrackingJob.build(env, s);
      JobClient job = env.executeAsync("argus-soak");
      out.printf("soak: %d cameras x %d objects at %.1f fps, %dx%d, for %s; job %s, broker %s%n", plan.cameras(),
          plan.objects(), plan.fps(), plan.width(), plan.height(), plan.duration(), job.getJobID(),
          kafka.bootstrapServers());
      csv.write(SoakReport.csvHeader() + "\n");
      out.println(SoakReport.header());

      try (KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers(),
          s.getInt(Setting.MAX_FRAME_BYTES))) {
        FirstFrameStarts.startAndAwait(s, producer, feeds, Duration.ofMinutes(2));
        FramePublisher publisher = new FramePublisher(producer, s.get(Setting.TOPIC_FRAMES),
            List.<CameraFeed>copyOf(feeds), plan.fps(), frames, false).startingAt(1);
        Thread cameras = new Thread(publisher, "soak-cameras");
        cameras.setDaemon(true);
        long started = System.currentTimeMillis();
        cameras.start();
        try {
          watch(s, byCamera, started, report, csv);
        } finally {
          publisher.stop();
          cameras.join(10_000);
        }
      }
      LocalJobs.stop(job);
    }
    out.println(report.verdict(plan.maxSlopeMbPerMin()));
    return report;
  }

  private void watch(Settings s, Map<String, SceneFeed> byCamera, long started, SoakReport report, Writer csv)
      throws IOException {
    AvroCodec<TrackUpdate> codec = AvroCodec.trackUpdates();
    String tracksTopic = s.get(Setting.TOPIC_TRACKS);
    long end = started + plan.duration().toMillis();
    long intervalMs = plan.interval().toMillis();
    long nextReport = started + intervalMs;
    Interval current = new Interval();
    try (var consumer = Clients.consumer(s.get(Setting.BOOTSTRAP_SERVERS), null, true)) {
      consumer.subscribe(List.of(tracksTopic, s.get(Setting.TOPIC_DEAD_LETTERS)));
      while (System.currentTimeMillis() < end) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!r.topic().equals(tracksTopic)) {
            current.deadLetters++;
            continue;
          }
          try {
            current.record(codec.decode(r.value()), byCamera);
          } catch (WireFormatException e) {
            current.deadLetters++;
          }
        }
        long now = System.currentTimeMillis();
        if (now >= nextReport) {
          SoakRow row = current.row((now - started) / 1000.0, intervalMs + (now - nextReport), MemoryProbe.sample());
          report.add(row);
          out.println(SoakReport.line(row));
          csv.write(SoakReport.csvLine(row) + "\n");
          csv.flush();
          current = new Interval();
          nextReport += intervalMs;
        }
      }
    }
  }

  /** What came out during one reporting interval. */
  private static final class Interval {
    long updates;
    long deadLetters;
    long[] latencies = new long[64];
    int latencyCount;
    double iouSum;
    long iouCount;

    void record(TrackUpdate u, Map<String, SceneFeed> byCamera) {
      if (u.getState() == TrackState.STOPPED) {
        return;
      }
      updates++;
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = u.getProcessingTimeMs() - u.getCaptureTimeMs();
      SceneFeed feed = byCamera.get(u.getCameraId());
      if (feed != null && u.getTargetId().startsWith("obj-")) {
        int object = Integer.parseInt(u.getTargetId().substring(4)) - 1;
        Box truth = feed.scene().truth(object, u.getFrameSequence());
        var b = u.getBox();
        iouSum += new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight()).iou(truth);
        iouCount++;
      }
    }

    SoakRow row(double elapsedS, long lengthMs, MemorySample memory) {
      long[] sorted = Arrays.copyOf(latencies, latencyCount);
      Arrays.sort(sorted);
      return new SoakRow(elapsedS, memory, updates, updates * 1000.0 / lengthMs, percentile(sorted, 50),
          percentile(sorted, 95), iouCount == 0 ? Double.NaN : iouSum / iouCount, deadLetters);
    }
  }

  /** Nearest-rank percentile of sorted values; -1 for none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
    return sorted[i];
  }
}
