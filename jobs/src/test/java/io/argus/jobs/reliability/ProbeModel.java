package io.argus.jobs.reliability;

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
 * A tiny SavedModel that honours the SiamFC contract and yields NaN on purpose: features are
 * 16x16 average pooling minus 128, the response is the per-target cross-correlation of search and
 * template features (9x9, stride 16), plus {@code 0 * log(mean(search crop) - 1)}. That term is 0
 * on any picture brighter than 1 grey level and NaN on an all-black one, so a black frame is the
 * "model output with NaN" case of the reliability tests. Milliseconds per call, so the broker
 * tests spend their time on the job, not on the network.
 */
final class ProbeModel {

  static final int POOL = 16;
  static final int Z = 7;
  static final int X = 15;
  static final int R = X - Z + 1;

  private ProbeModel() {}

  static Path export(Path dir) throws IOException {
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
      Operand<TFloat32> x = features(tf, instance, pool);
      Operand<TFloat32> xs = tf.reshape(tf.linalg.transpose(x, tf.constant(new int[] {1, 2, 0, 3})),
          tf.constant(new int[] {1, X, X, -1}));
      Operand<TFloat32> zs = tf.reshape(tf.linalg.transpose(templateIn, tf.constant(new int[] {1, 2, 0, 3})),
          tf.constant(new int[] {Z, Z, -1, 1}));
      Operand<TFloat32> corr = tf.nn.depthwiseConv2dNative(xs, zs, List.of(1L, 1L, 1L, 1L), "VALID");
      Operand<TFloat32> perChannel = tf.reshape(corr, tf.constant(new int[] {R, R, -1, 3}));
      Operand<TFloat32> summed = tf.sum(perChannel, tf.constant(3));
      Operand<TFloat32> xcorr = tf.linalg.transpose(summed, tf.constant(new int[] {2, 0, 1}));
      // 0 * log(mean - 1): 0 for a real picture, NaN for a black one
      Operand<TFloat32> mean = tf.math.mean(instance, tf.constant(new int[] {1, 2, 3}));
      Operand<TFloat32> poison = tf.math.mul(tf.constant(0f), tf.math.log(tf.math.sub(mean, tf.constant(1f))));
      Operand<TFloat32> response = tf.math.add(xcorr, tf.reshape(poison, tf.constant(new int[] {-1, 1, 1})));

      Signature template = Signature.builder().key(ModelSpec.TEMPLATE)
          .input(ModelSpec.EXEMPLAR, exemplar).output(ModelSpec.EMBEDDING, embedding).build();
      Signature track = Signature.builder().key(ModelSpec.TRACK)
          .input(ModelSpec.EMBEDDING, templateIn).input(ModelSpec.INSTANCE, instance)
          .output("response", response).build();
      SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withFunctions(SessionFunction.create(template, s), SessionFunction.create(track, s)).export();
    }
    new ModelSpec("siamfc", "probe-xcorr", 127, 255, R, POOL, List.of(Z, Z, 3), Map.of("response", List.of(R, R)),
        Map.of(), Map.of("made-by", "ProbeModel (reliability tests)")).write(dir);
    return dir;
  }

  private static Operand<TFloat32> features(Ops tf, Operand<TFloat32> image, List<Long> pool) {
    return tf.math.sub(tf.nn.avgPool(image, pool, pool, "VALID"), tf.constant(128f));
  }
}
