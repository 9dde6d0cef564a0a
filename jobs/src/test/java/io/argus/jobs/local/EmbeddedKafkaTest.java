package io.argus.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    long t0 = System.nanoTime();
    kafka = EmbeddedKafka.start();
    System.out.printf("embedded Kafka started in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000,
        kafka.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      long t0 = System.nanoTime();
      kafka.close();
      System.out.printf("embedded Kafka stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void committedTransactionsAreVisibleAndAbortedOnesAreNot() {
    kafka.createTopics(2, "tx-test");
    kafka.createTopics(2, "tx-test"); // idempotent
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, kafka.maxMessageBytes()),
        new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "cam-1", "committed-1"));
      producer.send(new ProducerRecord<>("tx-test", "cam-2", "committed-2"));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "cam-1", "aborted"));
      producer.flush();
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "cam-1", "committed-3"));
      producer.commitTransaction();
    }

    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("tx-test"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.size() < 3 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // anything aborted would have arrived by now: it sits before committed-3 in the partition
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
        values.add(r.value());
      }
    }
    assertThat(values).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
  }

  @Test
  void framesUpToTheLimitPassAndTopicsCarryTheLimit() throws Exception {
    kafka.createTopics(1, "big");
    assertThat(kafka.maxMessageBytes()).isEqualTo(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, "big");
      ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("max.message.bytes");
      assertThat(entry.value()).isEqualTo(String.valueOf(kafka.maxMessageBytes()));
    }

    byte[] fourMiB = new byte[4 * 1024 * 1024];
    fourMiB[fourMiB.length - 1] = 42;
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, kafka.maxMessageBytes() * 2),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("big", "cam".getBytes(StandardCharsets.UTF_8), fourMiB)).get();
      // over the broker's limit: the broker, not only the client, refuses it
      byte[] tooBig = new byte[kafka.maxMessageBytes() + 1];
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("big", tooBig)).get())
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
    }
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "big-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, kafka.maxMessageBytes()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("big"));
      byte[] got = null;
      long deadline = System.currentTimeMillis() + 30_000;
      while (got == null && System.currentTimeMillis() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          got = r.value();
        }
      }
      assertThat(got).hasSize(fourMiB.length);
      assertThat(got[got.length - 1]).isEqualTo((byte) 42);
    }
  }
}
