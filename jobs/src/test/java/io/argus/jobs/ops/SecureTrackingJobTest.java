package io.argus.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.MessageSizes;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.config.StartupChecks;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.feed.SceneFeed;
import io.argus.jobs.kafka.Clients;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.CommandAction;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.TrackCommand;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.proto.Encoding;
import io.argus.schemas.proto.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tracking job on a Flink MiniCluster against a broker that only lets authenticated clients in
 * (SASL/SCRAM): the kafka.client.* settings must reach the job's sources and its exactly-once sinks.
 * The per-producer limits must take effect through TrackingJob: a frame over frames.max-bytes and a
 * START beyond tracker.max-targets-per-camera go to the dead-letter topic while tracking goes on.
 * The start-up checks pass on these topics, over SASL, before anything is submitted.
 */
class SecureTrackingJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final int FRAMES = 8;
  static final long OVERSIZE_SEQUENCE = 3;
  static final int MAX_FRAME_BYTES = 200_000;

  @Test
  void overScramTheJobTracksAndItsLimitsHold() throws Exception {
    Map<String, String> job = new HashMap<>(ScramBroker.saslSettings(ScramBroker.JOB, ScramBroker.JOB.password()));
    job.putAll(Map.of(
        Setting.TOPIC_FRAMES.key(), "secure.frames", Setting.TOPIC_COMMANDS.key(), "secure.commands",
        Setting.TOPIC_TRACKS.key(), "secure.tracks", Setting.TOPIC_DEAD_LETTERS.key(), "secure.dead-letters",
        Setting.GROUP_ID.key(), "secure-e2e", Setting.CHECKPOINT_INTERVAL_MS.key(), "500",
        Setting.MAX_FRAME_BYTES.key(), String.valueOf(MAX_FRAME_BYTES),
        Setting.MAX_TARGETS.key(), "2", Setting.MAX_PENDING_STARTS.key(), "2"));
    Settings s = Settings.load(null, Map.of(), job);
    createTopics(s);

    List<String> checked = StartupChecks.verify(s);
    assertThat(checked).anySatisfy(l -> assertThat(l).startsWith("model default: siamfc"));
    assertThat(checked).anySatisfy(l -> assertThat(l).isEqualTo("topic secure.frames: 2 partitions"));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TrackingJob.flinkConfiguration(s));
    TrackingJob.build(env, s);
    JobClient running = env.executeAsync("secure-e2e");

    // a camera of its own identity publishes: three STARTs where two are allowed, and one frame too large
    Settings camera = s.with("kafka.client.sasl.jaas.config", ScramBroker.CAMERA.jaasConfig());
    SceneFeed feed = new SceneFeed("cam-1", SceneFeed.demoSpec(320, 240, 3, 5), FRAMES);
    List<Box> truths = feed.frame(0).truths();
    int oversizeBytes;
    try (var producer = Clients.producer(camera, MAX_FRAME_BYTES)) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_COMMANDS), "cam-1",
            AvroCodec.trackCommands().encode(start("cam-1", "obj-" + i, truths.get(i)))));
      }
      producer.flush();
      byte[] oversize = Frame.newBuilder().setCameraId("cam-1").setSequence(OVERSIZE_SEQUENCE)
          .setCaptureTimeMs(System.currentTimeMillis()).setEncoding(Encoding.JPEG).setWidth(320).setHeight(240)
          .setData(ByteString.copyFrom(new byte[MAX_FRAME_BYTES + 8_000])).build().toByteArray();
      oversizeBytes = oversize.length;
      // the topic carries it (its limit is a little above the job's), the job must refuse it
      assertThat(oversizeBytes).isLessThan(MessageSizes.framesTopicMaxBytes(s)).isGreaterThan(MAX_FRAME_BYTES);
      for (long seq = 0; seq < FRAMES; seq++) {
        if (seq == OVERSIZE_SEQUENCE) {
          producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_FRAMES), "cam-1", oversize));
        } else {
          FramePublisher.send(producer, s.get(Setting.TOPIC_FRAMES), "cam-1", seq, feed.frame(seq));
        }
      }
      producer.flush();
    }

    int expected = 2 * (FRAMES - 1);
    Map<String, TreeSet<Long>> tracked = new HashMap<>();
    List<DeadLetter> letters = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 180_000;
    try (var tracks = Clients.consumer(s, null, true); var dead = Clients.consumer(s, null, true)) {
      tracks.subscribe(List.of(s.get(Setting.TOPIC_TRACKS)));
      dead.subscribe(List.of(s.get(Setting.TOPIC_DEAD_LETTERS)));
      while ((count(tracked) < expected || letters.size() < 2) && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : tracks.poll(Duration.ofMillis(300))) {
          TrackUpdate u = AvroCodec.trackUpdates().decode(r.value());
          tracked.computeIfAbsent(u.getTargetId().toString(), k -> new TreeSet<>()).add(u.getFrameSequence());
        }
        for (ConsumerRecord<String, byte[]> r : dead.poll(Duration.ofMillis(100))) {
          letters.add(AvroCodec.deadLetters().decode(r.value()));
        }
      }
    } finally {
      running.cancel().get();
    }

    List<Long> all = new ArrayList<>();
    for (long seq = 0; seq < FRAMES; seq++) {
      if (seq != OVERSIZE_SEQUENCE) {
        all.add(seq);
      }
    }
    assertThat(tracked.keySet()).containsExactlyInAnyOrder("obj-0", "obj-1");
    assertThat(tracked.get("obj-0")).containsExactlyElementsOf(all);
    assertThat(tracked.get("obj-1")).containsExactlyElementsOf(all);
    assertThat(letters).extracting(DeadLetter::getReason)
        .containsExactlyInAnyOrder(DeadLetterReason.TOO_MANY_TARGETS, DeadLetterReason.FRAME_TOO_LARGE);
    DeadLetter frame = letters.stream().filter(l -> l.getReason() == DeadLetterReason.FRAME_TOO_LARGE).findFirst().orElseThrow();
    assertThat(frame.getPayload().remaining()).as("the refused frame travels whole").isEqualTo(oversizeBytes);
    DeadLetter target = letters.stream().filter(l -> l.getReason() == DeadLetterReason.TOO_MANY_TARGETS).findFirst().orElseThrow();
    assertThat(target.getMessage().toString()).contains("already has 2 targets");
  }

  private static int count(Map<String, TreeSet<Long>> tracked) {
    return tracked.values().stream().mapToInt(TreeSet::size).sum();
  }

  /** The topics as a deployment makes them: frames and dead letters sized from frames.max-bytes. */
  private static void createTopics(Settings s) throws Exception {
    try (var admin = Clients.admin(s)) {
      admin.createTopics(List.of(
          new NewTopic(s.get(Setting.TOPIC_FRAMES), 2, (short) 1).configs(Map.of(
              "max.message.bytes", String.valueOf(MessageSizes.framesTopicMinBytes(s) + 12_000))),
          new NewTopic(s.get(Setting.TOPIC_COMMANDS), 1, (short) 1),
          new NewTopic(s.get(Setting.TOPIC_TRACKS), 1, (short) 1),
          new NewTopic(s.get(Setting.TOPIC_DEAD_LETTERS), 1, (short) 1).configs(Map.of(
              "max.message.bytes", String.valueOf(MessageSizes.deadLettersTopicMinBytes(s)))))).all().get();
      ScramBroker.awaitTopics(s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
          s.get(Setting.TOPIC_DEAD_LETTERS));
    }
  }

  static TrackCommand start(String camera, String target, Box b) {
    return TrackCommand.newBuilder()
        .setCameraId(camera).setTargetId(target).setAction(CommandAction.START).setFrameSequence(0)
        .setBox(new io.argus.schemas.Box((float) b.x(), (float) b.y(), (float) b.width(), (float) b.height()))
        .setLabel(null).setModel(null).setIssuedAtMs(System.currentTimeMillis()).build();
  }
}
