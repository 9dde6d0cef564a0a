package io.argus.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.kafka.Clients;
import io.argus.jobs.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The broker comes back after a stop on the same address with its data; clients ride through. */
class EmbeddedKafkaRestartTest {

  @Test
  void aStoppedBrokerRestartsWithItsTopicsAndRecordsAndSendsMadeWhileDownArrive() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        KafkaProducer<String, byte[]> producer = Clients.producer(kafka.bootstrapServers(), 1 << 20)) {
      kafka.createTopics(1, "restart-test");
      for (int i = 0; i < 5; i++) {
        producer.send(record(i)).get();
      }
      String address = kafka.bootstrapServers();

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      assertThatThrownBy(() -> kafka.createTopics(1, "other")).hasMessageContaining("restart() it first");
      // a camera keeps sending while the broker is away: send() waits for the broker's metadata
      List<Future<RecordMetadata>> whileDown = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread camera = new Thread(() -> {
        for (int i = 5; i < 10; i++) {
          whileDown.add(producer.send(record(i)));
        }
      });
      camera.start();
      Thread.sleep(1000);
      kafka.restart();
      camera.join(60_000);
      assertThat(kafka.isRunning()).isTrue();
      assertThat(kafka.bootstrapServers()).isEqualTo(address);
      for (Future<RecordMetadata> f : whileDown) {
        f.get();
      }

      List<String> values = new ArrayList<>();
      try (var consumer = Clients.consumer(kafka.bootstrapServers(), null, true)) {
        consumer.subscribe(List.of("restart-test"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (values.size() < 10 && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
      assertThat(values).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }
  }

  static ProducerRecord<String, byte[]> record(int i) {
    return new ProducerRecord<>("restart-test", "k", ("m" + i).getBytes(StandardCharsets.UTF_8));
  }
}
