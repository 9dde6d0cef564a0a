package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelRunnerTest {

  @TempDir static Path tmp;
  static SavedModelRunner runner;

  @BeforeAll
  static void exportAndLoad() throws IOException {
    runner = SavedModelRunner.load(TinyXcorrModel.export(tmp.resolve("tiny"), Map.of()));
  }

  @AfterAll
  static void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 255;
    }
    return a;
  }

  @Test
  void templateIsAveragePoolingOfEachExemplar() {
    int per = 127 * 127 * 3;
    float[] exemplars = random(2 * per, 1);
    float[] embedding = runner.template(exemplars, 2);
    assertThat(embedding).hasSize(2 * 7 * 7 * 3);
    for (int b = 0; b < 2; b++) {
      float[] expected = TinyXcorrModel.pooled(exemplars, b * per, 127);
      for (int i = 0; i < expected.length; i++) {
        assertThat(embedding[b * expected.length + i]).isCloseTo(expected[i], within(1e-3f));
      }
    }
  }

  @Test
  void trackCorrelatesEachSearchCropWithItsOwnTemplate() {
    int per = 255 * 255 * 3;
    int emb = 7 * 7 * 3;
    float[] instances = random(3 * per, 2);
    float[] embeddings = random(3 * emb, 3);
    for (int i = 0; i < embeddings.length; i++) {
      embeddings[i] -= 128;
    }
    Map<String, float[]> out = runner.track(embeddings, instances, 3);
    assertThat(out).containsOnlyKeys("response");
    float[] response = out.get("response");
    assertThat(response).hasSize(3 * 81);
    for (int b = 0; b < 3; b++) {
      float[] expected = TinyXcorrModel.xcorr(TinyXcorrModel.pooled(instances, b * per, 255), embeddings, b * emb);
      for (int i = 0; i < 81; i++) {
        // sums of 147 products of magnitude ~1e3..1e4: float32 rounding in TF's summation order
        assertThat(response[b * 81 + i]).isCloseTo(expected[i], within(Math.abs(expected[i]) * 1e-4f + 0.5f));
      }
    }
  }

  @Test
  void wrongShapesAreRejectedBeforeTheCall() {
    assertThatThrownBy(() -> runner.template(new float[100 * 100 * 3], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'exemplar'").hasMessageContaining("[1, 127, 127, 3]").hasMessageContaining("30000 floats");
    assertThatThrownBy(() -> runner.track(new float[2 * 147], new float[3 * 255 * 255 * 3], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'embedding'").hasMessageContaining("[3, 7, 7, 3]");
    assertThatThrownBy(() -> runner.template(new float[0], 0)).hasMessageContaining("batch must be at least 1");
  }

  @Test
  void nonFiniteOutputIsAModelOutputException() {
    float[] exemplars = new float[2 * 127 * 127 * 3];
    exemplars[127 * 127 * 3 + 5] = Float.NaN; // second exemplar, first pooling cell
    assertThatThrownBy(() -> runner.template(exemplars, 2))
        .isInstanceOf(ModelOutputException.class)
        .hasMessageContaining("batch item 1")
        .satisfies(e -> {
          assertThat(((ModelOutputException) e).item()).isEqualTo(1);
          assertThat(((ModelOutputException) e).output()).isEqualTo("embedding");
        });
  }

  @Test
  void directoryWithoutAModelSaysWhatIsMissing() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> SavedModelRunner.load(empty)).hasMessageContaining(ModelSpec.FILE_NAME);
    TinyXcorrModel.spec(Map.of()).write(empty);
    assertThatThrownBy(() -> SavedModelRunner.load(empty)).hasMessageContaining("no saved_model.pb");
  }

  @Test
  void metadataThatDisagreesWithTheGraphIsCaught() throws IOException {
    Path dir = TinyXcorrModel.export(tmp.resolve("lying"), Map.of());
    new ModelSpec("siamfc", "lying", 127, 255, 9, 16, java.util.List.of(7, 7, 3),
        Map.of("response", java.util.List.of(17, 17)), Map.of(), Map.of()).write(dir);
    try (SavedModelRunner lying = SavedModelRunner.load(dir)) {
      assertThatThrownBy(() -> lying.track(new float[147], new float[255 * 255 * 3], 1))
          .hasMessageContaining("[1, 9, 9]").hasMessageContaining("promises float [1, 17, 17]");
    }
    new ModelSpec("siamfc", "lying", 127, 255, 9, 16, java.util.List.of(7, 7, 3),
        Map.of("cls", java.util.List.of(9, 9)), Map.of(), Map.of()).write(dir);
    assertThatThrownBy(() -> SavedModelRunner.load(dir)).hasMessageContaining("outputs [cls]");
  }

  @Test
  void nativeMemoryDoesNotGrowOverManyCalls() throws IOException {
    int per = 255 * 255 * 3;
    float[] instances = random(3 * per, 4);
    float[] embeddings = new float[3 * 147];
    float[] exemplars = random(3 * 127 * 127 * 3, 5);
    for (int i = 0; i < 20; i++) {
      runner.track(embeddings, instances, 3);
      runner.template(exemplars, 3);
    }
    long before = rssKb();
    for (int i = 0; i < 200; i++) {
      runner.track(embeddings, instances, 3);
      runner.template(exemplars, 3);
    }
    long grown = rssKb() - before;
    System.out.println("SavedModelRunner: VmRSS grew " + grown + " kB over 200 track + 200 template calls (batch 3)");
    // one unclosed input tensor per call would be 200 x 2.3 MB = 460 MB
    assertThat(grown).isLessThan(64 * 1024);
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
