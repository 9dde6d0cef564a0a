package io.argus.models.matconvnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.matconvnet.Reference.Map3;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class DagGraphTest {

  @TempDir
  Path dir;

  /** Writes the network to a MAT file and reads it back, so every test goes through the real reader. */
  private DagNet roundTrip(DagNnWriter w) {
    Path f = dir.resolve("net.mat");
    w.write(f);
    return DagNet.read(f);
  }

  private static Graphs.Fetched evaluate(DagNet net, String out, int batch, int h, int w, int c, float[] input) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = Graphs.input(tf, "input", h, w, c);
      DagGraph dag = new DagGraph(tf, net);
      dag.bind("input", new DagGraph.Var(in, h, w, c, 1));
      DagGraph.Var v = dag.get(out);
      Graphs.Fetched f = Graphs.run(g, v.value(), Map.of(in, input), Map.of(in, new long[] {batch, h, w, c}));
      assertThat(f.shape()).containsExactly(batch, v.height(), v.width(), v.channels());
      return f;
    }
  }

  @Test
  void readsLayersAndParametersWithMatlabAxes() {
    DagNnWriter w = new DagNnWriter(1);
    w.conv("c1", "input", "x1", "c1", new int[] {3, 2, 4, 5}, new int[] {1, 0, 2, 1}, new int[] {2, 1});
    w.relu("r1", "x1", "out", 0.1);
    DagNet net = roundTrip(w);

    assertThat(net.layers()).extracting(DagLayer::name).containsExactly("c1", "r1");
    DagLayer c1 = net.layers().get(0);
    assertThat(c1.type()).isEqualTo("dagnn.Conv");
    assertThat(c1.inputs()).containsExactly("input");
    assertThat(c1.outputs()).containsExactly("x1");
    assertThat(c1.params()).containsExactly("c1f", "c1b");
    assertThat(c1.ints("pad", 4, 0)).containsExactly(1, 0, 2, 1);
    assertThat(c1.ints("stride", 2, 1)).containsExactly(2, 1);
    assertThat(net.layers().get(1).number("leak", 0)).isEqualTo(0.1);

    DagParam f = net.param(c1, 0);
    assertThat(f.dims()).containsExactly(3, 2, 4, 5);
    // column-major: (i, j, k, o) at i + 3 (j + 2 (k + 4 o)); row-major HWIO: ((i 2 + j) 4 + k) 5 + o
    float[] rowMajor = f.rowMajor(4);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 4; k++) {
          for (int o = 0; o < 5; o++) {
            assertThat(f.at(i, j, k, o)).isEqualTo(f.values()[i + 3 * (j + 2 * (k + 4 * o))]);
            assertThat(rowMajor[((i * 2 + j) * 4 + k) * 5 + o]).isEqualTo(f.at(i, j, k, o));
          }
        }
      }
    }
  }

  @Test
  void groupedConvolutionWithAsymmetricPaddingAndStridesMatchesLoops() {
    DagNnWriter w = new DagNnWriter(2);
    // 4 input channels, filters of depth 2: two groups of 3 output channels each
    w.conv("c1", "input", "out", "c1", new int[] {3, 3, 2, 6}, new int[] {1, 2, 0, 1}, new int[] {2, 3});
    DagNet net = roundTrip(w);
    int h = 9;
    int wd = 8;
    float[] x = Graphs.random(new Random(3), 2 * h * wd * 4, -1, 1);

    Graphs.Fetched y = evaluate(net, "out", 2, h, wd, 4, x);

    // floor((9 + 1 + 2 - 3) / 2) + 1 = 5 rows, floor((8 + 0 + 1 - 3) / 3) + 1 = 3 columns
    assertThat(y.shape()).containsExactly(2, 5, 3, 6);
    DagLayer c1 = net.layers().get(0);
    for (int b = 0; b < 2; b++) {
      Map3 expected = Reference.conv(Map3.item(x, b, h, wd, 4), net.param(c1, 0), net.param(c1, 1),
          new int[] {1, 2, 0, 1}, new int[] {2, 3});
      Map3 actual = Map3.item(y.values(), b, 5, 3, 6);
      assertThat(Graphs.maxAbsDiff(actual.v(), expected.v())).isLessThan(1e-5);
    }
  }

  @Test
  void maxPoolingFloorsAndNeverPicksPadding() {
    DagNnWriter w = new DagNnWriter(4);
    w.maxPool("p1", "input", "out", new int[] {3, 3}, new int[] {1, 0, 0, 1}, new int[] {2, 2});
    DagNet net = roundTrip(w);
    int h = 9;
    int wd = 7;
    // all negative: a zero-padded pool would return 0 on the border
    float[] x = Graphs.random(new Random(5), h * wd * 3, -5, -1);

    Graphs.Fetched y = evaluate(net, "out", 1, h, wd, 3, x);

    // floor((9 + 1 - 3) / 2) + 1 = 4 (ceil would give 5); floor((7 + 1 - 3) / 2) + 1 = 3 (ceil: 4)
    assertThat(y.shape()).containsExactly(1, 4, 3, 3);
    assertThat(DagGraph.outputSide(9, 1, 0, 3, 2)).isEqualTo(4);
    assertThat(DagGraph.outputSide(7, 0, 1, 3, 2)).isEqualTo(3);
    Map3 expected = Reference.maxPool(Map3.item(x, 0, h, wd, 3), new int[] {3, 3}, new int[] {1, 0, 0, 1},
        new int[] {2, 2});
    assertThat(y.values()).containsExactly(expected.v());
    for (float v : y.values()) {
      assertThat(v).isLessThan(0f);
    }
  }

  @Test
  void batchNormUsesStoredMeanAndDeviationThenLeakyRelu() {
    DagNnWriter w = new DagNnWriter(6);
    w.batchNorm("bn", "input", "x1", "bn", 3);
    w.relu("r", "x1", "out", 0.25);
    DagNet net = roundTrip(w);
    float[] x = Graphs.random(new Random(7), 2 * 4 * 5 * 3, -3, 3);

    Graphs.Fetched y = evaluate(net, "out", 2, 4, 5, 3, x);

    DagLayer bn = net.layers().get(0);
    for (int b = 0; b < 2; b++) {
      Map3 expected = Reference.relu(Reference.batchNorm(Map3.item(x, b, 4, 5, 3), net.param(bn, 0),
          net.param(bn, 1), net.param(bn, 2)), 0.25);
      assertThat(Graphs.maxAbsDiff(Map3.item(y.values(), b, 4, 5, 3).v(), expected.v())).isLessThan(1e-5);
    }
  }

  @Test
  void unknownLayersAndUnsupportedOptionsFailWithTheLayerNamed() {
    DagNnWriter w = new DagNnWriter(8);
    w.layer("lrn1", "dagnn.LRN", List.of("input"), "out", List.of(), Map.of());
    DagNet net = roundTrip(w);
    assertThatThrownBy(() -> evaluate(net, "out", 1, 4, 4, 3, new float[48]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lrn1").hasMessageContaining("dagnn.LRN").hasMessageContaining("supported");

    DagNnWriter w2 = new DagNnWriter(9);
    w2.layer("p", "dagnn.Pooling", List.of("input"), "out", List.of(),
        Map.of("method", "avg", "poolSize", new int[] {2, 2}, "pad", new int[] {1, 1, 1, 1}));
    DagNet net2 = roundTrip(w2);
    assertThatThrownBy(() -> evaluate(net2, "out", 1, 4, 4, 3, new float[48]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("average pooling 'p'");
  }
}
