package io.argus.operators.inference;

import io.argus.models.ModelSpec;
import io.argus.models.export.SavedModelExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * A SiamRPN-shaped test model whose outputs are always finite, so the runner's NaN/Inf check
 * passes them, but on an all-black search crop its box regression says "grow e^1000 times": the
 * tracker then finds no finite score anywhere. Elsewhere it predicts no change. For tests of what
 * the operator does when post-processing, not the runner, fails on a frame.
 */
public final class AbsurdBoxModel {

  static final int SCORE = 5;
  static final int ANCHORS = 5;

  private AbsurdBoxModel() {}

  public static Path export(Path dir) {
    Map<String, List<Integer>> outputs = new LinkedHashMap<>();
    outputs.put("cls", List.of(SCORE, SCORE, 2 * ANCHORS));
    outputs.put("loc", List.of(SCORE, SCORE, 4 * ANCHORS));
    ModelSpec spec = new ModelSpec("siamrpn", "absurd-box", 127, 255, SCORE, 8, List.of(1, 1, 3), outputs, Map.of(),
        Map.of("purpose", "test: finite outputs that no tracker can use on black frames"));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> exemplar = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 127, 127, 3)));
      Operand<TFloat32> embedding = tf.math.mean(exemplar, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
      Placeholder<TFloat32> embeddingIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, 3)));
      Placeholder<TFloat32> instance = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 255, 255, 3)));
      // 1000 where the crop is black, else 0; the embedding joins in with weight 0
      Operand<TFloat32> mean = tf.math.mean(instance, tf.constant(new int[] {1, 2, 3}), Mean.keepDims(true));
      Operand<TFloat32> black = tf.dtypes.cast(tf.math.less(mean, tf.constant(1f)), TFloat32.class);
      Operand<TFloat32> zero = tf.math.mul(tf.constant(0f), tf.math.mean(embeddingIn, tf.constant(new int[] {1, 2, 3}),
          Mean.keepDims(true)));
      Operand<TFloat32> gain = tf.math.add(tf.math.mul(black, tf.constant(1000f)), zero);
      Operand<TFloat32> loc = tf.math.mul(gain, tf.ones(tf.constant(new int[] {1, SCORE, SCORE, 4 * ANCHORS}),
          TFloat32.class));
      Operand<TFloat32> cls = tf.math.mul(tf.math.mul(gain, tf.constant(0f)),
          tf.ones(tf.constant(new int[] {1, SCORE, SCORE, 2 * ANCHORS}), TFloat32.class));
      SavedModelExport.export(dir, s, spec,
          SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, exemplar),
              Map.of(ModelSpec.EMBEDDING, embedding)),
          SavedModelExport.signature(ModelSpec.TRACK,
              Map.of(ModelSpec.EMBEDDING, embeddingIn, ModelSpec.INSTANCE, instance),
              Map.of("cls", cls, "loc", loc)));
    }
    return dir;
  }
}
