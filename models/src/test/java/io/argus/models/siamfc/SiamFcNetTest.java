package io.argus.models.siamfc;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class SiamFcNetTest {

  private static final BackboneConfig TINY = BackboneConfig.TINY;

  static float[] randomImages(Random rng, int batch, int side) {
    float[] a = new float[batch * side * side * 3];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextFloat() * 255f;
    }
    return a;
  }

  /** Training-form weights with non-trivial batch-norm parameters and statistics. */
  static SiamFcWeights randomWeights(BackboneConfig config, long seed) {
    SiamFcWeights w = SiamFcWeights.initial(config, seed);
    Random rng = new Random(seed + 1);
    for (Layer l : Layer.of(config)) {
      if (l.batchNorm()) {
        w.put(l.gamma(), vector(rng, l.out(), 0.5f, 1.5f));
        w.put(l.beta(), vector(rng, l.out(), -0.5f, 0.5f));
        w.put(l.mean(), vector(rng, l.out(), -20f, 20f));
        w.put(l.variance(), vector(rng, l.out(), 50f, 500f));
      } else {
        w.put(l.bias(), vector(rng, l.out(), -0.1f, 0.1f));
      }
    }
    return w;
  }

  private static SiamFcWeights.Tensor vector(Random rng, int n, float lo, float hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + rng.nextFloat() * (hi - lo);
    }
    return new SiamFcWeights.Tensor(new long[] {n}, v);
  }

  @Test
  void geometryOfThePaper() {
    assertThat(SiamFcNet.featureSide(BackboneConfig.STANDARD, 127)).isEqualTo(6);
    assertThat(SiamFcNet.featureSide(BackboneConfig.STANDARD, 255)).isEqualTo(22);
    assertThat(SiamFcNet.scoreSize(BackboneConfig.SLIM)).isEqualTo(17);
  }

  @Test
  void graphOutputShapes() {
    Random rng = new Random(1);
    SiamFcWeights w = randomWeights(TINY, 7).foldBatchNorm(TINY, SiamFcNet.BN_EPSILON);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SiamFcNet.Endpoints e = SiamFcNet.inference(tf, TINY, w, SiamFcNet.BatchNorm.FOLDED);
      Operand<TFloat32> searchFeatures = SiamFcNet.backbone(tf, e.instance(), TINY, SiamFcNet.constants(tf, w),
          SiamFcNet.BatchNorm.FOLDED, null);
      try (TFloat32 ex = FloatTensors.of(randomImages(rng, 2, 127), 2, 127, 127, 3);
          Result r1 = s.runner().feed(e.exemplar(), ex).fetch(e.templateEmbedding()).run()) {
        assertThat(FloatTensors.shape(r1.get(0))).containsExactly(2, 6, 6, 8);
        try (TFloat32 in = FloatTensors.of(randomImages(rng, 2, 255), 2, 255, 255, 3);
            Result r2 = s.runner().feed(e.embedding(), r1.get(0)).feed(e.instance(), in)
                .fetch(e.response()).fetch(searchFeatures).run()) {
          assertThat(FloatTensors.shape(r2.get(0))).containsExactly(2, 17, 17);
          assertThat(FloatTensors.shape(r2.get(1))).containsExactly(2, 22, 22, 8);
        }
      }
    }
  }

  @Test
  void crossCorrelationMatchesNaiveLoopPerTarget() {
    int b = 3;
    int h = 6;
    int sh = 22;
    int c = 5;
    Random rng = new Random(3);
    float[] z = new float[b * h * h * c];
    float[] x = new float[b * sh * sh * c];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] got;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> zp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, h, c)));
      Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, sh, sh, c)));
      Operand<TFloat32> out = SiamFcNet.crossCorrelation(tf, zp, xp, h, sh, c);
      try (TFloat32 zt = FloatTensors.of(z, b, h, h, c); TFloat32 xt = FloatTensors.of(x, b, sh, sh, c);
          Result r = s.runner().feed(zp, zt).feed(xp, xt).fetch(out).run()) {
        assertThat(FloatTensors.shape(r.get(0))).containsExactly(b, 17, 17);
        got = FloatTensors.read(r.get(0));
      }
    }
    int so = sh - h + 1;
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < so; i++) {
        for (int j = 0; j < so; j++) {
          double sum = 0;
          for (int u = 0; u < h; u++) {
            for (int v = 0; v < h; v++) {
              for (int k = 0; k < c; k++) {
                sum += z[((n * h + u) * h + v) * c + k] * x[((n * sh + i + u) * sh + j + v) * c + k];
              }
            }
          }
          assertThat((double) got[(n * so + i) * so + j]).isCloseTo(sum * SiamFcNet.OUT_SCALE,
              org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void foldedBatchNormGivesTheUnfoldedInferenceOutput() {
    SiamFcWeights w = randomWeights(TINY, 11);
    Random rng = new Random(5);
    float[] ex = randomImages(rng, 2, 127);
    float[] in = randomImages(rng, 2, 255);
    float[] unfolded = runBoth(w, SiamFcNet.BatchNorm.INFERENCE, ex, in);
    float[] folded = runBoth(w.foldBatchNorm(TINY, SiamFcNet.BN_EPSILON), SiamFcNet.BatchNorm.FOLDED, ex, in);
    double maxAbs = 0;
    for (float v : unfolded) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    assertThat(maxAbs).isGreaterThan(0);
    for (int i = 0; i < unfolded.length; i++) {
      assertThat((double) folded[i]).isCloseTo(unfolded[i], org.assertj.core.data.Offset.offset(1e-4 * maxAbs + 1e-6));
    }
  }

  private static float[] runBoth(SiamFcWeights w, SiamFcNet.BatchNorm mode, float[] ex, float[] in) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SiamFcNet.Endpoints e = SiamFcNet.inference(Ops.create(g), TINY, w, mode);
      try (TFloat32 ext = FloatTensors.of(ex, 2, 127, 127, 3);
          TFloat32 inst = FloatTensors.of(in, 2, 255, 255, 3);
          Result r1 = s.runner().feed(e.exemplar(), ext).fetch(e.templateEmbedding()).run();
          Result r2 = s.runner().feed(e.embedding(), r1.get(0)).feed(e.instance(), inst).fetch(e.response()).run()) {
        return FloatTensors.read(r2.get(0));
      }
    }
  }

  @Test
  void exportReloadsInAFreshBundleWithIdenticalOutputs(@TempDir Path dir) throws Exception {
    SiamFcWeights w = randomWeights(TINY, 13);
    Random rng = new Random(9);
    float[] ex = randomImages(rng, 2, 127);
    float[] in = randomImages(rng, 2, 255);
    float[] expected = runBoth(w.foldBatchNorm(TINY, SiamFcNet.BN_EPSILON), SiamFcNet.BatchNorm.FOLDED, ex, in);

    SiamFcModel.export(dir, TINY, w, "test-tiny", Map.of("seed", "13"));
    assertThat(Files.isRegularFile(dir.resolve("saved_model.pb"))).isTrue();
    ModelSpec spec = ModelSpec.read(dir);
    assertThat(spec.family()).isEqualTo("siamfc");
    assertThat(spec.embeddingShape()).isEqualTo(List.of(6, 6, 8));
    assertThat(spec.outputs()).isEqualTo(Map.of("response", List.of(17, 17)));
    assertThat(spec.stride()).isEqualTo(8);
    assertThat(spec.hyper("scaleStep")).isEqualTo(1.0375);
    assertThat(spec.provenance()).containsEntry("seed", "13").containsEntry("backbone", TINY.text());

    try (SavedModelBundle b = SavedModelBundle.loader(dir.toString()).withTags("serve").load();
        TFloat32 ext = FloatTensors.of(ex, 2, 127, 127, 3);
        TFloat32 inst = FloatTensors.of(in, 2, 255, 255, 3);
        Result emb = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ext))) {
      Tensor embedding = emb.get(ModelSpec.EMBEDDING).orElseThrow();
      assertThat(FloatTensors.shape(embedding)).containsExactly(2, 6, 6, 8);
      try (Result resp = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, embedding,
          ModelSpec.INSTANCE, inst))) {
        assertThat(FloatTensors.read(resp.get("response").orElseThrow())).containsExactly(expected);
      }
    }
  }
}
