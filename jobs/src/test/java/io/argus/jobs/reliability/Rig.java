package io.argus.jobs.reliability;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.FeedFrame;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.local.EmbeddedKafka;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.CommandAction;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.TrackCommand;
import io.argus.schemas.proto.Frame;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One broker, the job's settings, a producer for frames and commands and the committed outputs:
 * what every reliability test shares.
 */
final class Rig implements AutoCloseable {

  final EmbeddedKafka kafka;
  final Settings settings;
  final KafkaProducer<String, byte[]> producer;
  final Outputs outputs;

  Rig(String groupId, Map<String, String> extraSettings) {
    kafka = EmbeddedKafka.start();
    try {
      Map<String, String> o = new HashMap<>(extraSettings);
      o.put(Setting.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
      o.put(Setting.GROUP_ID.key(), groupId);
      o.putIfAbsent(Setting.CHECKPOINT_INTERVAL_MS.key(), "300");
      settings = Settings.load(null, Map.of(), o);
      kafka.createTopics(2, settings.get(Setting.TOPIC_FRAMES), settings.get(Setting.TOPIC_COMMANDS),
          settings.get(Setting.TOPIC_TRACKS), settings.get(Setting.TOPIC_DEAD_LETTERS));
      producer = Clients.producer(kafka.bootstrapServers(), 1 << 20);
      outputs = new Outputs(kafka.bootstrapServers(), settings.get(Setting.TOPIC_TRACKS),
          settings.get(Setting.TOPIC_DEAD_LETTERS));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  org.apache.flink.configuration.Configuration flinkConfiguration() {
    return TrackingJob.flinkConfiguration(settings);
  }

  void frame(String camera, long seq, FeedFrame f) {
    FramePublisher.send(producer, settings.get(Setting.TOPIC_FRAMES), camera, seq, f);
  }

  void frame(String key, Frame frame) {
    frameRecord(key, frame.toByteArray());
  }

  void frameRecord(String key, byte[] value) {
    producer.send(new ProducerRecord<>(settings.get(Setting.TOPIC_FRAMES), key, value));
  }

  void command(TrackCommand c) {
    commandRecord(c.getCameraId(), AvroCodec.trackCommands().encode(c));
  }

  void commandRecord(String key, byte[] value) {
    producer.send(new ProducerRecord<>(settings.get(Setting.TOPIC_COMMANDS), key, value));
  }

  void flush() {
    producer.flush();
  }

  static TrackCommand start(String camera, String target, long seq, Box b) {
    return TrackCommand.newBuilder()
        .setCameraId(camera).setTargetId(target).setAction(CommandAction.START).setFrameSequence(seq)
        .setBox(new io.argus.schemas.Box((float) b.x(), (float) b.y(), (float) b.width(), (float) b.height()))
        .setLabel(null).setModel(null).setIssuedAtMs(System.currentTimeMillis()).build();
  }

  /**
   * Target id of the "probe" STOP a test sends after a camera's commands: its UNKNOWN_TARGET dead
   * letter proves that every command before it on that camera was processed (one camera's
   * commands share a partition and a subtask, so they stay in order).
   */
  static final String PROBE = "probe";

  static boolean isProbe(DeadLetter d) {
    return d.getReason() == DeadLetterReason.UNKNOWN_TARGET && d.getMessage().contains("'" + PROBE + "'");
  }

  static TrackCommand stop(String camera, String target) {
    return TrackCommand.newBuilder()
        .setCameraId(camera).setTargetId(target).setAction(CommandAction.STOP).setFrameSequence(0)
        .setBox(null).setLabel(null).setModel(null).setIssuedAtMs(System.currentTimeMillis()).build();
  }

  @Override
  public void close() throws Exception {
    outputs.close();
    producer.close();
    kafka.close();
  }
}
