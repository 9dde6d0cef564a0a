package io.argus.models.onnx;

import static io.argus.models.onnx.TestGraphs.f;
import static io.argus.models.onnx.TestGraphs.i;
import static io.argus.models.onnx.TestGraphs.ints;
import static io.argus.models.onnx.TestGraphs.random;
import static io.argus.models.onnx.TestGraphs.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.onnx.TestGraphs.Array;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Each operator family on a small graph built with the protobuf builders, batched, checked against
 * plain-loop references computed from the ONNX operator definitions.
 */
class OnnxImporterTest {

  private final Random random = new Random(7);

  private static void assertClose(Array actual, Array expected) {
    assertThat(actual.shape()).containsExactly(expected.shape());
    for (int k = 0; k < expected.data().length; k++) {
      float e = expected.data()[k];
      assertThat(actual.data()[k]).as("element %d", k).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-4f * Math.max(1f, Math.abs(e))));
    }
  }

  private static Array map(Array a, IntFunction<Float> f) {
    float[] out = new float[a.data().length];
    for (int k = 0; k < out.length; k++) {
      out[k] = f.apply(k);
    }
    return new Array(a.shape(), out);
  }

  @Test
  void convHonoursAsymmetricPadsStridesDilationsAndBias() {
    Array x = random(random, 2, 3, 9, 11);
    Array w = random(random, 4, 3, 3, 2);
    Array b = random(random, 4);
    OnnxModel m = new TestGraphs(13).input("x", 1, 3, 9, 11).output("y")
        .weight("w", w.shape(), w.data()).weight("b", b.shape(), b.data())
        .node("Conv", "conv", List.of("x", "w", "b"), "y", ints("pads", 1, 0, 2, 1), ints("strides", 2, 1),
            ints("dilations", 1, 2), ints("kernel_shape", 3, 2), i("group", 1))
        .model();
    Array expected = Naive.conv(x, w, b.data(), 1, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 0, 2, 1});
    assertClose(TestGraphs.run(m, Map.of("x", x)).get("y"), expected);
  }

  @Test
  void depthwiseConvWithChannelMultiplier() {
    Array x = random(random, 2, 3, 8, 8);
    Array w = random(random, 6, 1, 3, 3); // group = 3 channels, two filters each
    OnnxModel m = new TestGraphs(9).input("x", 1, 3, 8, 8).output("y")
        .weight("w", w.shape(), w.data())
        .node("Conv", "dw", List.of("x", "w"), "y", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2), i("group", 3),
            ints("dilations", 2, 2))
        .model();
    Array expected = Naive.conv(x, w, null, 3, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1, 1, 1});
    assertClose(TestGraphs.run(m, Map.of("x", x)).get("y"), expected);
  }

  @Test
  void groupedConvIsSplitPerGroupAndValidAutoPadIgnoresPads() {
    Array x = random(random, 2, 4, 6, 7);
    Array w = random(random, 6, 2, 2, 3); // 2 groups of 2 input -> 3 output channels
    Array b = random(random, 6);
    OnnxModel m = new TestGraphs(13).input("x", 1, 4, 6, 7).output("y")
        .weight("w", w.shape(), w.data()).weight("b", b.shape(), b.data())
        .node("Conv", "grouped", List.of("x", "w", "b"), "y", i("group", 2), s("auto_pad", "VALID"))
        .model();
    Array expected = Naive.conv(x, w, b.data(), 2, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0, 0, 0});
    assertClose(TestGraphs.run(m, Map.of("x", x)).get("y"), expected);
  }

  @Test
  void activationsAndClipInBothOpsetSpellings() {
    Array x = map(random(random, 2, 3, 4, 5), k -> 0f);
    for (int k = 0; k < x.data().length; k++) {
      x.data()[k] = (float) (random.nextGaussian() * 5);
    }
    OnnxModel m13 = new TestGraphs(14).input("x", 1, 3, 4, 5)
        .output("relu").output("sig").output("exp").output("hsig").output("hswish").output("relu6").output("clipLow")
        .weight("zero", new long[0], new float[] {0f}).weight("six", new long[0], new float[] {6f})
        .weight("lo", new long[0], new float[] {-1.5f})
        .node("Relu", "r", List.of("x"), "relu")
        .node("Sigmoid", "sg", List.of("x"), "sig")
        .node("Exp", "e", List.of("x"), "exp")
        .node("HardSigmoid", "hs", List.of("x"), "hsig", f("alpha", 0.3f), f("beta", 0.4f))
        .node("HardSwish", "hw", List.of("x"), "hswish")
        .node("Clip", "c6", List.of("x", "zero", "six"), "relu6")
        .node("Clip", "cl", List.of("x", "lo"), "clipLow")
        .model();
    Map<String, Array> out = TestGraphs.run(m13, Map.of("x", x));
    float[] d = x.data();
    assertClose(out.get("relu"), map(x, k -> Math.max(0f, d[k])));
    assertClose(out.get("sig"), map(x, k -> Naive.sigmoid(d[k])));
    assertClose(out.get("exp"), map(x, k -> (float) Math.exp(d[k])));
    assertClose(out.get("hsig"), map(x, k -> Naive.hardSigmoid(d[k], 0.3f, 0.4f)));
    assertClose(out.get("hswish"), map(x, k -> Naive.hardSwish(d[k])));
    assertClose(out.get("relu6"), map(x, k -> Math.min(6f, Math.max(0f, d[k]))));
    assertClose(out.get("clipLow"), map(x, k -> Math.max(-1.5f, d[k])));

    OnnxModel m9 = new TestGraphs(9).input("x", 1, 3, 4, 5).output("clip")
        .node("Clip", "c", List.of("x"), "clip", f("min", -0.5f), f("max", 0.7f))
        .model();
    assertClose(TestGraphs.run(m9, Map.of("x", x)).get("clip"), map(x, k -> Math.min(0.7f, Math.max(-0.5f, d[k]))));
  }

  @Test
  void broadcastingAgainstFeatureMapsKeepsOnnxAxes() {
    Array x = random(random, 2, 3, 4, 5);
    Array perChannel = random(random, 3, 1, 1);
    Array perColumn = map(random(random, 5), k -> 1.5f + k);
    OnnxModel m = new TestGraphs(13).input("x", 1, 3, 4, 5).output("y")
        .weight("pc", perChannel.shape(), perChannel.data())
        .weight("col", perColumn.shape(), perColumn.data())
        .weight("three", new long[0], new float[] {3f})
        .node("Add", "add", List.of("x", "pc"), "a")
        .node("Mul", "mul", List.of("a", "three"), "b")
        .node("Div", "div", List.of("b", "col"), "c")
        .node("Sub", "sub", List.of("c", "x"), "y")
        .model();
    Array expected = new Array(x.shape(), new float[x.data().length]);
    int o = 0;
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 4; y++) {
          for (int xx = 0; xx < 5; xx++) {
            float v = x.at(n, c, y, xx);
            expected.data()[o++] = (v + perChannel.at(c, 0, 0)) * 3f / perColumn.at(xx) - v;
          }
        }
      }
    }
    assertClose(TestGraphs.run(m, Map.of("x", x)).get("y"), expected);
  }

  /** MobileNetV3 squeeze-excitation as traced at batch 1: both Reshapes bake in the 1. */
  @Test
  void squeezeExcitationWithBatchOneReshapesRunsPerItem() {
    int c = 4;
    Array x = random(random, 3, c, 5, 6);
    Array w1 = random(random, 2, c);
    Array b1 = random(random, 2);
    Array w2 = random(random, c, 2);
    Array b2 = random(random, c);
    OnnxModel m = new TestGraphs(14).input("x", 1, c, 5, 6).output("y")
        .weight("w1", w1.shape(), w1.data()).weight("b1", b1.shape(), b1.data())
        .weight("w2", w2.shape(), w2.data()).weight("b2", b2.shape(), b2.data())
        .longs("flat", 1, c).longs("back", 1, c, 1, 1)
        .node("GlobalAveragePool", "gap", List.of("x"), "p")
        .node("Reshape", "r1", List.of("p", "flat"), "f")
        .node("Gemm", "fc1", List.of("f", "w1", "b1"), "h", f("alpha", 1f), f("beta", 1f), i("transB", 1))
        .node("Relu", "relu", List.of("h"), "hr")
        .node("Gemm", "fc2", List.of("hr", "w2", "b2"), "g", i("transB", 1))
        .node("HardSigmoid", "gate", List.of("g"), "s", f("alpha", 1f / 6f))
        .node("Reshape", "r2", List.of("s", "back"), "s4")
        .node("Mul", "scale", List.of("x", "s4"), "y")
        .model();
    float[] exp = new float[x.data().length];
    int o = 0;
    for (int n = 0; n < 3; n++) {
      double[] mean = new double[c];
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < 5; y++) {
          for (int xx = 0; xx < 6; xx++) {
            mean[ch] += x.at(n, ch, y, xx) / 30.0;
          }
        }
      }
      double[] h = new double[2];
      for (int j = 0; j < 2; j++) {
        h[j] = b1.data()[j];
        for (int ch = 0; ch < c; ch++) {
          h[j] += w1.at(j, ch) * mean[ch];
        }
        h[j] = Math.max(0, h[j]);
      }
      for (int ch = 0; ch < c; ch++) {
        double g = b2.data()[ch];
        for (int j = 0; j < 2; j++) {
          g += w2.at(ch, j) * h[j];
        }
        float gate = Naive.hardSigmoid((float) g, 1f / 6f, 0.5f);
        for (int y = 0; y < 5; y++) {
          for (int xx = 0; xx < 6; xx++) {
            exp[o++] = x.at(n, ch, y, xx) * gate;
          }
        }
      }
    }
    assertClose(TestGraphs.run(m, Map.of("x", x)).get("y"), new Array(x.shape(), exp));
  }

  /** NanoTrack's pixel-wise correlation: Reshape -> Transpose -> MatMul -> Reshape, traced at batch 1. */
  @Test
  void pixelwiseCorrelationReshapeTransposeMatMulRunsPerItem() {
    Array z = random(random, 2, 3, 2, 2);
    Array xs = random(random, 2, 3, 4, 5);
    OnnxModel m = new TestGraphs(14).input("z", 1, 3, 2, 2).input("x", 1, 3, 4, 5).output("y")
        .longs("flat", 1, 3, -1).longs("map", 1, -1, 4, 5)
        .node("Reshape", "rz", List.of("z", "flat"), "zf")
        .node("Transpose", "tz", List.of("zf"), "zt", ints("perm", 0, 2, 1))
        .node("Reshape", "rx", List.of("x", "flat"), "xf")
        .node("MatMul", "mm", List.of("zt", "xf"), "corr")
        .node("Reshape", "back", List.of("corr", "map"), "y")
        .model();
    float[] exp = new float[2 * 4 * 4 * 5];
    int o = 0;
    for (int n = 0; n < 2; n++) {
      for (int p = 0; p < 4; p++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 5; x++) {
            double acc = 0;
            for (int c = 0; c < 3; c++) {
              acc += z.at(n, c, p / 2, p % 2) * xs.at(n, c, y, x);
            }
            exp[o++] = (float) acc;
          }
        }
      }
    }
    assertClose(TestGraphs.run(m, Map.of("z", z, "x", xs)).get("y"), new Array(new long[] {2, 4, 4, 5}, exp));
  }

  @Test
  void gemmHonoursAlphaBetaAndBothTransposes() {
    Array a = random(random, 2, 3);
    Array bt = random(random, 4, 3);
    Array c = random(random, 4);
    Array at = random(random, 3, 2);
    Array bk = random(random, 3, 4);
    Array dummy = random(random, 1, 1);
    OnnxModel m = new TestGraphs(13).input("a", 1, 3).input("d", 1, 1).output("y").output("yt")
        .weight("bt", bt.shape(), bt.data()).weight("c", c.shape(), c.data())
        .weight("at", at.shape(), at.data()).weight("bk", bk.shape(), bk.data())
        .node("Gemm", "g", List.of("a", "bt", "c"), "y", f("alpha", 0.5f), f("beta", 2f), i("transB", 1))
        .node("Gemm", "gt", List.of("at", "bk"), "yt", i("transA", 1), f("alpha", -1f))
        .model();
    Map<String, Array> out = TestGraphs.run(m, Map.of("a", a, "d", dummy));
    float[] y = new float[2 * 4];
    for (int r = 0; r < 2; r++) {
      for (int col = 0; col < 4; col++) {
        double acc = 0;
        for (int k = 0; k < 3; k++) {
          acc += a.at(r, k) * bt.at(col, k);
        }
        y[r * 4 + col] = (float) (0.5 * acc + 2 * c.at(col));
      }
    }
    assertClose(out.get("y"), new Array(new long[] {2, 4}, y));
    float[] yt = new float[2 * 4];
    for (int r = 0; r < 2; r++) {
      for (int col = 0; col < 4; col++) {
        double acc = 0;
        for (int k = 0; k < 3; k++) {
          acc += at.at(k, r) * bk.at(k, col);
        }
        yt[r * 4 + col] = (float) -acc;
      }
    }
    assertClose(out.get("yt"), new Array(new long[] {2, 4}, yt));
  }

  @Test
  void sliceWithNegativeBoundsAndStepsThenConcatOfMixedLayouts() {
    Array x = random(random, 2, 4, 6, 7);
    Array v = random(random, 2, 12);
    OnnxModel m = new TestGraphs(13).input("x", 1, 4, 6, 7).input("v", 1, 12).output("y")
        .node("Constant", "starts", List.of(), "st", TestGraphs.tensor("value", new long[] {3}, new long[] {1, -6, -1}))
        .node("Constant", "ends", List.of(), "en", TestGraphs.tensor("value", new long[] {3}, new long[] {3, 100, -8}))
        .node("Constant", "axes", List.of(), "ax", TestGraphs.tensor("value", new long[] {3}, new long[] {1, 2, -1}))
        .node("Constant", "steps", List.of(), "sp", TestGraphs.tensor("value", new long[] {3}, new long[] {1, 2, -2}))
        .node("Slice", "slice", List.of("x", "st", "en", "ax", "sp"), "s") // [B, 2, 3, 4]
        .node("Constant", "shape", List.of(), "sh", TestGraphs.tensor("value", new long[] {4}, new long[] {1, 1, 3, 4}))
        .node("Reshape", "r", List.of("v", "sh"), "v4") // [B, 1, 3, 4], stored as ONNX
        .node("Concat", "cat", List.of("s", "v4"), "y", i("axis", -3))
        .model();
    float[] exp = new float[2 * 3 * 3 * 4];
    int o = 0;
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 3; y++) {
          for (int xx = 0; xx < 4; xx++) {
            // rows 0, 2, 4 (start -6 = 0, step 2); columns 6, 4, 2, 0 (start -1 = 6, step -2)
            exp[o++] = c < 2 ? x.at(n, 1 + c, 2 * y, 6 - 2 * xx) : v.at(n, y * 4 + xx);
          }
        }
      }
    }
    assertClose(TestGraphs.run(m, Map.of("x", x, "v", v)).get("y"), new Array(new long[] {2, 3, 3, 4}, exp));

    OnnxModel m9 = new TestGraphs(9).input("x", 1, 4, 6, 7).output("y")
        .node("Slice", "slice9", List.of("x"), "y", ints("starts", 2, 1), ints("ends", 4, -1), ints("axes", 1, 3))
        .model();
    Array y9 = TestGraphs.run(m9, Map.of("x", x)).get("y");
    assertThat(y9.shape()).containsExactly(2, 2, 6, 5);
    assertThat(y9.at(1, 1, 4, 2)).isEqualTo(x.at(1, 3, 4, 3));
  }

  /** NanoTrack v3's depth-wise correlation: template features reshaped into per-item kernels. */
  @Test
  void perItemKernelsFromABatchOneReshapeCorrelateEachItemWithItsOwnTemplate() {
    Array z = random(random, 3, 4, 3, 3);
    Array x = random(random, 3, 4, 6, 6);
    OnnxModel m = new TestGraphs(14).input("z", 1, 4, 3, 3).input("x", 1, 4, 6, 6).output("y")
        .longs("kernels", 4, 1, 3, 3).longs("search", 1, 4, 6, 6).longs("out", 1, 4, 6, 6)
        .node("Reshape", "rx", List.of("x", "search"), "xs")
        .node("Reshape", "rk", List.of("z", "kernels"), "k")
        .node("Conv", "xcorr", List.of("xs", "k"), "c", i("group", 4), ints("pads", 1, 1, 1, 1), ints("kernel_shape", 3, 3))
        .node("Reshape", "ro", List.of("c", "out"), "y")
        .model();
    assertClose(TestGraphs.run(m, Map.of("z", z, "x", x)).get("y"), Naive.depthwiseXcorr(x, z, 1));
  }

  @Test
  void unsupportedOperatorNamesNodeAndOperator() {
    OnnxModel m = new TestGraphs(13).input("x", 1, 3, 4, 4).output("y")
        .node("LRN", "norm_7", List.of("x"), "y", i("size", 5)).model();
    assertThatThrownBy(() -> TestGraphs.run(m, Map.of("x", random(random, 1, 3, 4, 4))))
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("test.onnx").hasMessageContaining("'norm_7'").hasMessageContaining("operator LRN is not supported");
  }

  /** MaxPool with padding: padded cells never win (they are -infinity, not 0, so all-negative windows stay negative). */
  @Test
  void maxPoolWithPaddingMatchesTheDefinition() {
    Array x = random(random, 2, 3, 6, 6);
    for (int k = 0; k < x.data().length; k++) {
      x.data()[k] -= 3; // mostly negative: a zero padding would show
    }
    OnnxModel m = new TestGraphs(11).input("x", 1, 3, 6, 6).output("y")
        .node("MaxPool", "pool", List.of("x"), "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
            ints("pads", 1, 1, 1, 1), i("ceil_mode", 0)).model();
    Array y = TestGraphs.run(m, Map.of("x", x)).get("y");
    assertThat(y.shape()).containsExactly(2, 3, 3, 3);
    float[] expected = new float[2 * 3 * 3 * 3];
    int o = 0;
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 3; c++) {
        for (int oy = 0; oy < 3; oy++) {
          for (int ox = 0; ox < 3; ox++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < 3; u++) {
              for (int v = 0; v < 3; v++) {
                int yy = 2 * oy - 1 + u;
                int xx = 2 * ox - 1 + v;
                if (yy >= 0 && yy < 6 && xx >= 0 && xx < 6) {
                  best = Math.max(best, x.at(b, c, yy, xx));
                }
              }
            }
            expected[o++] = best;
          }
        }
      }
    }
    assertClose(y, new Array(y.shape(), expected));
    OnnxModel ceil = new TestGraphs(11).input("x", 1, 3, 6, 6).output("y")
        .node("MaxPool", "pool_ceil", List.of("x"), "y", ints("kernel_shape", 3, 3), i("ceil_mode", 1)).model();
    assertThatThrownBy(() -> TestGraphs.run(ceil, Map.of("x", x))).isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("'pool_ceil'").hasMessageContaining("ceil_mode");
  }

  @Test
  void batchNormalizationUsesTheRunningStatistics() {
    Array x = random(random, 2, 3, 4, 4);
    float[] scale = {0.5f, 2f, -1f};
    float[] bias = {0.1f, 0f, 3f};
    float[] mean = {1f, -2f, 0.5f};
    float[] var = {4f, 0.25f, 1f};
    OnnxModel m = new TestGraphs(11).input("x", 1, 3, 4, 4).output("y")
        .weight("s", new long[] {3}, scale).weight("b", new long[] {3}, bias)
        .weight("m", new long[] {3}, mean).weight("v", new long[] {3}, var)
        .node("BatchNormalization", "bn", List.of("x", "s", "b", "m", "v"), "y", f("epsilon", 1e-3f)).model();
    Array y = TestGraphs.run(m, Map.of("x", x)).get("y");
    float[] expected = new float[x.data().length];
    int o = 0;
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 3; c++) {
        for (int r = 0; r < 16; r++) {
          expected[o++] = (float) ((x.at(b, c, r / 4, r % 4) - mean[c]) / Math.sqrt(var[c] + 1e-3) * scale[c] + bias[c]);
        }
      }
    }
    assertClose(y, new Array(y.shape(), expected));
  }

  @Test
  void unsupportedAttributeOrValueNamesTheAttribute() {
    Array w = random(random, 2, 3, 3, 3);
    OnnxModel samePad = new TestGraphs(13).input("x", 1, 3, 4, 4).output("y").weight("w", w.shape(), w.data())
        .node("Conv", "conv_same", List.of("x", "w"), "y", s("auto_pad", "SAME_LOWER")).model();
    assertThatThrownBy(() -> TestGraphs.run(samePad, Map.of("x", random(random, 1, 3, 4, 4))))
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("'conv_same' (Conv)").hasMessageContaining("'auto_pad'=SAME_LOWER");

    OnnxModel unknown = new TestGraphs(13).input("x", 1, 3, 4, 4).output("y")
        .node("Relu", "relu_odd", List.of("x"), "y", i("inplace", 1)).model();
    assertThatThrownBy(() -> TestGraphs.run(unknown, Map.of("x", random(random, 1, 3, 4, 4))))
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("'relu_odd' (Relu)").hasMessageContaining("attribute 'inplace' is not supported");
  }

  @Test
  void transposeMovingTheBatchAxisIsRefused() {
    OnnxModel m = new TestGraphs(13).input("x", 1, 3, 4).output("y")
        .node("Transpose", "t", List.of("x"), "y", ints("perm", 1, 0, 2)).model();
    assertThatThrownBy(() -> TestGraphs.run(m, Map.of("x", random(random, 2, 3, 4))))
        .isInstanceOf(OnnxImportException.class).hasMessageContaining("moves the batch axis");
  }
}
