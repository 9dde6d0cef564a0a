package io.argus.models.siamrpn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of a SiamRPN network, named as pysot's {@code state_dict} prefixes so a
 * converted checkpoint maps one to one: {@code backbone.features.0} (conv1), {@code .4}, {@code .8},
 * {@code .11}, {@code .14}; {@code rpn_head.cls.conv_kernel.0}, {@code rpn_head.cls.conv_search.0},
 * {@code rpn_head.cls.head.0}, {@code rpn_head.cls.head.3}, the same under {@code rpn_head.loc}.
 * Each convolution carries the batch norm that follows it (pysot's next module), if any.
 */
public record SiamRpnWeights(Map<String, Conv> convs) {

  public static final float BN_EPSILON = 1e-5f;

  /** Backbone convolutions in order, with pysot's module index inside {@code backbone.features}. */
  public static final String[] BACKBONE = {
      "backbone.features.0", "backbone.features.4", "backbone.features.8", "backbone.features.11",
      "backbone.features.14"};

  /** The two DepthwiseXCorr branches of DepthwiseRPN. */
  public static final String[] BRANCHES = {"rpn_head.cls", "rpn_head.loc"};

  /**
   * Batch norm in inference form (PyTorch's BatchNorm2d with its running statistics).
   *
   * @param gamma weight
   * @param beta bias
   * @param mean running_mean
   * @param variance running_var
   */
  public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] variance) {}

  /**
   * One convolution (PyTorch layout [out, in, kh, kw]), its bias (null: bias=False), and the batch
   * norm that follows it (null: none).
   */
  public record Conv(long[] shape, float[] weight, float[] bias, BatchNorm bn) {
    public Conv {
      if (shape.length != 4 || weight.length != shape[0] * shape[1] * shape[2] * shape[3]) {
        throw new IllegalArgumentException("a convolution weight is [out, in, kh, kw] with as many values, got shape "
            + Arrays.toString(shape) + " and " + weight.length + " values");
      }
    }

    public int out() {
      return (int) shape[0];
    }

    /**
     * Weight in TensorFlow's HWIO layout with the batch norm folded in: per output channel o,
     * {@code w * gamma / sqrt(var + eps)}.
     */
    public float[] foldedHwio() {
      int o = (int) shape[0];
      int in = (int) shape[1];
      int kh = (int) shape[2];
      int kw = (int) shape[3];
      float[] out = new float[weight.length];
      for (int a = 0; a < o; a++) {
        double s = scale(a);
        for (int b = 0; b < in; b++) {
          for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
              out[((i * kw + j) * in + b) * o + a] = (float) (weight[((a * in + b) * kh + i) * kw + j] * s);
            }
          }
        }
      }
      return out;
    }

    /** Bias with the batch norm folded in: {@code (bias - mean) * gamma / sqrt(var + eps) + beta}. */
    public float[] foldedBias() {
      float[] out = new float[out()];
      for (int a = 0; a < out.length; a++) {
        double b = bias == null ? 0 : bias[a];
        out[a] = bn == null ? (float) b : (float) ((b - bn.mean()[a]) * scale(a) + bn.beta()[a]);
      }
      return out;
    }

    private double scale(int channel) {
      return bn == null ? 1 : bn.gamma()[channel] / Math.sqrt(bn.variance()[channel] + BN_EPSILON);
    }
  }

  public Conv require(String name) {
    Conv c = convs.get(name);
    if (c == null) {
      throw new IllegalArgumentException("SiamRPN weights lack '" + name + "'; have " + convs.keySet());
    }
    return c;
  }

  /**
   * Seeded random weights of sane magnitude for the given widths: activations stay around 1 on
   * 0..255 input, and the last layers are small so box deltas stay near 0. An untrained network:
   * tests and benchmarks only, it does not track.
   */
  public static SiamRpnWeights random(SiamRpnConfig config, long seed) {
    Random r = new Random(seed);
    Map<String, Conv> m = new LinkedHashMap<>();
    int[] w = config.backboneWidths();
    int[] k = {11, 5, 3, 3, 3};
    int in = 3;
    for (int i = 0; i < 5; i++) {
      // conv1 sees 0..255: scale it down so the rest of the network sees values near 1
      double gain = i == 0 ? 1 / 128.0 : 1;
      m.put(BACKBONE[i], conv(r, w[i], in, k[i], gain, true, true));
      in = w[i];
    }
    int[] outs = {2 * config.anchors(), 4 * config.anchors()};
    for (int b = 0; b < 2; b++) {
      String p = BRANCHES[b];
      m.put(p + ".conv_kernel.0", conv(r, config.hidden(), config.conv5(), 3, 1, false, true));
      m.put(p + ".conv_search.0", conv(r, config.hidden(), config.conv5(), 3, 1, false, true));
      // the correlation sums 3x3 (kernel side) products of hidden-width maps: divide that growth
      m.put(p + ".head.0", conv(r, config.hidden(), config.hidden(), 1, 0.1, false, true));
      m.put(p + ".head.3", conv(r, outs[b], config.hidden(), 1, 0.3, true, false));
    }
    return new SiamRpnWeights(m);
  }

  private static Conv conv(Random r, int out, int in, int k, double gain, boolean bias, boolean bn) {
    float[] w = new float[out * in * k * k];
    double std = gain / Math.sqrt(in * k * k);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * std);
    }
    float[] b = null;
    if (bias) {
      b = new float[out];
      for (int i = 0; i < out; i++) {
        b[i] = (float) (r.nextGaussian() * 0.1);
      }
    }
    BatchNorm norm = null;
    if (bn) {
      float[] gamma = new float[out];
      float[] beta = new float[out];
      float[] mean = new float[out];
      float[] var = new float[out];
      for (int i = 0; i < out; i++) {
        gamma[i] = (float) (0.5 + r.nextDouble());
        beta[i] = (float) (r.nextGaussian() * 0.1);
        mean[i] = (float) (r.nextGaussian() * 0.1);
        var[i] = (float) (0.5 + r.nextDouble());
      }
      norm = new BatchNorm(gamma, beta, mean, var);
    }
    return new Conv(new long[] {out, in, k, k}, w, b, norm);
  }
}
