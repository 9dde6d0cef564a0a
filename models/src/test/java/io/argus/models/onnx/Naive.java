package io.argus.models.onnx;

import io.argus.models.onnx.TestGraphs.Array;

/** Reference computations with plain loops, straight from the ONNX operator definitions. */
final class Naive {

  private Naive() {}

  /** ONNX Conv, NCHW: pads = [top, left, bottom, right]. */
  static Array conv(Array x, Array w, float[] bias, int group, int[] strides, int[] dilations, int[] pads) {
    int n = (int) x.shape()[0];
    int cin = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    int wd = (int) x.shape()[3];
    int cout = (int) w.shape()[0];
    int cpg = (int) w.shape()[1];
    int kh = (int) w.shape()[2];
    int kw = (int) w.shape()[3];
    int ho = (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1;
    int wo = (wd + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1;
    int opg = cout / group;
    float[] out = new float[n * cout * ho * wo];
    int o = 0;
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < cout; oc++) {
        int g = oc / opg;
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            double acc = bias == null ? 0 : bias[oc];
            for (int ic = 0; ic < cpg; ic++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int y = oy * strides[0] - pads[0] + i * dilations[0];
                  int xx = ox * strides[1] - pads[1] + j * dilations[1];
                  if (y < 0 || y >= h || xx < 0 || xx >= wd) {
                    continue;
                  }
                  acc += x.at(b, g * cpg + ic, y, xx) * w.at(oc, ic, i, j);
                }
              }
            }
            out[o++] = (float) acc;
          }
        }
      }
    }
    return new Array(new long[] {n, cout, ho, wo}, out);
  }

  /** Per-item depthwise correlation: item b's channel c with kernel k[b, c]. */
  static Array depthwiseXcorr(Array x, Array k, int pad) {
    int n = (int) x.shape()[0];
    int c = (int) x.shape()[1];
    int h = (int) x.shape()[2];
    int w = (int) x.shape()[3];
    int kh = (int) k.shape()[2];
    int kw = (int) k.shape()[3];
    int ho = h + 2 * pad - kh + 1;
    int wo = w + 2 * pad - kw + 1;
    float[] out = new float[n * c * ho * wo];
    int o = 0;
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            double acc = 0;
            for (int i = 0; i < kh; i++) {
              for (int j = 0; j < kw; j++) {
                int y = oy - pad + i;
                int xx = ox - pad + j;
                if (y >= 0 && y < h && xx >= 0 && xx < w) {
                  acc += x.at(b, ch, y, xx) * k.at(b, ch, i, j);
                }
              }
            }
            out[o++] = (float) acc;
          }
        }
      }
    }
    return new Array(new long[] {n, c, ho, wo}, out);
  }

  static float hardSigmoid(float x, float alpha, float beta) {
    return Math.max(0f, Math.min(1f, alpha * x + beta));
  }

  static float hardSwish(float x) {
    return x * hardSigmoid(x, 1f / 6f, 0.5f);
  }

  static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }
}
