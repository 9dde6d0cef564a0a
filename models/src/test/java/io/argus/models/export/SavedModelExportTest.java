package io.argus.models.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.ModelSpec;
import io.argus.models.siamfc.FloatTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The exporter on a graph that is not SiamFC: any builder can use it. */
class SavedModelExportTest {

  private static ModelSpec spec() {
    return new ModelSpec("toy", "toy", 2, 3, 1, 1, List.of(1, 1, 1), Map.of("score", List.of(1)), Map.of(), Map.of());
  }

  @Test
  void exportsAnyGraphWithTheContractSignatures(@TempDir Path dir) throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> ex = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 2, 3)));
      Operand<TFloat32> emb = tf.reshape(tf.math.mean(ex, tf.constant(new int[] {1, 2, 3})),
          tf.constant(new int[] {-1, 1, 1, 1}));
      Placeholder<TFloat32> embIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, 1)));
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3, 3, 3)));
      Operand<TFloat32> score = tf.math.sub(tf.reshape(tf.math.mean(in, tf.constant(new int[] {1, 2, 3})),
          tf.constant(new int[] {-1, 1})), tf.reshape(embIn, tf.constant(new int[] {-1, 1})));
      SavedModelExport.export(dir, s, spec(),
          SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, ex), Map.of(ModelSpec.EMBEDDING, emb)),
          SavedModelExport.signature(ModelSpec.TRACK, Map.of(ModelSpec.EMBEDDING, embIn, ModelSpec.INSTANCE, in),
              Map.of("score", score)));
    }
    assertThat(ModelSpec.read(dir).family()).isEqualTo("toy");
    float[] exemplar = new float[12];
    java.util.Arrays.fill(exemplar, 4f);
    float[] instance = new float[27];
    java.util.Arrays.fill(instance, 10f);
    try (SavedModelBundle b = SavedModelBundle.loader(dir.toString()).withTags("serve").load();
        TFloat32 ext = FloatTensors.of(exemplar, 1, 2, 2, 3);
        TFloat32 inst = FloatTensors.of(instance, 1, 3, 3, 3);
        Result e = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ext));
        Result r = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING,
            e.get(ModelSpec.EMBEDDING).orElseThrow(), ModelSpec.INSTANCE, inst))) {
      assertThat(FloatTensors.read(r.get("score").orElseThrow())).containsExactly(6f);
    }
  }

  @Test
  void refusesSignaturesThatBreakTheContract(@TempDir Path dir) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      var template = SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, x),
          Map.of(ModelSpec.EMBEDDING, tf.identity(x)));
      assertThatThrownBy(() -> SavedModelExport.export(dir, s, spec(), template))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a 'track' signature");
      var track = SavedModelExport.signature(ModelSpec.TRACK, Map.of(ModelSpec.EMBEDDING, x, ModelSpec.INSTANCE, x),
          Map.of("response", tf.identity(x)));
      assertThatThrownBy(() -> SavedModelExport.export(dir, s, spec(), template, track))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks the output 'score'");
    }
  }
}
