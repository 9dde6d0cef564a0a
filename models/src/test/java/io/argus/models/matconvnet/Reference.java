package io.argus.models.matconvnet;

/**
 * Plain-loop computations of MatConvNet's layers on one item (feature maps height x width x
 * channels, row-major HWC), written from MatConvNet's definitions and independent of the graph
 * builder: the yardstick for the importer's tests.
 */
public final class Reference {

  private Reference() {}

  /** A feature map, values at (y, x, c) = v[(y * w + x) * c + ch]. */
  public record Map3(int h, int w, int c, float[] v) {
    public Map3(int h, int w, int c) {
      this(h, w, c, new float[h * w * c]);
    }

    public float at(int y, int x, int ch) {
      return v[(y * w + x) * c + ch];
    }

    public void set(int y, int x, int ch, float value) {
      v[(y * w + x) * c + ch] = value;
    }

    /** Item b of a batch B x h x w x c. */
    public static Map3 item(float[] batch, int b, int h, int w, int c) {
      float[] v = new float[h * w * c];
      System.arraycopy(batch, b * v.length, v, 0, v.length);
      return new Map3(h, w, c, v);
    }
  }

  /** vl_nnconv: correlation, zero padding [top bottom left right], floor, groups from the filter depth. */
  public static Map3 conv(Map3 x, DagParam f, DagParam bias, int[] pad, int[] stride) {
    int kh = f.dim(0);
    int kw = f.dim(1);
    int inPer = f.dim(2);
    int out = f.dim(3);
    int groups = x.c() / inPer;
    int outPer = out / groups;
    int oh = (x.h() + pad[0] + pad[1] - kh) / stride[0] + 1;
    int ow = (x.w() + pad[2] + pad[3] - kw) / stride[1] + 1;
    Map3 y = new Map3(oh, ow, out);
    for (int o = 0; o < out; o++) {
      int g = o / outPer;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double s = bias == null ? 0 : bias.values()[o];
          for (int i = 0; i < kh; i++) {
            int yy = oy * stride[0] + i - pad[0];
            if (yy < 0 || yy >= x.h()) {
              continue;
            }
            for (int j = 0; j < kw; j++) {
              int xx = ox * stride[1] + j - pad[2];
              if (xx < 0 || xx >= x.w()) {
                continue;
              }
              for (int k = 0; k < inPer; k++) {
                s += (double) x.at(yy, xx, g * inPer + k) * f.at(i, j, k, o);
              }
            }
          }
          y.set(oy, ox, o, (float) s);
        }
      }
    }
    return y;
  }

  /** vl_nnbnorm with given moments [mu sigma]: y = m (x - mu) / sigma + b. */
  public static Map3 batchNorm(Map3 x, DagParam m, DagParam b, DagParam moments) {
    Map3 y = new Map3(x.h(), x.w(), x.c());
    for (int i = 0; i < x.h(); i++) {
      for (int j = 0; j < x.w(); j++) {
        for (int k = 0; k < x.c(); k++) {
          double mu = moments.at(k, 0);
          double sigma = moments.at(k, 1);
          y.set(i, j, k, (float) (m.values()[k] * (x.at(i, j, k) - mu) / sigma + b.values()[k]));
        }
      }
    }
    return y;
  }

  public static Map3 relu(Map3 x, double leak) {
    Map3 y = new Map3(x.h(), x.w(), x.c());
    for (int i = 0; i < x.v().length; i++) {
      y.v()[i] = x.v()[i] > 0 ? x.v()[i] : (float) (leak * x.v()[i]);
    }
    return y;
  }

  /** vl_nnpool max: padded cells never win, output side floor((H + pads - k) / stride) + 1. */
  public static Map3 maxPool(Map3 x, int[] size, int[] pad, int[] stride) {
    int oh = (x.h() + pad[0] + pad[1] - size[0]) / stride[0] + 1;
    int ow = (x.w() + pad[2] + pad[3] - size[1]) / stride[1] + 1;
    Map3 y = new Map3(oh, ow, x.c());
    for (int k = 0; k < x.c(); k++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int i = 0; i < size[0]; i++) {
            for (int j = 0; j < size[1]; j++) {
              int yy = oy * stride[0] + i - pad[0];
              int xx = ox * stride[1] + j - pad[2];
              if (yy >= 0 && yy < x.h() && xx >= 0 && xx < x.w()) {
                m = Math.max(m, x.at(yy, xx, k));
              }
            }
          }
          y.set(oy, ox, k, m);
        }
      }
    }
    return y;
  }

  public static Map3 mulConst(Map3 x, DagParam h) {
    Map3 y = new Map3(x.h(), x.w(), x.c());
    for (int i = 0; i < x.h(); i++) {
      for (int j = 0; j < x.w(); j++) {
        for (int k = 0; k < x.c(); k++) {
          y.set(i, j, k, x.at(i, j, k) * h.at(i, j));
        }
      }
    }
    return y;
  }

  public static Map3 crop(Map3 x, int m) {
    Map3 y = new Map3(x.h() - 2 * m, x.w() - 2 * m, x.c());
    for (int i = 0; i < y.h(); i++) {
      for (int j = 0; j < y.w(); j++) {
        for (int k = 0; k < x.c(); k++) {
          y.set(i, j, k, x.at(i + m, j + m, k));
        }
      }
    }
    return y;
  }

  /** cross_corr.m: r(u, v) = sum over i, j, c of z(i, j, c) x(u + i, v + j, c). */
  public static Map3 xcorr(Map3 z, Map3 x) {
    Map3 r = new Map3(x.h() - z.h() + 1, x.w() - z.w() + 1, 1);
    for (int u = 0; u < r.h(); u++) {
      for (int v = 0; v < r.w(); v++) {
        double s = 0;
        for (int i = 0; i < z.h(); i++) {
          for (int j = 0; j < z.w(); j++) {
            for (int k = 0; k < z.c(); k++) {
              s += (double) z.at(i, j, k) * x.at(u + i, v + j, k);
            }
          }
        }
        r.set(u, v, 0, (float) s);
      }
    }
    return r;
  }

  /**
   * The correlation filter by its definition, in the spatial domain: the ridge regression
   * w = argmin 1/(2n) ||sum_c w_c (*) x_c - y||^2 + lambda/2 ||w||^2 with circular
   * cross-correlation (w (*) x)(t) = sum_s w(s) x(s + t), solved through its normal equations
   * (A^T A / n + lambda I) w = A^T y / n by Gaussian elimination. No Fourier transform anywhere.
   *
   * @param y the desired response, y[row * w + col]
   */
  public static Map3 correlationFilter(Map3 x, float[] y, double lambda) {
    int h = x.h();
    int w = x.w();
    int c = x.c();
    int n = h * w;
    int unknowns = n * c;
    double[][] a = new double[n][unknowns];
    for (int ty = 0; ty < h; ty++) {
      for (int tx = 0; tx < w; tx++) {
        for (int sy = 0; sy < h; sy++) {
          for (int sx = 0; sx < w; sx++) {
            for (int k = 0; k < c; k++) {
              a[ty * w + tx][(sy * w + sx) * c + k] = x.at((sy + ty) % h, (sx + tx) % w, k);
            }
          }
        }
      }
    }
    double[][] m = new double[unknowns][unknowns + 1];
    for (int i = 0; i < unknowns; i++) {
      for (int j = 0; j < unknowns; j++) {
        double s = 0;
        for (int t = 0; t < n; t++) {
          s += a[t][i] * a[t][j];
        }
        m[i][j] = s / n + (i == j ? lambda : 0);
      }
      double s = 0;
      for (int t = 0; t < n; t++) {
        s += a[t][i] * y[t];
      }
      m[i][unknowns] = s / n;
    }
    double[] sol = solve(m);
    Map3 out = new Map3(h, w, c);
    for (int i = 0; i < unknowns; i++) {
      out.v()[i] = (float) sol[i];
    }
    return out;
  }

  /** Gaussian elimination with partial pivoting on an augmented matrix [M | b]. */
  public static double[] solve(double[][] m) {
    int n = m.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        if (f != 0) {
          for (int k = col; k <= n; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int k = r + 1; k < n; k++) {
        s -= m[r][k] * x[k];
      }
      x[r] = s / m[r][r];
    }
    return x;
  }
}
