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
  void theReadmeTableIsTheOneTheCodePrints() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains(io.argus.jobs.cli.SettingsTable.markdown());
  }
}
