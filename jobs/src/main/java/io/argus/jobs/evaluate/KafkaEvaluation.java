package io.argus.jobs.evaluate;

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
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One-pass evaluation through the product itself: every sequence becomes a camera on a real
 * (embedded) broker, the tracking job runs on a local Flink, and the boxes scored are the ones
 * read back from the tracks topic (read_committed). What {@code evaluate} measures in-process,
 * this measures end to end; the two must agree.
 */
public final class KafkaEvaluation {

  private KafkaEvaluation() {}

  /** Predicted boxes per sequence (frame order), and the wall time from first frame to last update. */
  public record Run(List<List<Box>> predicted, double seconds) {}

  public static Run run(String modelPath, List<Sequence> sequences, int maxFrames, PrintStream log) throws Exception {
    int n = sequences.size();
    int[] frames = new int[n];
    List<ImageDirFeed> feeds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Sequence s = sequences.get(i);
      frames[i] = maxFrames > 0 ? Math.min(maxFrames, s.size()) : s.size();
      feeds.add(ImageDirFeed.of(cameraId(i, s), s));
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Settings s = Settings.load(null, Map.of(), Map.of(
          Setting.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
          Setting.MODEL_PATH.key(), modelPath,
          Setting.CHECKPOINT_INTERVAL_MS.key(), "500",
          Setting.GROUP_ID.key(), "argus-evaluate"));
      kafka.createTopics(1, s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
          s.get(Setting.TOPIC_DEAD_LETTERS));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, TrackingJob.flinkConfiguration(s));
      TrackingJob.build(env, s);
      JobClient job = env.executeAsync("argus-evaluate");
      log.println("job on a local Flink, broker at " + kafka.bootstrapServers() + "; " + n + " sequence(s) as cameras");

      List<Box[]> boxes = new ArrayList<>();
      for (int f : frames) {
        boxes.add(new Box[f]);
      }
      AvroCodec<TrackUpdate> codec = AvroCodec.trackUpdates();
      long start;
      try (KafkaProducer<String, byte[]> producer = Clients.producer(s, s.getInt(Setting.MAX_FRAME_BYTES));
          KafkaConsumer<String, byte[]> consumer = Clients.consumer(s, null, true)) {
        consumer.subscribe(List.of(s.get(Setting.TOPIC_TRACKS)));
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          ImageDirFeed feed = feeds.get(i);
          FeedFrame first = feed.frame(0);
          producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_COMMANDS), feed.cameraId(),
              AvroCodec.trackCommands().encode(Commands.start(feed.cameraId(), "target", 0, first.truths().get(0), null))));
          FramePublisher.send(producer, s.get(Setting.TOPIC_FRAMES), feed.cameraId(), 0, first);
        }
        producer.flush();
        // the frames source must not overtake the STARTs by more than the frame buffer
        long deadline = System.currentTimeMillis() + 120_000;
        while (received(boxes) < n && System.currentTimeMillis() < deadline) {
          poll(consumer, codec, feeds, boxes);
        }
        int longest = Arrays.stream(frames).max().orElse(0);
        for (int seq = 1; seq < longest; seq++) {
          for (int i = 0; i < n; i++) {
            if (seq < frames[i]) {
              FramePublisher.send(producer, s.get(Setting.TOPIC_FRAMES), feeds.get(i).cameraId(), seq, feeds.get(i).frame(seq));
            }
          }
        }
        producer.flush();
        int total = Arrays.stream(frames).sum();
        long lastOutput = System.currentTimeMillis();
        while (received(boxes) < total && System.currentTimeMillis() - lastOutput < 120_000) {
          if (poll(consumer, codec, feeds, boxes) > 0) {
            lastOutput = System.currentTimeMillis();
            log.printf("\r  %d/%d track updates from the tracks topic", received(boxes), total);
          }
        }
        log.println();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      LocalJobs.stop(job);
      List<List<Box>> predicted = new ArrayList<>();
      for (Box[] b : boxes) {
        // a frame with no update counts as a failure (an invalid box), as a lost track would
        predicted.add(Arrays.stream(b).map(x -> x == null ? new Box(0, 0, 0, 0) : x).toList());
      }
      return new Run(predicted, seconds);
    }
  }

  static String cameraId(int index, Sequence s) {
    return "eval-" + index + "-" + s.name().replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static int poll(KafkaConsumer<String, byte[]> consumer, AvroCodec<TrackUpdate> codec,
      List<ImageDirFeed> feeds, List<Box[]> boxes) {
    int got = 0;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
      TrackUpdate u;
      try {
        u = codec.decode(r.value());
      } catch (WireFormatException e) {
        continue;
      }
      if (u.getState() == TrackState.STOPPED) {
        continue;
      }
      for (int i = 0; i < feeds.size(); i++) {
        if (feeds.get(i).cameraId().equals(u.getCameraId()) && u.getFrameSequence() < boxes.get(i).length) {
          var b = u.getBox();
          boxes.get(i)[(int) u.getFrameSequence()] = new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight());
          got++;
        }
      }
    }
    return got;
  }

  private static int received(List<Box[]> boxes) {
    int n = 0;
    for (Box[] b : boxes) {
      for (Box x : b) {
        n += x == null ? 0 : 1;
      }
    }
    return n;
  }
}
