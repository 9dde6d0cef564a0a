package io.argus.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.config.MessageSizes;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.config.StartupChecks;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/**
 * Kafka security end to end on a real broker: a SASL_PLAINTEXT listener with SCRAM-SHA-512
 * credentials created at format time. The kafka.client.* settings must reach the CLIs' clients and
 * the start-up checks; a wrong password must be refused by the broker, not only by us.
 */
class SecureKafkaTest {

  @Test
  void theRightCredentialsProduceAndConsumeOverScram() throws Exception {
    EmbeddedKafka kafka = ScramBroker.get();
    kafka.createTopics(1, "secure-roundtrip");
    Settings s = Settings.load(null, Map.of(), ScramBroker.saslSettings(ScramBroker.CAMERA, ScramBroker.CAMERA.password()));
    try (var producer = Clients.producer(s, 1 << 20)) {
      producer.send(new ProducerRecord<>("secure-roundtrip", "cam-1", "hello".getBytes(StandardCharsets.UTF_8))).get();
    }
    List<String> got = new ArrayList<>();
    try (var consumer = Clients.consumer(s, null, true)) {
      consumer.subscribe(List.of("secure-roundtrip"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (got.isEmpty() && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8)));
      }
    }
    assertThat(got).containsExactly("cam-1=hello");
  }

  @Test
  void aWrongPasswordIsRefusedByTheBroker() {
    EmbeddedKafka kafka = ScramBroker.get();
    kafka.createTopics(1, "secure-refused");
    Map<String, String> wrong = new HashMap<>(ScramBroker.saslSettings(ScramBroker.CAMERA, "not-the-password"));
    wrong.put("kafka.client.max.block.ms", "10000");
    Settings s = Settings.load(null, Map.of(), wrong);
    try (var producer = Clients.producer(s, 1 << 20)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secure-refused", "cam-1", new byte[1])).get())
          .satisfiesAnyOf(
              e -> assertThat(e).isInstanceOf(SaslAuthenticationException.class),
              e -> assertThat(e).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class))
          .hasMessageContaining("Authentication failed");
    }
  }

  @Test
  void theStartUpChecksRefuseMissingTopicsWrongCredentialsAndTopicsTooSmallOrTooLargeForFrames() throws Exception {
    EmbeddedKafka kafka = ScramBroker.get();
    Map<String, String> base = new HashMap<>(ScramBroker.saslSettings(ScramBroker.JOB, ScramBroker.JOB.password()));
    base.putAll(Map.of(Setting.TOPIC_FRAMES.key(), "checks.frames", Setting.TOPIC_COMMANDS.key(), "checks.commands",
        Setting.TOPIC_TRACKS.key(), "checks.tracks", Setting.TOPIC_DEAD_LETTERS.key(), "checks.dead-letters",
        Setting.MAX_FRAME_BYTES.key(), "100000", Setting.CHECKS_TIMEOUT_MS.key(), "5000"));
    Settings s = Settings.load(null, Map.of(), base);

    // nothing created yet: every topic is named with its setting
    assertThatThrownBy(() -> StartupChecks.verify(s)).isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("topic 'checks.frames' (topic.frames) does not exist on " + kafka.saslBootstrapServers())
        .hasMessageContaining("topic 'checks.dead-letters' (topic.dead-letters) does not exist")
        .satisfies(e -> assertThat(((StartupChecks.Failure) e).problems()).hasSize(4));

    // the broker's 8 MiB default: far more than a 100 kB frame limit on frames, enough for dead letters
    kafka.createTopics(1, "checks.frames", "checks.commands", "checks.tracks", "checks.dead-letters");
    ScramBroker.awaitTopics("checks.frames", "checks.commands", "checks.tracks", "checks.dead-letters");
    assertThatThrownBy(() -> StartupChecks.verify(s)).isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("topic 'checks.frames' takes messages up to max.message.bytes=" + kafka.maxMessageBytes())
        .hasMessageContaining("restart on it forever")
        .satisfies(e -> assertThat(((StartupChecks.Failure) e).problems()).hasSize(1));
    // ... and a frame limit above the dead-letter topic's
    Settings big = s.with(Setting.MAX_FRAME_BYTES, String.valueOf(kafka.maxMessageBytes()));
    assertThatThrownBy(() -> StartupChecks.verify(big)).isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("topic 'checks.frames' takes messages up to max.message.bytes=" + kafka.maxMessageBytes()
            + ", less than a frame the job accepts")
        .hasMessageContaining("topic 'checks.dead-letters' takes messages up to max.message.bytes=" + kafka.maxMessageBytes()
            + ": a refused frame travels whole");
    // sized to the frame limit, the topics pass
    Settings fits = s.with(Setting.MAX_FRAME_BYTES, String.valueOf(kafka.maxMessageBytes() - MessageSizes.FRAMES_TOPIC_SLACK_BYTES))
        .with(Setting.TOPIC_DEAD_LETTERS, "checks.dead-letters-big");
    try (var admin = Clients.admin(fits)) {
      admin.createTopics(List.of(new NewTopic("checks.dead-letters-big", 1, (short) 1).configs(Map.of(
          "max.message.bytes", String.valueOf(MessageSizes.deadLettersTopicMinBytes(fits)))))).all().get();
    }
    ScramBroker.awaitTopics("checks.dead-letters-big");
    assertThat(StartupChecks.verify(fits)).contains("topic checks.frames: 1 partitions");

    Settings wrong = s.with("kafka.client.sasl.jaas.config", EmbeddedKafka.jaasConfig(ScramBroker.JOB.name(), "guess"));
    assertThatThrownBy(() -> StartupChecks.verify(wrong)).isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("Kafka at " + kafka.saslBootstrapServers() + " refused to authenticate the job")
        .hasMessageContaining("kafka.client.sasl.jaas.config");
  }

  @Test
  void withoutSecuritySettingsTheSaslListenerIsNotAWayIn() {
    EmbeddedKafka kafka = ScramBroker.get();
    Settings s = Settings.load(null, Map.of(), Map.of(
        Setting.BOOTSTRAP_SERVERS.key(), kafka.saslBootstrapServers(), Setting.CHECKS_TIMEOUT_MS.key(), "3000"));
    assertThatThrownBy(() -> StartupChecks.verify(s))
        .isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("cannot reach Kafka at " + kafka.saslBootstrapServers())
        .hasMessageContaining("kafka.client.security.protocol (now PLAINTEXT)");
  }
}
