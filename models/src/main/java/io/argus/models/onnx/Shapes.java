package io.argus.models.onnx;

import java.util.Arrays;

/** Small shape arithmetic shared by the converters. */
final class Shapes {

  /** ONNX NCHW axis -> position of that axis in an NHWC tensor. */
  static final int[] NCHW_TO_NHWC_AXIS = {0, 3, 1, 2};
  /** Transpose permutation taking an NCHW tensor to NHWC. */
  static final long[] TO_NHWC = {0, 2, 3, 1};
  /** Transpose permutation taking an NHWC tensor back to NCHW. */
  static final long[] TO_NCHW = {0, 3, 1, 2};

  private Shapes() {}

  static long count(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  static String str(long[] dims) {
    return Arrays.toString(dims);
  }

  /** Pads a shape with leading ones up to the given rank (numpy broadcasting alignment). */
  static long[] leftPad(long[] dims, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(dims, 0, out, rank - dims.length, dims.length);
    return out;
  }

  /** Permutes a rank-4 NCHW shape into NHWC order. */
  static long[] nhwc(long[] nchw) {
    return new long[] {nchw[0], nchw[2], nchw[3], nchw[1]};
  }

  /** Row-major transpose of a dense float array. */
  static float[] transpose(float[] data, long[] dims, int[] perm) {
    int rank = dims.length;
    long[] outDims = new long[rank];
    for (int i = 0; i < rank; i++) {
      outDims[i] = dims[perm[i]];
    }
    long[] inStrides = strides(dims);
    float[] out = new float[data.length];
    int[] idx = new int[rank];
    for (int o = 0; o < out.length; o++) {
      long src = 0;
      for (int i = 0; i < rank; i++) {
        src += idx[i] * inStrides[perm[i]];
      }
      out[o] = data[(int) src];
      for (int i = rank - 1; i >= 0; i--) {
        if (++idx[i] < outDims[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return out;
  }

  static long[] permute(long[] dims, int[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = dims[perm[i]];
    }
    return out;
  }

  static long[] strides(long[] dims) {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }
}
