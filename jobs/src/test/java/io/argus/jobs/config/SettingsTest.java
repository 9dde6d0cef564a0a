package io.argus.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path tmp;

  @Test
  void precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws Exception {
    Path file = tmp.resolve("argus.properties");
    Files.writeString(file, "topic.tracks=from-file\ntopic.frames=from-file\ntopic.commands=from-file\n");
    Settings s = Settings.load(file,
        Map.of("ARGUS_TOPIC_FRAMES", "from-env", "ARGUS_TOPIC_COMMANDS", "from-env"),
        Map.of("topic.commands", "from-flag"));
    assertThat(s.get(Setting.TOPIC_DEAD_LETTERS)).isEqualTo("argus.dead-letters");
    assertThat(s.get(Setting.TOPIC_TRACKS)).isEqualTo("from-file");
    assertThat(s.get(Setting.TOPIC_FRAMES)).isEqualTo("from-env");
    assertThat(s.get(Setting.TOPIC_COMMANDS)).isEqualTo("from-flag");
  }

  @Test
  void aTypoIsAnErrorNotASilentDefault() throws Exception {
    Path file = tmp.resolve("typo.properties");
    Files.writeString(file, "topic.track=oops\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of(), Map.of()))
        .hasMessageContaining("unknown setting 'topic.track'").hasMessageContaining("topic.tracks");
  }

  @Test
  void contradictionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.transaction.timeout.ms", "1000000")))
        .hasMessageContaining("transaction.max.timeout.ms");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.transaction.timeout.ms", "4000")))
        .hasMessageContaining("longer than checkpoint.interval.ms");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("state.backend", "memory")))
        .hasMessageContaining("hashmap or rocksdb");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.frame-buffer", "x")))
        .hasMessageContaining("whole number");
    // at-least-once has no transactions, so the timeout does not matter there
    assertThat(Settings.load(null, Map.of(), Map.of("delivery.guarantee", "at-least-once",
        "kafka.transaction.timeout.ms", "1000")).exactlyOnce()).isFalse();
  }

  @Test
  void moreContradictionsAreRefused() {
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("state.backend", "rocksdb")))
        .hasMessageContaining("state.backend=rocksdb needs checkpoint.dir");
    assertThat(Settings.load(null, Map.of(), Map.of("state.backend", "rocksdb", "checkpoint.dir", "file:///tmp/cp"))
        .get(Setting.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.max-targets-per-camera", "8")))
        .hasMessageContaining("tracker.max-pending-starts (16) cannot exceed tracker.max-targets-per-camera (8)");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("topic.tracks", "argus.frames")))
        .hasMessageContaining("topic.frames and topic.tracks are both 'argus.frames'");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("frames.max-bytes", String.valueOf(65 << 20))))
        .hasMessageContaining("encoded frames");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("checks.timeout.ms", "0")))
        .hasMessageContaining("checks.timeout.ms must be positive");
  }

  @Test
  void kafkaClientPropertiesComeFromFileEnvironmentAndFlags() throws Exception {
    Path file = tmp.resolve("secure.properties");
    Files.writeString(file, "kafka.client.security.protocol=SASL_SSL\nkafka.client.sasl.mechanism=PLAIN\n");
    Settings s = Settings.load(file,
        Map.of("ARGUS_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
            "ARGUS_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
            "ARGUS_JAVA_OPTS", "-Xmx1g", "PATH", "/usr/bin"),
        Map.of("kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"job\" password=\"pw\";", "kafka.client.compression.type", "zstd"));
    assertThat(s.kafkaClientProperties()).containsOnlyKeys("security.protocol", "sasl.mechanism",
        "ssl.truststore.location", "sasl.jaas.config", "compression.type");
    assertThat(s.kafkaClientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12");
    assertThat(s.securityProtocol()).isEqualTo("SASL_SSL");

    // every client gets bootstrap.servers and the properties it knows, nothing else
    var producer = KafkaClientConfig.producer(s);
    var consumer = KafkaClientConfig.consumer(s);
    var admin = KafkaClientConfig.admin(s);
    for (var p : java.util.List.of(producer, consumer, admin)) {
      assertThat(p).containsEntry("bootstrap.servers", "localhost:9092").containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsKey("sasl.jaas.config");
    }
    assertThat(producer).containsEntry("compression.type", "zstd");
    assertThat(consumer).doesNotContainKey("compression.type");
    assertThat(admin).doesNotContainKey("compression.type");

    // secrets never print
    assertThat(s.toString()).contains("kafka.client.sasl.jaas.config=******").doesNotContain("pw");
  }

  @Test
  void kafkaClientPropertiesArgusSetsOrKafkaDoesNotKnowAreRefused() {
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.bootstrap.servers", "x:9092")))
        .hasMessageContaining("use kafka.bootstrap.servers");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.isolation.level", "read_uncommitted")))
        .hasMessageContaining("read_committed");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.max.request.size", "1")))
        .hasMessageContaining("derived from frames.max-bytes");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.sasl.jass.config", "x")))
        .hasMessageContaining("'sasl.jass.config' is not a Kafka producer, consumer or admin client property");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.", "x")))
        .hasMessageContaining("kafka.client.<property>");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.security.protocol", "TLS")))
        .hasMessageContaining("must be one of [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]");
  }

  @Test
  void credentialsWithoutTheProtocolThatUsesThemAreAContradiction() {
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.sasl.mechanism", "SCRAM-SHA-512")))
        .hasMessageContaining("kafka.client.security.protocol is PLAINTEXT")
        .hasMessageContaining("SASL settings would be ignored");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("kafka.client.security.protocol", "SASL_PLAINTEXT",
        "kafka.client.ssl.truststore.location", "/x.p12")))
        .hasMessageContaining("ssl settings would be ignored");
    assertThat(Settings.load(null, Map.of(), Map.of("kafka.client.security.protocol", "ssl",
        "kafka.client.ssl.truststore.location", "/x.p12")).securityProtocol()).isEqualTo("SSL");
  }

  @Test
  void anUnknownArgusVariableIsAnError() {
    assertThatThrownBy(() -> Settings.load(null, Map.of("ARGUS_TOPIC_FRAME", "x"), Map.of()))
        .hasMessageContaining("unknown environment variable ARGUS_TOPIC_FRAME");
  }

  @Test
  void hyperParameterOverridesKeepTheirCamelCaseNames() {
    Settings s = Settings.load(null, Map.of("ARGUS_TRACKER_HYPER_WINDOW_INFLUENCE", "0.25"),
        Map.of("tracker.hyper.scaleLr", "0.5", "tracker.hyper.responseUpsample", "8"));
    assertThat(s.hyperOverrides()).containsOnly(
        Map.entry("windowInfluence", 0.25), Map.entry("scaleLr", 0.5), Map.entry("responseUpsample", 8.0));
    assertThat(SettingPrefix.TRACKER_HYPER.envNameOf("tracker.hyper.windowInfluence"))
        .isEqualTo("ARGUS_TRACKER_HYPER_WINDOW_INFLUENCE");
    assertThat(SettingPrefix.KAFKA_CLIENT.envNameOf("kafka.client.sasl.jaas.config"))
        .isEqualTo("ARGUS_KAFKA_CLIENT_SASL_JAAS_CONFIG");
    // the two names of every key map onto each other
    for (String key : java.util.List.of("tracker.hyper.windowInfluence", "tracker.hyper.scaleLr", "tracker.hyper.penaltyK")) {
      assertThat(SettingPrefix.TRACKER_HYPER.keyOfEnv(SettingPrefix.TRACKER_HYPER.envNameOf(key))).isEqualTo(key);
    }
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.hyper.windowInfluence", "much")))
        .hasMessageContaining("tracker.hyper.windowInfluence must be a number");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.hyper.window-influence", "0.2")))
        .hasMessageContaining("not a hyper-parameter name");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.hyper.scaleLr", "NaN")))
        .hasMessageContaining("finite");
  }

  @Test
  void batchingAndSheddingSettingsReachTheOperatorAndNonsenseIsRefused() {
    var t = io.argus.jobs.TrackingJob.trackerSettings(Settings.load(null, Map.of("ARGUS_TRACKER_SHED_POLICY", "max-fps"),
        Map.of("tracker.batch.max-crops", "96", "tracker.batch.max-wait.ms", "0", "tracker.shed.max-fps", "2.5",
            "tracker.shed.max-lag.ms", "3000")));
    assertThat(t.batchMaxCrops()).isEqualTo(96);
    assertThat(t.batchMaxWaitMs()).isZero();
    assertThat(t.shedding()).isEqualTo(new io.argus.operators.flink.LoadShedding(
        io.argus.operators.flink.LoadShedding.Policy.MAX_FPS, 3000, 2.5));
    var defaults = io.argus.jobs.TrackingJob.trackerSettings(Settings.defaults());
    assertThat(defaults.shedding().policy()).isEqualTo(io.argus.operators.flink.LoadShedding.Policy.ALL);
    assertThat(defaults.batchMaxCrops()).isEqualTo(64);
    assertThat(defaults.batchMaxWaitMs()).isEqualTo(20);

    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.shed.policy", "sometimes")))
        .hasMessageContaining("tracker.shed.policy").hasMessageContaining("all, latest or max-fps");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.shed.max-fps", "0")))
        .hasMessageContaining("tracker.shed.max-fps");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.batch.max-wait.ms", "-1")))
        .hasMessageContaining("tracker.batch.max-wait.ms");
    assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("tracker.batch.max-crops", "0")))
        .hasMessageContaining("tracker.batch.max-crops must be positive");
  }

  @Test
  void theDeploySampleLoads() {
    Settings s = Settings.load(Path.of("..", "deploy", "argus.properties"), Map.of(), Map.of());
    assertThat(s.get(Setting.STATE_BACKEND)).isEqualTo("rocksdb");
  }

  @Test
  void theReadmeTableIsTheOneTheCodePrints() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains(io.argus.jobs.cli.SettingsTable.markdown());
  }
}
