package io.argus.models.onnx;

import static io.argus.models.onnx.TestGraphs.i;
import static io.argus.models.onnx.TestGraphs.ints;
import static io.argus.models.onnx.TestGraphs.s;

import io.argus.models.onnx.TestGraphs.Array;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A tiny SiamMask in pysot's shape, twice: as the three ONNX graphs a user exports (template,
 * search, refine; see SiamMaskImport) and as plain loops over the same weights. Spatial sizes are
 * pysot's (127 -> 61 -> 31 -> 15, 255 -> 125 -> 63 -> 31, score 25, refine 15 -> 31 -> 61 -> 127);
 * channels are 2 to 4.
 */
final class SiamMaskOnnx {

  static final int C = 4; // adjusted feature channels
  private final Random random;
  private final Map<String, Array> weights = new HashMap<>();

  SiamMaskOnnx(long seed) {
    random = new Random(seed);
  }

  Array weight(String name, float std, long... shape) {
    return weights.computeIfAbsent(name, n -> {
      Array a = TestGraphs.random(random, shape);
      for (int k = 0; k < a.data().length; k++) {
        a.data()[k] *= std;
      }
      return a;
    });
  }

  // ---------------------------------------------------------------- ONNX graphs

  /** One graph under construction; initializers registered once each. */
  private final class G {
    final TestGraphs g = new TestGraphs(13);
    final Set<String> added = new HashSet<>();
    int counter;

    String conv(String in, String name, int cin, int cout, int k, int stride, int pad, int dilation, boolean relu) {
      float std = (float) Math.sqrt(1.0 / (cin * k * k));
      add(name + ".w", weight(name + ".w", std, cout, cin, k, k));
      add(name + ".b", weight(name + ".b", 0.1f, cout));
      String out = name + "_" + counter++;
      g.node("Conv", name, List.of(in, name + ".w", name + ".b"), out, ints("kernel_shape", k, k),
          ints("strides", stride, stride), ints("pads", pad, pad, pad, pad), ints("dilations", dilation, dilation),
          i("group", 1));
      if (!relu) {
        return out;
      }
      g.node("Relu", name + "_relu", List.of(out), out + "_r");
      return out + "_r";
    }

    void add(String name, Array a) {
      if (added.add(name)) {
        g.weight(name, a.shape(), a.data());
      }
    }

    String op(String op, List<String> in, io.argus.models.onnx.proto.Onnx.AttributeProto... attrs) {
      String out = op + "_" + counter++;
      g.node(op, out, in, out, attrs);
      return out;
    }

    /** conv1 + relu (f0), max-pool + layer1 (f1), layer2 (f2), dilated layer3 (f3). */
    List<String> backbone(String x) {
      String f0 = conv(x, "conv1", 3, 2, 7, 2, 0, 1, true);
      String pool = op("MaxPool", List.of(f0), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
          ints("pads", 1, 1, 1, 1));
      String f1 = conv(pool, "layer1", 2, 3, 1, 1, 0, 1, true);
      String f2 = conv(f1, "layer2", 3, 2, 3, 2, 0, 1, true);
      String f3 = conv(f2, "layer3", 2, 3, 3, 1, 2, 2, true);
      return List.of(f0, f1, f2, f3);
    }

    /** pysot's DepthwiseXCorr up to its feature, with xcorr_depthwise's views as traced at batch 1. */
    String xcorr(String z, String x, String name) {
      String kernel = conv(z, name + ".conv_kernel", C, C, 3, 1, 0, 1, true);
      String search = conv(x, name + ".conv_search", C, C, 3, 1, 0, 1, true);
      g.longs(name + ".xshape", 1, C, 29, 29).longs(name + ".kshape", C, 1, 5, 5).longs(name + ".oshape", 1, C, 25, 25);
      String xv = op("Reshape", List.of(search, name + ".xshape"));
      String kv = op("Reshape", List.of(kernel, name + ".kshape"));
      String out = name + "_xcorr";
      g.node("Conv", out, List.of(xv, kv), out, i("group", C));
      return op("Reshape", List.of(out, name + ".oshape"));
    }

    String head(String feature, String name, int out) {
      String h = conv(feature, name + ".head1", C, C, 1, 1, 0, 1, true);
      return conv(h, name + ".head2", C, out, 1, 1, 0, 1, false);
    }

    String twoConvs(String in, String name, int cin, int mid, int out) {
      return conv(conv(in, name + ".a", cin, mid, 3, 1, 1, 1, true), name + ".b", mid, out, 3, 1, 1, 1, true);
    }

    String resize(String in, int channels, int side) {
      String sizes = "sizes_" + counter++;
      g.longs(sizes, 1, channels, side, side);
      g.weight("roi_" + counter, new long[] {0}, new float[0]);
      g.weight("scales_" + counter, new long[] {0}, new float[0]);
      String out = "resize_" + counter;
      g.node("Resize", out, List.of(in, "roi_" + counter, "scales_" + counter, sizes), out,
          s("mode", "nearest"), s("coordinate_transformation_mode", "asymmetric"), s("nearest_mode", "floor"));
      counter++;
      return out;
    }

    Path write(Path file) throws IOException {
      Files.write(file, g.model().proto().toByteArray());
      return file;
    }
  }

  Path template(Path file) throws IOException {
    G g = new G();
    g.g.input("z", 1, 3, 127, 127);
    String f3 = g.backbone("z").get(3);
    String neck = g.conv(f3, "neck", 3, C, 1, 1, 0, 1, false);
    g.g.longs("starts", 4, 4).longs("ends", 11, 11).longs("axes", 2, 3);
    g.g.node("Slice", "centre", List.of(neck, "starts", "ends", "axes"), "zf");
    g.g.output("zf");
    return g.write(file);
  }

  Path search(Path file) throws IOException {
    G g = new G();
    g.g.input("zf", 1, C, 7, 7).input("x", 1, 3, 255, 255);
    List<String> f = g.backbone("x");
    String xf = g.conv(f.get(3), "neck", 3, C, 1, 1, 0, 1, false);
    String cls = g.head(g.xcorr("zf", xf, "rpn.cls"), "rpn.cls", 10);
    String loc = g.head(g.xcorr("zf", xf, "rpn.loc"), "rpn.loc", 20);
    String corr = g.xcorr("zf", xf, "mask");
    String[][] outs = {{cls, "cls"}, {loc, "loc"}, {corr, "corr"}, {f.get(0), "f0"}, {f.get(1), "f1"}, {f.get(2), "f2"}};
    for (String[] o : outs) {
      g.g.node("Identity", "out_" + o[1], List.of(o[0]), o[1]);
      g.g.output(o[1]);
    }
    return g.write(file);
  }

  Path refine(Path file) throws IOException {
    G g = new G();
    g.g.input("p0", 1, 2, 61, 61).input("p1", 1, 3, 31, 31).input("p2", 1, 2, 15, 15).input("p3", 1, C, 1, 1);
    g.add("deconv.w", weight("deconv.w", 0.3f, C, 2, 15, 15));
    g.add("deconv.b", weight("deconv.b", 0.1f, 2));
    g.g.node("ConvTranspose", "deconv", List.of("p3", "deconv.w", "deconv.b"), "deconv_out",
        ints("kernel_shape", 15, 15), ints("strides", 15, 15));
    String out = g.op("Add", List.of(g.twoConvs("deconv_out", "h2", 2, 2, 2), g.twoConvs("p2", "v2", 2, 2, 2)));
    out = g.conv(g.resize(out, 2, 31), "post0", 2, 3, 3, 1, 1, 1, false);
    out = g.op("Add", List.of(g.twoConvs(out, "h1", 3, 3, 3), g.twoConvs("p1", "v1", 3, 3, 3)));
    out = g.conv(g.resize(out, 3, 61), "post1", 3, 2, 3, 1, 1, 1, false);
    out = g.op("Add", List.of(g.twoConvs(out, "h0", 2, 2, 2), g.twoConvs("p0", "v0", 2, 2, 2)));
    out = g.conv(g.resize(out, 2, 127), "post2", 2, 1, 3, 1, 1, 1, false);
    g.g.longs("flat", 1, 127 * 127);
    g.g.node("Reshape", "view", List.of(out, "flat"), "mask");
    g.g.output("mask");
    return g.write(file);
  }

  // ---------------------------------------------------------------- plain loops, one item (NCHW, batch 1)

  private Array conv(Array x, String name, int k, int stride, int pad, int dilation, boolean relu) {
    Array w = weights.get(name + ".w");
    Array y = Naive.conv(x, w, weights.get(name + ".b").data(), 1, new int[] {stride, stride},
        new int[] {dilation, dilation}, new int[] {pad, pad, pad, pad});
    return relu ? relu(y) : y;
  }

  static Array relu(Array a) {
    float[] d = a.data().clone();
    for (int k = 0; k < d.length; k++) {
      d[k] = Math.max(0, d[k]);
    }
    return new Array(a.shape(), d);
  }

  static Array add(Array a, Array b) {
    float[] d = a.data().clone();
    for (int k = 0; k < d.length; k++) {
      d[k] += b.data()[k];
    }
    return new Array(a.shape(), d);
  }

  static Array maxPool3s2p1(Array x) {
    int c = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    int ho = (h + 2 - 3) / 2 + 1;
    float[] out = new float[c * ho * ho];
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < ho; ox++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              int y = oy * 2 - 1 + i;
              int xx = ox * 2 - 1 + j;
              if (y >= 0 && y < h && xx >= 0 && xx < h) {
                m = Math.max(m, x.at(0, ch, y, xx));
              }
            }
          }
          out[(ch * ho + oy) * ho + ox] = m;
        }
      }
    }
    return new Array(new long[] {1, c, ho, ho}, out);
  }

  /** PyTorch nearest: output (i, j) takes input (floor(i * in / out), floor(j * in / out)). */
  static Array resizeNearest(Array x, int side) {
    int c = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    float[] out = new float[c * side * side];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < side; i++) {
        for (int j = 0; j < side; j++) {
          out[(ch * side + i) * side + j] = x.at(0, ch, (long) i * h / side, (long) j * h / side);
        }
      }
    }
    return new Array(new long[] {1, c, side, side}, out);
  }

  /** ONNX ConvTranspose, one group: y[o, i * s + a - pad] += x[c, i] * w[c, o, a]. */
  static Array convTranspose(Array x, Array w, float[] bias, int stride, int pad, int outPad) {
    int cin = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    int cout = (int) w.shape()[1];
    int k = (int) w.shape()[2];
    int full = (h - 1) * stride + k + outPad;
    int ho = full - 2 * pad;
    float[] out = new float[cout * ho * ho];
    for (int o = 0; o < cout; o++) {
      for (int q = 0; q < ho * ho; q++) {
        out[o * ho * ho + q] = bias == null ? 0 : bias[o];
      }
    }
    for (int c = 0; c < cin; c++) {
      for (int iy = 0; iy < h; iy++) {
        for (int ix = 0; ix < h; ix++) {
          for (int o = 0; o < cout; o++) {
            for (int a = 0; a < k; a++) {
              for (int b = 0; b < k; b++) {
                int y = iy * stride + a - pad;
                int xx = ix * stride + b - pad;
                if (y >= 0 && y < ho && xx >= 0 && xx < ho) {
                  out[(o * ho + y) * ho + xx] += x.at(0, c, iy, ix) * w.at(c, o, a, b);
                }
              }
            }
          }
        }
      }
    }
    return new Array(new long[] {1, cout, ho, ho}, out);
  }

  /** An RGB NHWC item (0..255) as the network sees it: BGR, NCHW. */
  static Array bgrNchw(float[] rgbHwc, int offset, int side) {
    float[] out = new float[3 * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          out[((2 - c) * side + y) * side + x] = rgbHwc[offset + (y * side + x) * 3 + c];
        }
      }
    }
    return new Array(new long[] {1, 3, side, side}, out);
  }

  private List<Array> backbone(Array x) {
    Array f0 = conv(x, "conv1", 7, 2, 0, 1, true);
    Array f1 = conv(maxPool3s2p1(f0), "layer1", 1, 1, 0, 1, true);
    Array f2 = conv(f1, "layer2", 3, 2, 0, 1, true);
    Array f3 = conv(f2, "layer3", 3, 1, 2, 2, true);
    return List.of(f0, f1, f2, f3);
  }

  Array template(Array z) {
    Array neck = conv(backbone(z).get(3), "neck", 1, 1, 0, 1, false);
    return window(neck, 4, 4, 7, 0);
  }

  /** The size x size window of x zero-padded by pad, from (top, left) of the padded map. */
  static Array window(Array x, int top, int left, int size, int pad) {
    int c = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    float[] out = new float[c * size * size];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          int y = top + i - pad;
          int xx = left + j - pad;
          out[(ch * size + i) * size + j] = y < 0 || xx < 0 || y >= h || xx >= h ? 0 : x.at(0, ch, y, xx);
        }
      }
    }
    return new Array(new long[] {1, c, size, size}, out);
  }

  private Array xcorr(Array zf, Array xf, String name) {
    Array kernel = conv(zf, name + ".conv_kernel", 3, 1, 0, 1, true);
    Array search = conv(xf, name + ".conv_search", 3, 1, 0, 1, true);
    return Naive.depthwiseXcorr(search, kernel, 0);
  }

  private Array head(Array feature, String name) {
    return conv(conv(feature, name + ".head1", 1, 1, 0, 1, true), name + ".head2", 1, 1, 0, 1, false);
  }

  /** cls, loc (NCHW) and the mask probabilities (127 x 127) at cell (row, col). */
  record Reference(Array cls, Array loc, float[] mask) {}

  Reference track(Array zf, Array x, int row, int col) {
    List<Array> f = backbone(x);
    Array xf = conv(f.get(3), "neck", 1, 1, 0, 1, false);
    Array cls = head(xcorr(zf, xf, "rpn.cls"), "rpn.cls");
    Array loc = head(xcorr(zf, xf, "rpn.loc"), "rpn.loc");
    Array corr = xcorr(zf, xf, "mask");
    Array p0 = window(f.get(0), 4 * row, 4 * col, 61, 16);
    Array p1 = window(f.get(1), 2 * row, 2 * col, 31, 8);
    Array p2 = window(f.get(2), row, col, 15, 4);
    Array p3 = window(corr, row, col, 1, 0);
    Array out = convTranspose(p3, weights.get("deconv.w"), weights.get("deconv.b").data(), 15, 0, 0);
    out = conv(resizeNearest(add(twoConvs(out, "h2"), twoConvs(p2, "v2")), 31), "post0", 3, 1, 1, 1, false);
    out = conv(resizeNearest(add(twoConvs(out, "h1"), twoConvs(p1, "v1")), 61), "post1", 3, 1, 1, 1, false);
    out = conv(resizeNearest(add(twoConvs(out, "h0"), twoConvs(p0, "v0")), 127), "post2", 3, 1, 1, 1, false);
    float[] mask = new float[127 * 127];
    for (int k = 0; k < mask.length; k++) {
      mask[k] = Naive.sigmoid(out.data()[k]);
    }
    return new Reference(cls, loc, mask);
  }

  private Array twoConvs(Array x, String name) {
    return conv(conv(x, name + ".a", 3, 1, 1, 1, true), name + ".b", 3, 1, 1, 1, true);
  }
}
