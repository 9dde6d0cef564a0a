package io.argus.operators.inference;

import io.argus.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A tiny model that honours the SiamFC contract, built and exported here with TensorFlow Java so
 * the runner is tested against a real SavedModel: features are 16x16 average pooling minus 128
 * (zero-mean-ish, so correlation rewards matching patterns rather than brightness); template
 * 127 -> 7x7x3; track cross-correlates the 15x15x3 search features with the template,
 * per target, with the depthwise trick -> 9x9 response. Stride 16.
 */
public final class TinyXcorrModel {

  static final int POOL = 16;
  static final int Z = 7;
  static final int X = 15;
  static final int R = X - Z + 1;

  private TinyXcorrModel() {}

  static ModelSpec spec(Map<String, Double> hyper) {
    return new ModelSpec("siamfc", "tiny-xcorr", 127, 255, R, POOL, List.of(Z, Z, 3),
        Map.of("response", List.of(R, R)), hyper, Map.of("made-by", "TinyXcorrModel (test)"));
  }

  public static Path export(Path dir, Map<String, Double> hyper) throws IOException {
    return export(dir, hyper, false);
  }

  /**
   * The same model, but its response is NaN for a search crop that is all black (plus
   * {@code 0 * log(mean(crop) - 1)}, 0 on anything brighter): a frame that makes the model fail.
   */
  public static Path exportNanOnBlack(Path dir) throws IOException {
    return export(dir, Map.of(), true);
  }

  private static Path export(Path dir, Map<String, Double> hyper, boolean nanOnBlack) throws IOException {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Long> pool = List.of(1L, (long) POOL, (long) POOL, 1L);
      Placeholder<TFloat32> exemplar = tf.withName("exemplar").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 127, 127, 3)));
      Operand<TFloat32> embedding = features(tf, exemplar, pool);

      Placeholder<TFloat32> templateIn = tf.withName("embedding").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, Z, Z, 3)));
      Placeholder<TFloat32> instance = tf.withName("instance").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 255, 255, 3)));
      Operand<TFloat32> x = features(tf, instance, pool); // [B,15,15,3]
      // targets into channels: search [1,15,15,B*3], filters [7,7,B*3,1]
      Operand<TFloat32> xs = tf.reshape(tf.linalg.transpose(x, tf.constant(new int[] {1, 2, 0, 3})),
          tf.constant(new int[] {1, X, X, -1}));
      Operand<TFloat32> zs = tf.reshape(tf.linalg.transpose(templateIn, tf.constant(new int[] {1, 2, 0, 3})),
          tf.constant(new int[] {Z, Z, -1, 1}));
      Operand<TFloat32> corr = tf.nn.depthwiseConv2dNative(xs, zs, List.of(1L, 1L, 1L, 1L), "VALID"); // [1,9,9,B*3]
      Operand<TFloat32> perChannel = tf.reshape(corr, tf.constant(new int[] {R, R, -1, 3}));
      Operand<TFloat32> summed = tf.sum(perChannel, tf.constant(3)); // [9,9,B]
      Operand<TFloat32> response = tf.linalg.transpose(summed, tf.constant(new int[] {2, 0, 1}));
      if (nanOnBlack) {
        Operand<TFloat32> mean = tf.math.mean(instance, tf.constant(new int[] {1, 2, 3}));
        Operand<TFloat32> poison = tf.math.mul(tf.constant(0f), tf.math.log(tf.math.sub(mean, tf.constant(1f))));
        response = tf.math.add(response, tf.reshape(poison, tf.constant(new int[] {-1, 1, 1})));
      }

      Signature template = Signature.builder().key(ModelSpec.TEMPLATE)
          .input(ModelSpec.EXEMPLAR, exemplar).output(ModelSpec.EMBEDDING, embedding).build();
      Signature track = Signature.builder().key(ModelSpec.TRACK)
          .input(ModelSpec.EMBEDDING, templateIn).input(ModelSpec.INSTANCE, instance)
          .output("response", response).build();
      SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withFunctions(SessionFunction.create(template, s), SessionFunction.create(track, s)).export();
    }
    spec(hyper).write(dir);
    return dir;
  }

  private static Operand<TFloat32> features(Ops tf, Operand<TFloat32> image, List<Long> pool) {
    return tf.math.sub(tf.nn.avgPool(image, pool, pool, "VALID"), tf.constant(128f));
  }

  // ---- the same computation in plain Java, independent of TensorFlow ----

  /** side x side x 3 crop at offset -> (side / 16) x (side / 16) x 3 pooled features minus 128. */
  static float[] pooled(float[] crop, int offset, int side) {
    int n = (side - POOL) / POOL + 1;
    float[] out = new float[n * n * 3];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int y = i * POOL; y < (i + 1) * POOL; y++) {
            for (int x = j * POOL; x < (j + 1) * POOL; x++) {
              sum += crop[offset + (y * side + x) * 3 + c];
            }
          }
          out[(i * n + j) * 3 + c] = (float) (sum / (POOL * POOL) - 128);
        }
      }
    }
    return out;
  }

  /** 9x9 response of one 15x15x3 search feature map against one 7x7x3 template. */
  static float[] xcorr(float[] search, float[] template, int templateOffset) {
    float[] out = new float[R * R];
    for (int i = 0; i < R; i++) {
      for (int j = 0; j < R; j++) {
        double sum = 0;
        for (int u = 0; u < Z; u++) {
          for (int v = 0; v < Z; v++) {
            for (int c = 0; c < 3; c++) {
              sum += search[((i + u) * X + j + v) * 3 + c] * template[templateOffset + (u * Z + v) * 3 + c];
            }
          }
        }
        out[i * R + j] = (float) sum;
      }
    }
    return out;
  }
}
