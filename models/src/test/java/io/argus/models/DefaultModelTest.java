package io.argus.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.siamfc.FloatTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

class DefaultModelTest {

  @Test
  void materialisesALoadableSiamFcModelUnder20MB() throws Exception {
    Path dir = DefaultModel.materialize();
    ModelSpec spec = ModelSpec.read(dir);
    assertThat(spec.family()).isEqualTo("siamfc");
    assertThat(spec.outputs()).containsEntry("response", List.of(17, 17));
    assertThat(Files.size(dir.resolve("saved_model.pb"))).isLessThan(20L << 20);
    try (SavedModelBundle b = SavedModelBundle.loader(dir.toString()).withTags("serve").load();
        TFloat32 ex = FloatTensors.of(new float[127 * 127 * 3], 1, 127, 127, 3);
        TFloat32 in = FloatTensors.of(new float[255 * 255 * 3], 1, 255, 255, 3);
        Result e = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ex));
        Result r = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING,
            e.get(ModelSpec.EMBEDDING).orElseThrow(), ModelSpec.INSTANCE, in))) {
      assertThat(FloatTensors.shape(e.get(ModelSpec.EMBEDDING).orElseThrow()))
          .containsExactly(1L, spec.embeddingShape().get(0), spec.embeddingShape().get(1), spec.embeddingShape().get(2));
      assertThat(FloatTensors.shape(r.get("response").orElseThrow())).containsExactly(1, 17, 17);
    }
  }
}
