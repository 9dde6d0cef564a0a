package io.argus.models.matconvnet;

import java.util.Arrays;

/**
 * One parameter of a MatConvNet network ({@code net.params(i)}): its MATLAB dimensions and its
 * values in MATLAB's column-major order, exactly as stored in the MAT file.
 *
 * <p>MatConvNet lays filters out as height x width x in x out (and images as height x width x
 * channels), which is TensorFlow's HWIO / HWC axis order; only the storage order differs:
 * {@link #rowMajor(int)} gives the same axes in TensorFlow's row-major order.
 *
 * @param name parameter name, shared by both branches of a Siamese network
 * @param dims MATLAB dimensions (trailing singleton dimensions may be missing, as MATLAB drops them)
 * @param values column-major values, {@code prod(dims)} of them
 */
public record DagParam(String name, int[] dims, float[] values) {

  public DagParam {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("parameter '" + name + "' of dimensions " + Arrays.toString(dims)
          + " needs " + n + " values, got " + values.length);
    }
  }

  /** Number of values. */
  public int size() {
    return values.length;
  }

  /** Dimension k, 1 beyond the stored ones (MATLAB's implicit trailing singletons). */
  public int dim(int k) {
    return k < dims.length ? dims[k] : 1;
  }

  /** The value at a 0-based MATLAB index (i, j, k, ...), read column-major. */
  public float at(int... index) {
    int linear = 0;
    int stride = 1;
    for (int k = 0; k < index.length; k++) {
      if (index[k] < 0 || index[k] >= dim(k)) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + name + " "
            + Arrays.toString(dims));
      }
      linear += index[k] * stride;
      stride *= dim(k);
    }
    return values[linear];
  }

  /**
   * The values reordered row-major over the first {@code rank} dimensions (same axes): for a
   * h x w x in x out filter, TensorFlow's HWIO layout; for an h x w map, row by row.
   */
  public float[] rowMajor(int rank) {
    int[] d = new int[rank];
    for (int k = 0; k < rank; k++) {
      d[k] = dim(k);
    }
    for (int k = rank; k < dims.length; k++) {
      if (dims[k] != 1) {
        throw new IllegalArgumentException("parameter '" + name + "' has dimensions " + Arrays.toString(dims)
            + ", more than the " + rank + " expected");
      }
    }
    float[] out = new float[values.length];
    int[] idx = new int[rank];
    for (int r = 0; r < out.length; r++) {
      // r walks row-major (last axis fastest); c is the same element's column-major position
      int c = 0;
      int stride = 1;
      for (int k = 0; k < rank; k++) {
        c += idx[k] * stride;
        stride *= d[k];
      }
      out[r] = values[c];
      for (int k = rank - 1; k >= 0; k--) {
        if (++idx[k] < d[k]) {
          break;
        }
        idx[k] = 0;
      }
    }
    return out;
  }

  /** Column k of a matrix (e.g. the means or the deviations of batch-norm moments). */
  public float[] column(int k) {
    int rows = dim(0);
    if (k >= size() / Math.max(rows, 1)) {
      throw new IllegalArgumentException("parameter '" + name + "' " + Arrays.toString(dims) + " has no column " + k);
    }
    return Arrays.copyOfRange(values, k * rows, (k + 1) * rows);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DagParam p && name.equals(p.name) && Arrays.equals(dims, p.dims)
        && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return "DagParam[" + name + " " + Arrays.toString(dims) + "]";
  }
}
