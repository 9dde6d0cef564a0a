package io.argus.models.siamrpn;

/**
 * pysot's siamrpn_alex_dwxcorr forward pass in plain loops, one item, NCHW, batch norm applied as
 * PyTorch's eval-mode BatchNorm2d (not folded): the independent computation the TensorFlow graphs
 * are checked against.
 */
public final class SiamRpnReference {

  /** A C x H x W map. */
  public record Map3(int c, int h, int w, double[] v) {
    double at(int ch, int y, int x) {
      return v[(ch * h + y) * w + x];
    }

    /** H x W x C order, as the TensorFlow graphs return it. */
    public float[] hwc() {
      float[] out = new float[v.length];
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[(y * w + x) * c + ch] = (float) at(ch, y, x);
          }
        }
      }
      return out;
    }
  }

  private SiamRpnReference() {}

  /** RGB HWC crop (side x side x 3 at offset) to the BGR CHW map pysot's network sees. */
  public static Map3 bgr(float[] rgb, int offset, int side) {
    double[] v = new double[3 * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int ch = 0; ch < 3; ch++) {
          v[((2 - ch) * side + y) * side + x] = rgb[offset + (y * side + x) * 3 + ch];
        }
      }
    }
    return new Map3(3, side, side, v);
  }

  public static Map3 backbone(Map3 x, SiamRpnWeights w) {
    x = maxPool(conv(x, w.require(SiamRpnWeights.BACKBONE[0]), 2));
    x = relu(x);
    x = relu(maxPool(conv(x, w.require(SiamRpnWeights.BACKBONE[1]), 1)));
    x = relu(conv(x, w.require(SiamRpnWeights.BACKBONE[2]), 1));
    x = relu(conv(x, w.require(SiamRpnWeights.BACKBONE[3]), 1));
    return conv(x, w.require(SiamRpnWeights.BACKBONE[4]), 1);
  }

  /** One DepthwiseXCorr branch ("rpn_head.cls" or "rpn_head.loc"). */
  public static Map3 head(Map3 zf, Map3 xf, SiamRpnWeights w, String branch) {
    Map3 k = relu(conv(zf, w.require(branch + ".conv_kernel.0"), 1));
    Map3 s = relu(conv(xf, w.require(branch + ".conv_search.0"), 1));
    int ho = s.h() - k.h() + 1;
    int wo = s.w() - k.w() + 1;
    double[] f = new double[s.c() * ho * wo];
    for (int ch = 0; ch < s.c(); ch++) {
      for (int y = 0; y < ho; y++) {
        for (int x = 0; x < wo; x++) {
          double acc = 0;
          for (int i = 0; i < k.h(); i++) {
            for (int j = 0; j < k.w(); j++) {
              acc += s.at(ch, y + i, x + j) * k.at(ch, i, j);
            }
          }
          f[(ch * ho + y) * wo + x] = acc;
        }
      }
    }
    Map3 h = relu(conv(new Map3(s.c(), ho, wo, f), w.require(branch + ".head.0"), 1));
    return conv(h, w.require(branch + ".head.3"), 1);
  }

  /** Convolution (VALID), bias, then the batch norm that follows it in pysot. */
  static Map3 conv(Map3 x, SiamRpnWeights.Conv c, int stride) {
    int out = (int) c.shape()[0];
    int in = (int) c.shape()[1];
    int kh = (int) c.shape()[2];
    int kw = (int) c.shape()[3];
    int ho = (x.h() - kh) / stride + 1;
    int wo = (x.w() - kw) / stride + 1;
    double[] v = new double[out * ho * wo];
    for (int o = 0; o < out; o++) {
      for (int y = 0; y < ho; y++) {
        for (int xx = 0; xx < wo; xx++) {
          double acc = c.bias() == null ? 0 : c.bias()[o];
          for (int i = 0; i < in; i++) {
            for (int a = 0; a < kh; a++) {
              int row = ((i * x.h()) + y * stride + a) * x.w() + xx * stride;
              int wrow = ((o * in + i) * kh + a) * kw;
              for (int b = 0; b < kw; b++) {
                acc += x.v()[row + b] * c.weight()[wrow + b];
              }
            }
          }
          if (c.bn() != null) {
            SiamRpnWeights.BatchNorm bn = c.bn();
            acc = (acc - bn.mean()[o]) / Math.sqrt(bn.variance()[o] + SiamRpnWeights.BN_EPSILON) * bn.gamma()[o]
                + bn.beta()[o];
          }
          v[(o * ho + y) * wo + xx] = acc;
        }
      }
    }
    return new Map3(out, ho, wo, v);
  }

  static Map3 maxPool(Map3 x) {
    int ho = (x.h() - 3) / 2 + 1;
    int wo = (x.w() - 3) / 2 + 1;
    double[] v = new double[x.c() * ho * wo];
    for (int ch = 0; ch < x.c(); ch++) {
      for (int y = 0; y < ho; y++) {
        for (int xx = 0; xx < wo; xx++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
              m = Math.max(m, x.at(ch, 2 * y + a, 2 * xx + b));
            }
          }
          v[(ch * ho + y) * wo + xx] = m;
        }
      }
    }
    return new Map3(x.c(), ho, wo, v);
  }

  static Map3 relu(Map3 x) {
    double[] v = x.v().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.max(0, v[i]);
    }
    return new Map3(x.c(), x.h(), x.w(), v);
  }
}
