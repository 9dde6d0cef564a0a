package io.argus.models.siammask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class SiamMaskNetTest {

  private static final Random R = new Random(7);

  static float[] random(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (R.nextDouble() * scale);
    }
    return v;
  }

  /** Runs fetches with float feeds (by placeholder) and one optional int feed. */
  static List<float[]> run(Session s, Map<Operand<TFloat32>, float[]> feeds, Map<Operand<TFloat32>, long[]> shapes,
      Operand<TInt32> intFeed, int[] ints, List<Operand<TFloat32>> fetches) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = s.runner();
      for (Map.Entry<Operand<TFloat32>, float[]> f : feeds.entrySet()) {
        TFloat32 t = TFloat32.tensorOf(Shape.of(shapes.get(f.getKey())), DataBuffers.of(f.getValue(), true, false));
        owned.add(t);
        r.feed(f.getKey(), t);
      }
      if (intFeed != null) {
        TInt32 t = TInt32.tensorOf(Shape.of(ints.length / 2, 2), DataBuffers.of(ints, true, false));
        owned.add(t);
        r.feed(intFeed, t);
      }
      fetches.forEach(r::fetch);
      List<float[]> out = new ArrayList<>();
      try (Result res = r.run()) {
        for (int i = 0; i < fetches.size(); i++) {
          TFloat32 t = (TFloat32) res.get(i);
          float[] d = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(d, false, false));
          out.add(d);
        }
      }
      return out;
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  @Test
  void tinyNetworkHasPysotShapesAndKeepsItemsApart() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SiamMaskGraph net = SiamMaskNet.build(Ops.create(g), SiamMaskConfig.tiny(), 3);
      assertThat(net.embeddingShape()).containsExactly(7, 7, 8);
      assertThat(net.scoreSize()).isEqualTo(25);
      assertThat(net.anchors()).isEqualTo(5);
      int b = 2;
      float[] ex = random(b * 127 * 127 * 3, 255);
      float[] zf = run(s, Map.of(net.exemplar(), ex), Map.of(net.exemplar(), new long[] {b, 127, 127, 3}), null, null,
          List.of(net.embedding())).get(0);
      assertThat(zf).hasSize(b * 7 * 7 * 8);
      float[] in = random(b * 255 * 255 * 3, 255);
      int[] pos = {0, 24, 13, 5};
      Map<Operand<TFloat32>, long[]> shapes = Map.of(net.embeddingIn(), new long[] {b, 7, 7, 8}, net.instance(),
          new long[] {b, 255, 255, 3});
      List<float[]> out = run(s, Map.of(net.embeddingIn(), zf, net.instance(), in), shapes, net.position(), pos,
          List.of(net.cls(), net.loc(), net.mask()));
      assertThat(out.get(0)).hasSize(b * 25 * 25 * 10);
      assertThat(out.get(1)).hasSize(b * 25 * 25 * 20);
      float[] mask = out.get(2);
      assertThat(mask).hasSize(b * 127 * 127);
      for (float v : mask) {
        assertThat(v).isBetween(0f, 1f);
      }
      // item 1 alone, at its own cell, gives what it gave in the batch: crops and correlations stay per item
      int z1 = 7 * 7 * 8;
      int i1 = 255 * 255 * 3;
      List<float[]> one = run(s,
          Map.of(net.embeddingIn(), Arrays.copyOfRange(zf, z1, 2 * z1), net.instance(), Arrays.copyOfRange(in, i1, 2 * i1)),
          Map.of(net.embeddingIn(), new long[] {1, 7, 7, 8}, net.instance(), new long[] {1, 255, 255, 3}),
          net.position(), new int[] {13, 5}, List.of(net.cls(), net.mask()));
      assertClose(one.get(0), Arrays.copyOfRange(out.get(0), 25 * 25 * 10, 2 * 25 * 25 * 10), 1e-4);
      assertClose(one.get(1), Arrays.copyOfRange(mask, 127 * 127, 2 * 127 * 127), 1e-4);
      // and another cell gives another mask
      List<float[]> other = run(s,
          Map.of(net.embeddingIn(), Arrays.copyOfRange(zf, z1, 2 * z1), net.instance(), Arrays.copyOfRange(in, i1, 2 * i1)),
          Map.of(net.embeddingIn(), new long[] {1, 7, 7, 8}, net.instance(), new long[] {1, 255, 255, 3}),
          net.position(), new int[] {2, 20}, List.of(net.mask()));
      assertThat(maxAbsDiff(other.get(0), one.get(1))).isGreaterThan(1e-3);
    }
  }

  @Test
  void refineCropsAreZeroPaddedWindowsAtEachItemsCell() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      int b = 3;
      int[] ch = {2, 3, 2, 4};
      int[] side = {125, 63, 31, 25};
      List<Placeholder<TFloat32>> maps = new ArrayList<>();
      Map<Operand<TFloat32>, float[]> feeds = new java.util.HashMap<>();
      Map<Operand<TFloat32>, long[]> shapes = new java.util.HashMap<>();
      List<float[]> values = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side[i], side[i], ch[i])));
        maps.add(p);
        float[] v = random(b * side[i] * side[i] * ch[i], 1);
        values.add(v);
        feeds.put(p, v);
        shapes.put(p, new long[] {b, side[i], side[i], ch[i]});
      }
      Placeholder<TInt32> position = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 2)));
      RefineCrops.Inputs in = RefineCrops.at(tf, maps.get(0), maps.get(1), maps.get(2), maps.get(3), position);
      int[] pos = {0, 0, 24, 24, 3, 17};
      List<float[]> out = run(s, feeds, shapes, position, pos, List.of(in.p0(), in.p1(), in.p2(), in.p3()));
      int[] pad = {16, 8, 4};
      int[] win = {61, 31, 15};
      int[] step = {4, 2, 1};
      for (int level = 0; level < 3; level++) {
        float[] got = out.get(level);
        int c = ch[level];
        int n = side[level];
        for (int item = 0; item < b; item++) {
          for (int i = 0; i < win[level]; i++) {
            for (int j = 0; j < win[level]; j++) {
              for (int k = 0; k < c; k++) {
                int y = step[level] * pos[2 * item] + i - pad[level];
                int x = step[level] * pos[2 * item + 1] + j - pad[level];
                float want = y < 0 || x < 0 || y >= n || x >= n ? 0f
                    : values.get(level)[((item * n + y) * n + x) * c + k];
                assertThat(got[((item * win[level] + i) * win[level] + j) * c + k]).as("p%d item %d", level, item)
                    .isEqualTo(want);
              }
            }
          }
        }
      }
      for (int item = 0; item < b; item++) {
        for (int k = 0; k < 4; k++) {
          assertThat(out.get(3)[item * 4 + k])
              .isEqualTo(values.get(3)[((item * 25 + pos[2 * item]) * 25 + pos[2 * item + 1]) * 4 + k]);
        }
      }
    }
  }

  @Test
  void exportsThreeSignaturesAndRecordsTheAttentionOption(@TempDir Path dir) {
    ModelSpec spec = SiamMaskNet.export(dir, SiamMaskConfig.tiny().withSpatialAttention(true), 5, "tiny-siammask");
    assertThat(spec.family()).isEqualTo("siammask");
    assertThat(spec.outputs()).containsEntry("cls", List.of(25, 25, 10)).containsEntry("loc", List.of(25, 25, 20));
    assertThat(spec.provenance()).containsEntry("maskAttention", "centermask-sag");
    assertThat(spec.hyper()).containsEntry("penaltyK", 0.10).containsEntry("windowInfluence", 0.41)
        .containsEntry("lr", 0.32).containsEntry("maskThreshold", 0.15);
    assertThat(ModelSpec.read(dir)).isEqualTo(spec);
    try (SavedModelBundle m = SavedModelBundle.load(dir.toString(), "serve")) {
      assertThat(m.signatures()).extracting(sig -> sig.key()).contains("template", "track", "mask");
      assertThat(m.function("mask").signature().inputNames()).containsExactlyInAnyOrder("embedding", "instance",
          "position");
    }
  }

  @Test
  void spatialAttentionWeighsEveryChannelByTheSigmoidOfAConvOverChannelMaxAndMean() {
    int b = 2;
    int side = 5;
    int c = 3;
    float[] feature = random(b * side * side * c, 2);
    for (int i = 0; i < feature.length; i++) {
      feature[i] -= 1; // negative values too: max and mean differ in sign
    }
    float[] w = random(3 * 3 * 2, 1);
    float bias = 0.2f;
    float[] got;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> f = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, c)));
      Operand<TFloat32> out = SiamMaskNet.spatialAttention(tf, f,
          tf.constant(Shape.of(3, 3, 2, 1), DataBuffers.of(w, true, false)), tf.constant(new float[] {bias}));
      got = run(s, Map.of(f, feature), Map.of(f, new long[] {b, side, side, c}), null, null, List.of(out)).get(0);
    }
    for (int item = 0; item < b; item++) {
      float[][][] pooled = new float[side][side][2];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          float max = Float.NEGATIVE_INFINITY;
          float sum = 0;
          for (int k = 0; k < c; k++) {
            float v = feature[((item * side + y) * side + x) * c + k];
            max = Math.max(max, v);
            sum += v;
          }
          pooled[y][x][0] = max;
          pooled[y][x][1] = sum / c;
        }
      }
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double acc = bias;
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              int yy = y + i - 1;
              int xx = x + j - 1;
              if (yy >= 0 && xx >= 0 && yy < side && xx < side) {
                acc += pooled[yy][xx][0] * w[(i * 3 + j) * 2] + pooled[yy][xx][1] * w[(i * 3 + j) * 2 + 1];
              }
            }
          }
          double a = 1 / (1 + Math.exp(-acc));
          for (int k = 0; k < c; k++) {
            int at = ((item * side + y) * side + x) * c + k;
            assertThat((double) got[at]).isCloseTo(feature[at] * a, within(1e-5));
          }
        }
      }
    }
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static void assertClose(float[] got, float[] want, double tol) {
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < got.length; i++) {
      assertThat((double) got[i]).as("index %d", i).isCloseTo(want[i], within(tol * Math.max(1, Math.abs(want[i]))));
    }
  }
}
