package io.argus.models.siammask;

import io.argus.models.ModelSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * pysot's siammask_r50_l3 built with TensorFlow ops and seeded random weights (batch norm folded
 * into biases): ResNet-50 to layer3 with pysot's atrous padding (conv1 unpadded, stride-2 blocks
 * unpadded, layer3 dilated 2), a 1x1 adjust layer with the template's centre 7 x 7 crop, the
 * depthwise RPN head, the mask head's depthwise correlation and the refine module. For tests,
 * plumbing and benchmarks: random weights do not segment; real weights come through
 * {@link SiamMaskImport}.
 */
public final class SiamMaskNet implements SiamMaskGraph.Network {

  private static final int CENTRE = 7;

  private final SiamMaskConfig config;
  private final Ops root;
  private final Random random;
  private final Map<String, Operand<TFloat32>> weights = new HashMap<>();

  private SiamMaskNet(Ops root, SiamMaskConfig config, long seed) {
    this.root = root;
    this.config = config;
    this.random = new Random(seed);
  }

  /** The network's graph endpoints with seeded weights as constants. */
  public static SiamMaskGraph build(Ops tf, SiamMaskConfig config, long seed) {
    return SiamMaskGraph.build(tf, new SiamMaskNet(tf, config, seed));
  }

  /** Builds and exports a model directory; returns its metadata. */
  public static ModelSpec export(Path dir, SiamMaskConfig config, long seed, String name) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SiamMaskGraph net = build(Ops.create(g), config, seed);
      Map<String, String> provenance = new LinkedHashMap<>();
      provenance.put("builder", "io.argus.models.siammask.SiamMaskNet (random weights, seed " + seed + ")");
      provenance.put("network", config.text());
      provenance.put("maskAttention", config.spatialAttention() ? "centermask-sag" : "none");
      ModelSpec spec = net.spec(name, SiamMaskGraph.defaultHyper(), provenance);
      net.export(dir, s, spec);
      return spec;
    }
  }

  @Override
  public Operand<TFloat32> template(Ops tf, Operand<TFloat32> exemplarBgr) {
    Operand<TFloat32> f3 = backbone(tf, exemplarBgr).get(3);
    Operand<TFloat32> z = conv(tf, f3, "neck", config.adjust(), 1, 1, 0);
    long side = z.shape().get(1);
    long l = (side - CENTRE) / 2;
    return tf.stridedSlice(z, tf.constant(new long[] {0, l, l, 0}), tf.constant(new long[] {0, l + CENTRE, l + CENTRE, 0}),
        tf.constant(new long[] {1, 1, 1, 1}), org.tensorflow.op.core.StridedSlice.beginMask(9L),
        org.tensorflow.op.core.StridedSlice.endMask(9L));
  }

  @Override
  public SiamMaskGraph.Search search(Ops tf, Operand<TFloat32> embedding, Operand<TFloat32> instanceBgr) {
    List<Operand<TFloat32>> f = backbone(tf, instanceBgr);
    Operand<TFloat32> x = conv(tf, f.get(3), "neck", config.adjust(), 1, 1, 0);
    int k = config.anchors();
    Operand<TFloat32> clsFeature = correlation(tf, "rpn_cls", embedding, x);
    Operand<TFloat32> cls = head(tf, "rpn_cls", clsFeature, 2 * k);
    Operand<TFloat32> loc = head(tf, "rpn_loc", correlation(tf, "rpn_loc", embedding, x), 4 * k);
    Operand<TFloat32> corr = correlation(tf, "mask", embedding, x);
    if (config.spatialAttention()) {
      corr = spatialAttention(tf, corr);
    }
    return new SiamMaskGraph.Search(cls, loc, corr, f.get(0), f.get(1), f.get(2));
  }

  @Override
  public Operand<TFloat32> refine(Ops tf, RefineCrops.Inputs p) {
    int d32 = config.refine(32);
    int d16 = config.refine(16);
    int d4 = config.refine(4);
    Operand<TFloat32> out = deconv(tf, p.p3(), d32);
    out = conv(tf, resize(tf, tf.math.add(twoConvs(tf, "h2", out, d32, d32), twoConvs(tf, "v2", p.p2(),
        config.refine(128), d32)), 31), "post0", d16, 3, 1, 1);
    out = conv(tf, resize(tf, tf.math.add(twoConvs(tf, "h1", out, d16, d16), twoConvs(tf, "v1", p.p1(),
        config.refine(64), d16)), 61), "post1", d4, 3, 1, 1);
    return conv(tf, resize(tf, tf.math.add(twoConvs(tf, "h0", out, d4, d4), twoConvs(tf, "v0", p.p0(), d16, d4)), 127),
        "post2", 1, 3, 1, 1);
  }

  /** conv1 (after ReLU, before the max-pool), layer1, layer2, layer3 of the atrous ResNet. */
  private List<Operand<TFloat32>> backbone(Ops tf, Operand<TFloat32> image) {
    Operand<TFloat32> f0 = tf.nn.relu(conv(tf, image, "conv1", config.stem(), 7, 2, 0));
    Operand<TFloat32> x = tf.nn.maxPool(tf.pad(f0, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}),
        tf.constant(Float.NEGATIVE_INFINITY)), tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}),
        "VALID");
    Operand<TFloat32> f1 = layer(tf, "layer1", x, config.planes().get(0), config.blocks().get(0), 1, 1);
    Operand<TFloat32> f2 = layer(tf, "layer2", f1, config.planes().get(1), config.blocks().get(1), 2, 1);
    Operand<TFloat32> f3 = layer(tf, "layer3", f2, config.planes().get(2), config.blocks().get(2), 1, 2);
    return List.of(f0, f1, f2, f3);
  }

  /** pysot's {@code ResNet._make_layer} with its atrous downsample and padding rules. */
  private Operand<TFloat32> layer(Ops tf, String name, Operand<TFloat32> x, int planes, int blocks, int stride,
      int dilation) {
    long in = x.shape().get(3);
    Operand<TFloat32> out = x;
    for (int b = 0; b < blocks; b++) {
      String n = name + "_" + b;
      boolean downsample = b == 0 && (stride != 1 || in != 4L * planes);
      Operand<TFloat32> residual = out;
      if (downsample) {
        residual = stride == 1 && dilation == 1
            ? conv(tf, out, n + "_down", 4 * planes, 1, stride, 0)
            : dilation > 1
                ? conv(tf, out, n + "_down", 4 * planes, 3, stride, dilation / 2, dilation / 2)
                : conv(tf, out, n + "_down", 4 * planes, 3, stride, 0);
      }
      int d = downsample && dilation > 1 ? dilation / 2 : dilation;
      int pad = d > 1 || (downsample && dilation > 1) ? d : 2 - (b == 0 ? stride : 1);
      Operand<TFloat32> y = tf.nn.relu(conv(tf, out, n + "_conv1", planes, 1, 1, 0));
      y = tf.nn.relu(conv(tf, y, n + "_conv2", planes, 3, b == 0 ? stride : 1, pad, d));
      y = conv(tf, y, n + "_conv3", 4 * planes, 1, 1, 0);
      out = tf.nn.relu(tf.math.add(y, residual));
    }
    return out;
  }

  /** The two 3x3 convolutions of pysot's DepthwiseXCorr and their per-item depthwise correlation. */
  private Operand<TFloat32> correlation(Ops tf, String name, Operand<TFloat32> z, Operand<TFloat32> x) {
    int h = config.hidden();
    Operand<TFloat32> kernel = tf.nn.relu(conv(tf, z, name + "_kernel", h, 3, 1, 0));
    Operand<TFloat32> search = tf.nn.relu(conv(tf, x, name + "_search", h, 3, 1, 0));
    return depthwiseCorrelation(tf, search, kernel);
  }

  /**
   * Item b's search channel c correlated with its own kernel channel c: items side by side on
   * the channel axis, one depthwise convolution, unstacked again.
   */
  static Operand<TFloat32> depthwiseCorrelation(Ops tf, Operand<TFloat32> search, Operand<TFloat32> kernel) {
    long sh = search.shape().get(1);
    long kh = kernel.shape().get(1);
    long c = search.shape().get(3);
    Operand<TFloat32> x = tf.reshape(tf.linalg.transpose(search, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new long[] {1, sh, sh, -1}));
    Operand<TFloat32> k = tf.reshape(tf.linalg.transpose(kernel, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new long[] {kh, kh, -1, 1}));
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(x, k, List.of(1L, 1L, 1L, 1L), "VALID");
    long s = sh - kh + 1;
    return tf.linalg.transpose(tf.reshape(y, tf.constant(new long[] {s, s, -1, c})), tf.constant(new int[] {2, 0, 1, 3}));
  }

  /** DepthwiseXCorr's head: 1x1 conv + (folded) BN + ReLU, then 1x1 conv to the outputs. */
  private Operand<TFloat32> head(Ops tf, String name, Operand<TFloat32> feature, int out) {
    Operand<TFloat32> y = tf.nn.relu(conv(tf, feature, name + "_head1", config.hidden(), 1, 1, 0));
    return conv(tf, y, name + "_head2", out, 1, 1, 0);
  }

  /**
   * CenterMask's spatial-attention-guided module (Lee and Park, 2020): channel-wise max and mean
   * of the feature, a 3x3 convolution of the two, a sigmoid, and the feature weighted by it.
   */
  private Operand<TFloat32> spatialAttention(Ops tf, Operand<TFloat32> feature) {
    return spatialAttention(tf, feature, weight("sag", new long[] {3, 3, 2, 1}, 1 / Math.sqrt(18)), bias("sag", 1));
  }

  /**
   * The module with given weights: {@code w} 3 x 3 x 2 x 1 over the (max, mean) maps, {@code b}
   * one bias; zero padding keeps the map's size.
   */
  static Operand<TFloat32> spatialAttention(Ops tf, Operand<TFloat32> feature, Operand<TFloat32> w,
      Operand<TFloat32> b) {
    Operand<TFloat32> max = tf.reduceMax(feature, tf.constant(3), ReduceMax.keepDims(true));
    Operand<TFloat32> mean = tf.math.mean(feature, tf.constant(3), Mean.keepDims(true));
    Operand<TFloat32> pooled = tf.pad(tf.concat(List.of(max, mean), tf.constant(3)),
        tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
    Operand<TFloat32> attention = tf.math.sigmoid(tf.nn.biasAdd(
        tf.nn.conv2d(pooled, w, List.of(1L, 1L, 1L, 1L), "VALID"), b));
    return tf.math.mul(feature, attention);
  }

  private Operand<TFloat32> twoConvs(Ops tf, String name, Operand<TFloat32> x, int mid, int out) {
    Operand<TFloat32> y = tf.nn.relu(conv(tf, x, name + "_a", mid, 3, 1, 1));
    return tf.nn.relu(conv(tf, y, name + "_b", out, 3, 1, 1));
  }

  /** ConvTranspose2d(C, out, 15, stride 15) on a 1 x 1 input: each channel spreads a 15 x 15 x out kernel. */
  private Operand<TFloat32> deconv(Ops tf, Operand<TFloat32> p3, int out) {
    long c = p3.shape().get(3);
    // the correlation feature sums 25 products per channel: scale its growth back
    Operand<TFloat32> w = weight("deconv", new long[] {c, 15L * 15 * out}, 0.1 / Math.sqrt(c));
    Operand<TFloat32> y = tf.linalg.matMul(tf.reshape(p3, tf.constant(new long[] {-1, c})), w);
    return tf.nn.biasAdd(tf.reshape(y, tf.constant(new long[] {-1, 15, 15, out})), bias("deconv", out));
  }

  /** Nearest-neighbour resize as PyTorch's {@code F.upsample(size=...)}: source index floor(i * in / out). */
  private static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> x, int side) {
    return tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {side, side}));
  }

  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, String name, int out, int k, int stride, int pad) {
    return conv(tf, x, name, out, k, stride, pad, 1);
  }

  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, String name, int out, int k, int stride, int pad,
      int dilation) {
    return conv(tf, x, name, out, k, stride, pad, dilation, gain(name));
  }

  /**
   * Weight scale per layer of the untrained network, so that activations stay near 1 on 0..255
   * input (a trained network has batch norm for that): conv1 sees 0..255, a bottleneck's last
   * convolution adds to its residual, the correlation sums 25 products per channel, and the
   * last layers stay small so that box deltas and mask logits stay near 0.
   */
  private static double gain(String name) {
    if (name.equals("conv1")) {
      return 1 / 128.0;
    }
    if (name.endsWith("_conv3")) {
      return 0.5;
    }
    if (name.endsWith("_head1")) {
      return 0.1;
    }
    if (name.endsWith("_head2") || name.equals("post2")) {
      return 0.3;
    }
    return 1;
  }

  /** Zero-padded convolution with bias (batch norm folded), weights N(0, (gain^2 / (k * k * in))). */
  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, String name, int out, int k, int stride, int pad,
      int dilation, double gain) {
    long in = x.shape().get(3);
    Operand<TFloat32> w = weight(name, new long[] {k, k, in, out}, gain / Math.sqrt(k * k * in));
    Operand<TFloat32> xp = pad == 0 ? x
        : tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}), tf.constant(0f));
    Operand<TFloat32> y = tf.nn.conv2d(xp, w, List.of(1L, (long) stride, (long) stride, 1L), "VALID",
        Conv2d.dilations(List.of(1L, (long) dilation, (long) dilation, 1L)));
    return tf.nn.biasAdd(y, bias(name, out));
  }

  /** One weight per name, created once (the template and search branches share the backbone). */
  private Operand<TFloat32> weight(String name, long[] shape, double std) {
    return weights.computeIfAbsent(name + "/w", n -> {
      int size = 1;
      for (long d : shape) {
        size *= (int) d;
      }
      float[] v = new float[size];
      for (int i = 0; i < size; i++) {
        v[i] = (float) (random.nextGaussian() * std);
      }
      return root.withName(name + "_w").constant(Shape.of(shape), DataBuffers.of(v, true, false));
    });
  }

  private Operand<TFloat32> bias(String name, int out) {
    return weights.computeIfAbsent(name + "/b", n -> {
      float[] v = new float[out];
      for (int i = 0; i < out; i++) {
        v[i] = (float) (random.nextGaussian() * 0.1);
      }
      return root.withName(name + "_b").constant(Shape.of(out), DataBuffers.of(v, true, false));
    });
  }
}
