package io.argus.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecTest {

  static ModelSpec spec() {
    return new ModelSpec("siamfc", "m", 127, 255, 17, 8, List.of(6, 6, 8), Map.of("response", List.of(17, 17)),
        Map.of("windowInfluence", 0.176, "scaleLr", 0.59), Map.of("seed", "1"));
  }

  @Test
  void overridesReplaceOnlyTheNamedHyperParameters() {
    ModelSpec tuned = spec().withHyperOverrides(Map.of("windowInfluence", 0.3));
    assertThat(tuned.hyper("windowInfluence")).isEqualTo(0.3);
    assertThat(tuned.hyper("scaleLr")).isEqualTo(0.59);
    assertThat(spec().hyper("windowInfluence")).isEqualTo(0.176);
  }

  @Test
  void anOverrideTheModelDoesNotHaveIsAnError() {
    assertThatThrownBy(() -> spec().withHyperOverrides(Map.of("windowInfluense", 0.3)))
        .hasMessageContaining("no hyper-parameter 'windowInfluense'").hasMessageContaining("windowInfluence");
  }

  @Test
  void roundTripsThroughTheMetadataFile(@TempDir Path dir) {
    spec().write(dir);
    assertThat(ModelSpec.read(dir)).isEqualTo(spec());
    assertThat(ModelSpec.read(dir).embeddingSize()).isEqualTo(288);
  }

  @Test
  void aMissingMetadataFileSaysWhatAModelDirectoryIs(@TempDir Path dir) {
    assertThatThrownBy(() -> ModelSpec.read(dir)).hasMessageContaining("argus-model.json")
        .hasMessageContaining("SavedModel");
  }
}
