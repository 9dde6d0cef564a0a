package io.argus.jobs.kafka;

import io.argus.jobs.config.KafkaClientConfig;
import io.argus.jobs.config.Settings;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for the CLIs: string keys, byte values, sized for encoded frames. The
 * {@link Settings} variants carry {@code kafka.client.*} (TLS, SASL) to the broker; the
 * bootstrap-string variants connect in plain text and are for the embedded broker and tests.
 */
public final class Clients {

  private Clients() {}

  /** A producer with the settings' bootstrap servers and security. */
  public static KafkaProducer<String, byte[]> producer(Settings s, int maxMessageBytes) {
    return producer(KafkaClientConfig.producer(s), maxMessageBytes);
  }

  /** A consumer with the settings' bootstrap servers and security that sees only committed output. */
  public static KafkaConsumer<String, byte[]> consumer(Settings s, String groupId, boolean fromBeginning) {
    return consumer(KafkaClientConfig.consumer(s), groupId, fromBeginning);
  }

  /** An admin client with the settings' bootstrap servers and security. */
  public static Admin admin(Settings s) {
    return Admin.create(KafkaClientConfig.admin(s));
  }

  /** Plain-text producer: no security settings (the embedded broker, tests). */
  public static KafkaProducer<String, byte[]> producer(String bootstrap, int maxMessageBytes) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return producer(p, maxMessageBytes);
  }

  /** Plain-text consumer: no security settings (the embedded broker, tests). */
  public static KafkaConsumer<String, byte[]> consumer(String bootstrap, String groupId, boolean fromBeginning) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return consumer(p, groupId, fromBeginning);
  }

  private static KafkaProducer<String, byte[]> producer(Properties p, int maxMessageBytes) {
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, maxMessageBytes + 65536));
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, byte[]> consumer(Properties p, String groupId, boolean fromBeginning) {
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId == null ? "argus-cli-" + UUID.randomUUID() : groupId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, groupId != null);
    return new KafkaConsumer<>(p);
  }
}
