package io.argus.jobs.bench;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.FeedFrame;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.feed.ImageDirFeed;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.kafka.Commands;
import io.argus.jobs.local.EmbeddedKafka;
import io.argus.jobs.local.LocalJobs;
import io.argus.jobs.soak.MemoryProbe;
import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Cameras x targets through the product: an embedded KRaft broker, the tracking job on a local
 * Flink (as {@code argus local} and {@code evaluate --through-kafka} run it), every camera
 * replaying the same real sequence (JPEG frames as they are on disk) with T targets placed on it.
 *
 * <p>Two phases per configuration, after every target has its first update:
 * <ol>
 *   <li>throughput: K frames per camera published at once (a backlog) and drained; sustained
 *       frames/s = C K / (first publish to last update), with the process's CPU (cores busy) and
 *       resident memory (the whole JVM: broker, job and this benchmark);
 *   <li>latency: the cameras paced at a fraction of that rate for a while; end-to-end latency
 *       = when an update reaches a consumer minus the frame's capture time (one clock, one JVM),
 *       both as soon as the job writes it (read_uncommitted) and as a read_committed consumer
 *       sees it (exactly-once: after the next checkpoint).
 * </ol>
 */
public final class PipelineBench {

  /** What to run. */
  public record Options(Sequence sequence, List<int[]> configs, int framesPerCamera, double latencySeconds,
      double latencyLoad, long checkpointMs, Map<String, String> flinkOptions) {}

  /** One configuration's figures. */
  public record Result(String variant, int cameras, int targets, double framesPerSecond, double targetFramesPerSecond,
      double cpuCores, double rssMb, double offeredFps, double p50, double p95, double p99, double committedP50,
      double committedP99, long updates, String load) {}

  private PipelineBench() {}

  /**
   * Runs every configuration on one broker.
   *
   * @param settingsFor the job's settings for a bootstrap address and topic suffix
   */
  public static List<Result> run(String variant, Options o, BiFunction<String, String, Settings> settingsFor,
      PrintStream log) throws Exception {
    List<FeedFrame> frames = new ArrayList<>();
    ImageDirFeed feed = ImageDirFeed.of("bench", o.sequence());
    for (int f = 0; f < feed.length(); f++) {
      frames.add(feed.frame(f));
    }
    List<Result> results = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      for (int[] c : o.configs()) {
        String suffix = variant.replaceAll("[^A-Za-z0-9]", "") + "-" + c[0] + "x" + c[1] + "-"
            + UUID.randomUUID().toString().substring(0, 6);
        Settings s = settingsFor.apply(kafka.bootstrapServers(), suffix);
        results.add(runOne(variant, kafka, s, frames, c[0], c[1], o, log));
      }
    }
    return results;
  }

  private static Result runOne(String variant, EmbeddedKafka kafka, Settings s, List<FeedFrame> frames, int cameras,
      int targets, Options o, PrintStream log) throws Exception {
    String framesTopic = s.get(Setting.TOPIC_FRAMES);
    String tracksTopic = s.get(Setting.TOPIC_TRACKS);
    kafka.createTopics(1, framesTopic, s.get(Setting.TOPIC_COMMANDS), tracksTopic, s.get(Setting.TOPIC_DEAD_LETTERS));
    Configuration conf = TrackingJob.flinkConfiguration(s);
    conf.addAll(Configuration.fromMap(o.flinkOptions()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    TrackingJob.build(env, s);
    JobClient job = env.executeAsync("argus-bench-" + cameras + "x" + targets);
    log.printf("%s %d cameras x %d targets: job %s on a local Flink%n", variant, cameras, targets, job.getJobID());
    FeedFrame first = frames.get(0);
    List<Box> boxes = TargetLayout.place(first.truths().get(0), targets, first.width(), first.height());
    List<String> cams = new ArrayList<>();
    for (int i = 0; i < cameras; i++) {
      cams.add("cam-" + i);
    }
    Result result;
    try (KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers(), s.getInt(Setting.MAX_FRAME_BYTES));
        KafkaConsumer<String, byte[]> fresh = consumer(kafka.bootstrapServers(), tracksTopic, "read_uncommitted");
        KafkaConsumer<String, byte[]> committed = consumer(kafka.bootstrapServers(), tracksTopic, "read_committed")) {
      for (String cam : cams) {
        for (int t = 0; t < targets; t++) {
          producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_COMMANDS), cam,
              AvroCodec.trackCommands().encode(Commands.start(cam, "t" + t, 0, boxes.get(t), null))));
        }
      }
      producer.flush();
      for (String cam : cams) {
        FramePublisher.send(producer, framesTopic, cam, 0, first);
      }
      producer.flush();
      Tally tally = new Tally();
      long deadline = System.currentTimeMillis() + 180_000;
      while (tally.updates < (long) cameras * targets && System.currentTimeMillis() < deadline) {
        tally.poll(fresh, null);
      }
      if (tally.updates < (long) cameras * targets) {
        throw new IllegalStateException("the job gave " + tally.updates + " first updates of " + cameras * targets
            + " in 3 minutes: see the log above");
      }

      // throughput: a backlog of K frames per camera, drained
      int k = backlog(o.framesPerCamera(), cameras, targets);
      long expected = (long) cameras * targets * k;
      tally = new Tally();
      double cpu0 = BenchMachine.processCpuSeconds();
      long t0 = System.nanoTime();
      for (int seq = 1; seq <= k; seq++) {
        for (String cam : cams) {
          FramePublisher.send(producer, framesTopic, cam, seq, frames.get(seq % frames.size()));
        }
      }
      producer.flush();
      long lastGot = System.currentTimeMillis();
      long lastReport = lastGot;
      long tLast = t0;
      while (tally.updates < expected && System.currentTimeMillis() - lastGot < 60_000) {
        if (tally.poll(fresh, null) > 0) {
          lastGot = System.currentTimeMillis();
          tLast = System.nanoTime();
        }
        if (System.currentTimeMillis() - lastReport > 5000) {
          lastReport = System.currentTimeMillis();
          log.printf("  throughput phase: %d/%d updates%n", tally.updates, expected);
        }
      }
      double seconds = (tLast - t0) / 1e9;
      double cores = (BenchMachine.processCpuSeconds() - cpu0) / seconds;
      double rss = MemoryProbe.sample().rssMb();
      double fps = tally.updates / (double) targets / seconds;
      log.printf("  throughput: %.1f frames/s (%.0f target-frames/s) over %.1f s, %.2f cores busy, RSS %.0f MB; load %s%n",
          fps, fps * targets, seconds, cores, rss, BenchMachine.loadAverage());

      // latency: paced at a fraction of the sustained rate
      double offered = Math.max(0.2, fps * o.latencyLoad() / cameras);
      long periodNanos = (long) (1e9 / offered);
      Tally paced = new Tally();
      Tally pacedCommitted = new Tally();
      long start = System.nanoTime();
      long end = start + (long) (o.latencySeconds() * 1e9);
      int seq = k + 1;
      while (System.nanoTime() < end) {
        long due = start + (long) (seq - k - 1) * periodNanos;
        if (System.nanoTime() >= due) {
          for (String cam : cams) {
            FramePublisher.send(producer, framesTopic, cam, seq, frames.get(seq % frames.size()));
          }
          producer.flush();
          seq++;
        }
        paced.poll(fresh, Duration.ofMillis(5), k);
        pacedCommitted.poll(committed, Duration.ofMillis(5), k);
      }
      long sentUpdates = (long) (seq - k - 1) * cameras * targets;
      long drainUntil = System.currentTimeMillis() + Math.max(5000, 3 * s.getInt(Setting.CHECKPOINT_INTERVAL_MS));
      while ((paced.updates < sentUpdates || pacedCommitted.updates < sentUpdates) && System.currentTimeMillis() < drainUntil) {
        paced.poll(fresh, Duration.ofMillis(20), k);
        pacedCommitted.poll(committed, Duration.ofMillis(20), k);
      }
      double[] lat = paced.latencies();
      double[] clat = pacedCommitted.latencies();
      result = new Result(variant, cameras, targets, fps, fps * targets, cores, rss, offered * cameras,
          Stats.quantile(lat, 0.5), Stats.quantile(lat, 0.95), Stats.quantile(lat, 0.99), Stats.quantile(clat, 0.5),
          Stats.quantile(clat, 0.99), paced.updates, BenchMachine.loadAverage());
      log.printf("  latency at %.1f frames/s offered (%d updates): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; committed p50 %.0f ms%n",
          offered * cameras, paced.updates, result.p50(), result.p95(), result.p99(), result.committedP50());
    } finally {
      LocalJobs.stop(job);
    }
    return result;
  }

  /**
   * Frames per camera in the backlog: the given number, or with 0 enough for a few seconds of work
   * (about 3000 target-frames, between 40 and 300 frames per camera).
   */
  static int backlog(int framesPerCamera, int cameras, int targets) {
    if (framesPerCamera > 0) {
      return framesPerCamera;
    }
    return (int) Math.min(300, Math.max(40, Math.ceil(3000.0 / ((long) cameras * targets))));
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "argus-bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
    c.subscribe(List.of(topic));
    return c;
  }

  /** Updates seen by one consumer, and their latencies. */
  private static final class Tally {
    private static final AvroCodec<TrackUpdate> CODEC = AvroCodec.trackUpdates();
    long updates;
    double[] latencies = new double[1024];
    int count;

    int poll(KafkaConsumer<String, byte[]> consumer, Duration timeout) {
      return poll(consumer, timeout, -1);
    }

    /** Counts updates of frames after {@code after} (all when negative), recording their latency when after >= 0. */
    int poll(KafkaConsumer<String, byte[]> consumer, Duration timeout, long after) {
      int got = 0;
      for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout == null ? Duration.ofMillis(100) : timeout)) {
        TrackUpdate u;
        try {
          u = CODEC.decode(r.value());
        } catch (WireFormatException e) {
          continue;
        }
        if (u.getState() == TrackState.STOPPED || (after >= 0 && u.getFrameSequence() <= after)) {
          continue;
        }
        updates++;
        got++;
        if (after >= 0) {
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = System.currentTimeMillis() - u.getCaptureTimeMs();
        }
      }
      return got;
    }

    double[] latencies() {
      return Arrays.copyOf(latencies, count);
    }
  }

  public static BenchTable table(List<Result> results, Options o, String sequenceName, String model) {
    BenchTable t = new BenchTable("Pipeline: cameras x targets through the embedded broker and the tracking job (local "
        + "Flink, parallelism 1), " + model + ", every camera replaying " + sequenceName,
        "variant", "cameras", "targets", "frames/s", "target-frames/s", "CPU cores", "RSS MB", "offered frames/s",
        "p50 ms", "p95 ms", "p99 ms", "committed p50 ms", "committed p99 ms", "load avg");
    for (Result r : results) {
      t.row(r.variant(), r.cameras(), r.targets(), r.framesPerSecond(), r.targetFramesPerSecond(), r.cpuCores(),
          r.rssMb(), r.offeredFps(), r.p50(), r.p95(), r.p99(), r.committedP50(), r.committedP99(), r.load());
    }
    t.note(String.format("frames/s: a backlog of %s frames per camera drained (sustained maximum); latency: cameras paced "
        + "at %.0f%% of that for %.0f s, update received minus capture time; committed = as a read_committed consumer "
        + "sees it (checkpoint every %d ms); CPU and RSS are the whole JVM (broker, job, benchmark); Flink options %s",
        o.framesPerCamera() > 0 ? Integer.toString(o.framesPerCamera()) : "3000 / (cameras x targets), 40..300,",
        o.latencyLoad() * 100, o.latencySeconds(), o.checkpointMs(),
        o.flinkOptions().isEmpty() ? "as the job sets them" : o.flinkOptions()));
    return t;
  }
}
