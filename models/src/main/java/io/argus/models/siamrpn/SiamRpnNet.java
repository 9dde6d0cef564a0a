package io.argus.models.siamrpn;

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
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * SiamRPN (Li et al., "High Performance Visual Tracking with Siamese Region Proposal Network",
 * CVPR 2018) as pysot's {@code siamrpn_alex_dwxcorr} builds it, in TensorFlow ops, batched over
 * targets, NHWC, batch norm folded into the convolutions (inference only).
 *
 * <p>Backbone AlexNetLegacy: conv 11x11/2 + BN, maxpool 3/2, ReLU; conv 5x5 + BN, maxpool 3/2, ReLU;
 * conv 3x3 + BN, ReLU; conv 3x3 + BN, ReLU; conv 3x3 + BN. No adjust layer. Head DepthwiseRPN:
 * for cls and loc each a DepthwiseXCorr: conv_kernel (3x3, BN, ReLU) on the template features,
 * conv_search (3x3, BN, ReLU) on the search features, per-target depthwise cross-correlation,
 * then a 1x1 conv + BN + ReLU and a 1x1 conv to 2k (cls) resp. 4k (loc) channels.
 *
 * <p>The network is fed BGR as pysot feeds it; the model input is RGB 0..255 (the contract), so
 * the graph flips the channels first.
 *
 * <p><b>Embedding choice.</b> The {@code template} signature's embedding is the backbone's template
 * features zf (6 x 6 x conv5), not the conv_kernel outputs. conv_kernel on a 6 x 6 map is about
 * 2 x 9 x 256 x 256 x 16 = 19 M multiply-adds per target per frame, under 1% of the search
 * branch (a 287 x 287 AlexNet pass, a few G), and keeping zf makes this graph and an ONNX import
 * of pysot's exported branches ({@link SiamRpnImport}, whose search graph starts from zf) share
 * one contract, so a model directory can be swapped for the other.
 *
 * <p>Outputs per search crop (NHWC, pysot's channel order): {@value #CLS} S x S x 2k, channel a
 * the background and channel k + a the foreground logit of anchor a; {@value #LOC} S x S x 4k,
 * channel d k + a the delta d (dx, dy, dw, dh) of anchor a.
 */
public final class SiamRpnNet {

  public static final int EXEMPLAR_SIZE = 127;
  /** pysot alex: TRACK.INSTANCE_SIZE 287, so the score map is (287 - 127) / 8 + 1 = 21. */
  public static final int INSTANCE_SIZE = 287;
  public static final int STRIDE = 8;
  public static final String CLS = "cls";
  public static final String LOC = "loc";

  private static final int[] KERNELS = {11, 5, 3, 3, 3};
  private static final int[] STRIDES = {2, 1, 1, 1, 1};
  private static final boolean[] POOL = {true, true, false, false, false};

  private SiamRpnNet() {}

  /**
   * The two signatures' endpoints.
   *
   * @param exemplar B x 127 x 127 x 3 RGB 0..255
   * @param embedding template output, B x 6 x 6 x conv5
   * @param embeddingIn track input, one embedding per search crop
   * @param instance B x 287 x 287 x 3 RGB 0..255
   * @param cls B x S x S x 2k
   * @param loc B x S x S x 4k
   */
  public record Endpoints(
      Placeholder<TFloat32> exemplar,
      Operand<TFloat32> embedding,
      Placeholder<TFloat32> embeddingIn,
      Placeholder<TFloat32> instance,
      Operand<TFloat32> cls,
      Operand<TFloat32> loc) {}

  /** Side of the backbone's output for a square input (127 -> 6, 287 -> 26). */
  public static int featureSide(int inputSide) {
    int s = inputSide;
    for (int i = 0; i < 5; i++) {
      s = (s - KERNELS[i]) / STRIDES[i] + 1;
      if (POOL[i]) {
        s = (s - 3) / 2 + 1;
      }
    }
    return s;
  }

  /** Side of the score map: conv_search and conv_kernel take 2 each, the correlation the rest (21). */
  public static int scoreSize() {
    return (featureSide(INSTANCE_SIZE) - 2) - (featureSide(EXEMPLAR_SIZE) - 2) + 1;
  }

  public static Endpoints build(Ops tf, SiamRpnConfig config, SiamRpnWeights weights) {
    int z = featureSide(EXEMPLAR_SIZE);
    Placeholder<TFloat32> exemplar = tf.withName(ModelSpec.EXEMPLAR).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, EXEMPLAR_SIZE, EXEMPLAR_SIZE, 3)));
    Operand<TFloat32> embedding = tf.withName(ModelSpec.EMBEDDING).identity(
        backbone(tf.withSubScope("template"), exemplar, weights));
    Placeholder<TFloat32> embeddingIn = tf.withName(ModelSpec.EMBEDDING + "_in").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, z, z, config.conv5())));
    Placeholder<TFloat32> instance = tf.withName(ModelSpec.INSTANCE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, INSTANCE_SIZE, INSTANCE_SIZE, 3)));
    Operand<TFloat32> xf = backbone(tf.withSubScope("search"), instance, weights);
    int x = featureSide(INSTANCE_SIZE);
    Operand<TFloat32> cls = tf.withName(CLS).identity(
        depthwiseXCorr(tf.withSubScope("cls"), embeddingIn, xf, weights, SiamRpnWeights.BRANCHES[0], z, x));
    Operand<TFloat32> loc = tf.withName(LOC).identity(
        depthwiseXCorr(tf.withSubScope("loc"), embeddingIn, xf, weights, SiamRpnWeights.BRANCHES[1], z, x));
    return new Endpoints(exemplar, embedding, embeddingIn, instance, cls, loc);
  }

  /** AlexNetLegacy on B x S x S x 3 RGB 0..255 (flipped to the BGR the network was trained on). */
  static Operand<TFloat32> backbone(Ops tf, Operand<TFloat32> rgb, SiamRpnWeights weights) {
    Operand<TFloat32> x = tf.reverse(rgb, tf.constant(new int[] {3}));
    for (int i = 0; i < 5; i++) {
      x = conv(tf, x, weights.require(SiamRpnWeights.BACKBONE[i]), STRIDES[i]);
      if (POOL[i]) {
        x = tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      }
      if (i < 4) {
        x = tf.nn.relu(x);
      }
    }
    return x;
  }

  /** pysot's DepthwiseXCorr on template features zf (B x z x z x C) and search features xf (B x x x x x C). */
  static Operand<TFloat32> depthwiseXCorr(Ops tf, Operand<TFloat32> zf, Operand<TFloat32> xf, SiamRpnWeights weights,
      String branch, int zSide, int xSide) {
    Operand<TFloat32> kernel = tf.nn.relu(conv(tf, zf, weights.require(branch + ".conv_kernel.0"), 1));
    Operand<TFloat32> search = tf.nn.relu(conv(tf, xf, weights.require(branch + ".conv_search.0"), 1));
    int hidden = weights.require(branch + ".conv_kernel.0").out();
    Operand<TFloat32> feature = perTargetDepthwise(tf, kernel, search, zSide - 2, xSide - 2, hidden);
    Operand<TFloat32> h = tf.nn.relu(conv(tf, feature, weights.require(branch + ".head.0"), 1));
    return conv(tf, h, weights.require(branch + ".head.3"), 1);
  }

  /**
   * pysot's xcorr_depthwise, batched: target b's kernel channel c slides over target b's search
   * channel c only. The targets go side by side on the channel axis ([1, H, W, B*C]) for one
   * depthwise convolution with [h, w, B*C, 1] filters, then come apart again: B x H' x W' x C.
   */
  static Operand<TFloat32> perTargetDepthwise(Ops tf, Operand<TFloat32> kernel, Operand<TFloat32> search, int kSide,
      int xSide, int channels) {
    int out = xSide - kSide + 1;
    Operand<TFloat32> x = tf.reshape(tf.linalg.transpose(search, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new int[] {1, xSide, xSide, -1}));
    Operand<TFloat32> k = tf.reshape(tf.linalg.transpose(kernel, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new int[] {kSide, kSide, -1, 1}));
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(x, k, List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.linalg.transpose(tf.reshape(y, tf.constant(new int[] {out, out, -1, channels})),
        tf.constant(new int[] {2, 0, 1, 3}));
  }

  private static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, SiamRpnWeights.Conv c, int stride) {
    long[] s = c.shape();
    Operand<TFloat32> w = tf.constant(Shape.of(s[2], s[3], s[1], s[0]), DataBuffers.of(c.foldedHwio(), true, false));
    Operand<TFloat32> y = tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "VALID");
    return tf.nn.biasAdd(y, tf.constant(c.foldedBias()));
  }

  /** pysot's alex tracking defaults (experiments/siamrpn_alex_dwxcorr/config.yaml, TRACK and ANCHOR). */
  public static Map<String, Double> defaultHyper() {
    Map<String, Double> h = new LinkedHashMap<>();
    h.put("contextAmount", 0.5);
    h.put("penaltyK", 0.16);
    h.put("windowInfluence", 0.40);
    h.put("lr", 0.30);
    h.put("minTargetSide", 10.0);
    h.put("anchorScale", 8.0);
    return h;
  }

  /** The metadata of a SiamRPN model with these widths. */
  public static ModelSpec spec(String name, int embeddingChannels, int anchors, Map<String, Double> hyper,
      Map<String, String> provenance) {
    int s = scoreSize();
    int z = featureSide(EXEMPLAR_SIZE);
    Map<String, List<Integer>> outputs = new LinkedHashMap<>();
    outputs.put(CLS, List.of(s, s, 2 * anchors));
    outputs.put(LOC, List.of(s, s, 4 * anchors));
    return new ModelSpec("siamrpn", name, EXEMPLAR_SIZE, INSTANCE_SIZE, s, STRIDE, List.of(z, z, embeddingChannels),
        outputs, hyper, provenance);
  }

  /** Builds the graph with these weights and writes a model directory; returns its metadata. */
  public static ModelSpec export(Path dir, String name, SiamRpnConfig config, SiamRpnWeights weights,
      Map<String, String> provenance) {
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Endpoints e = build(Ops.create(g), config, weights);
      Map<String, String> p = new LinkedHashMap<>(provenance);
      p.putIfAbsent("builder", "io.argus.models.siamrpn.SiamRpnNet (pysot siamrpn_alex_dwxcorr)");
      p.putIfAbsent("widths", config.toString());
      p.put("embedding", "backbone template features zf (the head's conv_kernel runs in the track signature)");
      ModelSpec spec = spec(name, config.conv5(), config.anchors(), defaultHyper(), p);
      export(dir, session, spec, e);
      return spec;
    }
  }

  static void export(Path dir, Session session, ModelSpec spec, Endpoints e) {
    SavedModelExport.export(dir, session, spec,
        SavedModelExport.signature(ModelSpec.TEMPLATE,
            Map.of(ModelSpec.EXEMPLAR, e.exemplar()), Map.of(ModelSpec.EMBEDDING, e.embedding())),
        SavedModelExport.signature(ModelSpec.TRACK,
            Map.of(ModelSpec.EMBEDDING, e.embeddingIn(), ModelSpec.INSTANCE, e.instance()),
            Map.of(CLS, e.cls(), LOC, e.loc())));
  }
}
