package io.argus.jobs.config;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client properties from the settings: {@code kafka.bootstrap.servers} plus every
 * {@code kafka.client.*} setting the client knows (a producer gets no consumer properties, so
 * Kafka does not warn about unused ones). The job's sources and sinks, the start-up checks and the
 * CLIs all start from these, so TLS and SASL settings reach every connection.
 */
public final class KafkaClientConfig {

  /** Properties argus sets itself: passing them through would break the job or contradict a setting. */
  private static final Map<String, String> RESERVED = Map.ofEntries(
      Map.entry("bootstrap.servers", "use kafka.bootstrap.servers (or -b)"),
      Map.entry("group.id", "use kafka.group.id; the CLIs choose their own groups"),
      Map.entry("transaction.timeout.ms", "use kafka.transaction.timeout.ms, which is checked against the checkpoint interval"),
      Map.entry("transactional.id", "the exactly-once sink names its transactions from kafka.group.id"),
      Map.entry("isolation.level", "always read_committed: the job writes in transactions"),
      Map.entry("enable.auto.commit", "the job commits offsets with its checkpoints"),
      Map.entry("auto.offset.reset", "the job resumes from committed offsets, else the earliest; 'argus tracks' has --from-beginning"),
      Map.entry("key.serializer", "keys are strings and values bytes; argus sets the serializers"),
      Map.entry("value.serializer", "keys are strings and values bytes; argus sets the serializers"),
      Map.entry("key.deserializer", "keys are strings and values bytes; argus sets the deserializers"),
      Map.entry("value.deserializer", "keys are strings and values bytes; argus sets the deserializers"),
      Map.entry("max.request.size", "derived from frames.max-bytes"),
      Map.entry("max.partition.fetch.bytes", "derived from frames.max-bytes"),
      Map.entry("fetch.max.bytes", "derived from frames.max-bytes"));

  private KafkaClientConfig() {}

  /** Why {@code kafka.client.<name>} cannot be set, or null when it can. */
  static String problemWith(String name) {
    String reserved = RESERVED.get(name);
    if (reserved != null) {
      return "argus sets " + name + " itself: " + reserved;
    }
    if (!ProducerConfig.configNames().contains(name) && !ConsumerConfig.configNames().contains(name)
        && !AdminClientConfig.configNames().contains(name)) {
      return "'" + name + "' is not a Kafka producer, consumer or admin client property "
          + "(see https://kafka.apache.org/documentation/#configuration)";
    }
    return null;
  }

  public static Properties producer(Settings s) {
    return properties(s, ProducerConfig.configNames());
  }

  public static Properties consumer(Settings s) {
    return properties(s, ConsumerConfig.configNames());
  }

  public static Properties admin(Settings s) {
    return properties(s, AdminClientConfig.configNames());
  }

  private static Properties properties(Settings s, Set<String> known) {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", s.get(Setting.BOOTSTRAP_SERVERS));
    s.kafkaClientProperties().forEach((name, value) -> {
      if (known.contains(name)) {
        p.setProperty(name, value);
      }
    });
    return p;
  }
}
