package io.argus.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.models.image.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPartsTest {

  @Test
  void targetLayoutStartsWithTheTruthAndKeepsEveryBoxInsideTheFrame() {
    Box truth = new Box(100.4, 50.6, 30.2, 60.0);
    List<Box> boxes = TargetLayout.place(truth, 64, 360, 240);
    assertThat(boxes).hasSize(64);
    assertThat(boxes.get(0)).isEqualTo(new Box(100, 51, 30, 60));
    Set<String> distinct = new HashSet<>();
    for (Box b : boxes) {
      assertThat(b.width()).isEqualTo(30);
      assertThat(b.height()).isEqualTo(60);
      assertThat(b.x()).isBetween(0.0, 330.0);
      assertThat(b.y()).isBetween(0.0, 180.0);
      distinct.add(b.x() + "," + b.y());
    }
    assertThat(distinct).as("targets spread over the frame, not stacked").hasSizeGreaterThan(50);
  }

  @Test
  void targetLayoutClipsATruthLargerThanTheFrame() {
    List<Box> boxes = TargetLayout.place(new Box(-5, -5, 500, 20), 4, 100, 80);
    for (Box b : boxes) {
      assertThat(b.x()).isEqualTo(0);
      assertThat(b.width()).isEqualTo(100);
      assertThat(b.y() + b.height()).isLessThanOrEqualTo(80);
    }
  }

  @Test
  void quantilesAreNearestRank() {
    double[] v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
    assertThat(Stats.median(v)).isEqualTo(5);
    assertThat(Stats.quantile(v, 0.95)).isEqualTo(10);
    assertThat(Stats.quantile(v, 0.1)).isEqualTo(1);
    assertThat(Stats.quantile(new double[0], 0.5)).isNaN();
    assertThat(v[0]).as("input left unsorted").isEqualTo(5);
  }

  @Test
  void tableWritesAlignedTextCsvAndJson(@TempDir Path dir) throws Exception {
    BenchTable t = new BenchTable("title", "targets", "ms/frame", "label");
    t.row(1, 7.678, "a,b");
    t.row(16, 123.4, "c");
    t.note("a note");
    String text = t.format();
    assertThat(text).contains("| 1       |     7.68 | a,b   |").contains("| 16      |      123 | c     |")
        .contains("a note");
    t.write(dir, "x", "bin/argus bench test");
    assertThat(Files.readAllLines(dir.resolve("x.csv"))).containsExactly("targets,ms/frame,label", "1,7.678,\"a,b\"",
        "16,123.4,c");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("x.json").toFile());
    assertThat(json.get("command").asText()).isEqualTo("bin/argus bench test");
    assertThat(json.get("rows").get(1).get("ms/frame").asDouble()).isEqualTo(123.4);
    assertThatThrownBy(() -> t.row(1, 2)).hasMessageContaining("2 values for 3 columns");
  }
}
