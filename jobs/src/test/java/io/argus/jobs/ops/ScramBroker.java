package io.argus.jobs.ops;

import io.argus.jobs.local.EmbeddedKafka;
import io.argus.jobs.local.EmbeddedKafka.ScramUser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One embedded broker with a SASL/SCRAM listener for the operations tests, started on first use and
 * stopped when the test JVM exits: each start costs seconds, the tests only need their own topics.
 */
final class ScramBroker {

  static final ScramUser JOB = new ScramUser("argus-job", "job-secret-1");
  static final ScramUser CAMERA = new ScramUser("camera-7", "camera-secret-7");

  private static EmbeddedKafka kafka;

  private ScramBroker() {}

  static synchronized EmbeddedKafka get() {
    if (kafka == null) {
      long t0 = System.nanoTime();
      kafka = EmbeddedKafka.startWithScram(Map.of(), JOB, CAMERA);
      System.out.printf("SCRAM broker started in %d ms: plain %s, SASL %s%n", (System.nanoTime() - t0) / 1_000_000,
          kafka.bootstrapServers(), kafka.saslBootstrapServers());
      EmbeddedKafka started = kafka;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "scram-broker-stop"));
    }
    return kafka;
  }

  /** Waits until the broker's metadata has the topics: it gets them a moment after the controller. */
  static void awaitTopics(String... names) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, get().bootstrapServers()))) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        try {
          admin.describeTopics(List.of(names)).allTopicNames().get();
          return;
        } catch (ExecutionException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /** Settings that reach the broker's SASL listener as {@code user}. */
  static Map<String, String> saslSettings(ScramUser user, String password) {
    return Map.of(
        "kafka.bootstrap.servers", get().saslBootstrapServers(),
        "kafka.client.security.protocol", "SASL_PLAINTEXT",
        "kafka.client.sasl.mechanism", EmbeddedKafka.SCRAM_MECHANISM,
        "kafka.client.sasl.jaas.config", EmbeddedKafka.jaasConfig(user.name(), password));
  }
}
