package io.argus.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
