package io.argus.models.onnx;

import io.argus.models.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor whose value is known at import time: an initializer (the weights) or the output of a
 * Constant node. Float tensors are data; integer tensors only ever serve as parameters (Reshape
 * shapes, Slice bounds), so they are kept as longs.
 *
 * @param dims shape in ONNX (row-major) order; empty for a scalar
 * @param floats the values of a float tensor, row-major; null for an integer tensor
 * @param longs the values of an integer tensor, row-major; null for a float tensor
 */
record ConstTensor(long[] dims, float[] floats, long[] longs) {

  ConstTensor {
    long n = Shapes.count(dims);
    int have = floats != null ? floats.length : longs.length;
    if (n != have) {
      throw new OnnxImportException("tensor of shape " + Arrays.toString(dims) + " holds " + have + " values, not " + n);
    }
  }

  static ConstTensor ofFloats(long[] dims, float[] values) {
    return new ConstTensor(dims, values, null);
  }

  static ConstTensor ofLongs(long[] dims, long[] values) {
    return new ConstTensor(dims, null, values);
  }

  boolean isFloat() {
    return floats != null;
  }

  int rank() {
    return dims.length;
  }

  /** Integer values, or whole-number float values, as longs (shape and index parameters). */
  long[] asLongs() {
    if (longs != null) {
      return longs;
    }
    long[] out = new long[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) floats[i];
    }
    return out;
  }

  /** The single value of a scalar or one-element tensor. */
  double scalar() {
    if (Shapes.count(dims) != 1) {
      throw new OnnxImportException("expected a single value, got a tensor of shape " + Arrays.toString(dims));
    }
    return floats != null ? floats[0] : longs[0];
  }

  ConstTensor reshape(long[] newDims) {
    return new ConstTensor(newDims, floats, longs);
  }

  /** Decodes a TensorProto held inside the model file (raw little-endian bytes or typed fields). */
  static ConstTensor decode(TensorProto t, String where) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new OnnxImportException(where + ": tensor '" + t.getName()
          + "' keeps its data in an external file; save the model with the weights inside the .onnx file");
    }
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    int n = Math.toIntExact(Shapes.count(dims));
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean hasRaw = !t.getRawData().isEmpty();
    switch (t.getDataType()) {
      case TensorProto.DataType.FLOAT_VALUE -> {
        float[] v = new float[n];
        if (hasRaw) {
          raw.asFloatBuffer().get(v);
        } else {
          for (int i = 0; i < n; i++) {
            v[i] = t.getFloatData(i);
          }
        }
        return ofFloats(dims, v);
      }
      case TensorProto.DataType.DOUBLE_VALUE -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) (hasRaw ? raw.getDouble(i * 8) : t.getDoubleData(i));
        }
        return ofFloats(dims, v);
      }
      case TensorProto.DataType.INT64_VALUE -> {
        long[] v = new long[n];
        if (hasRaw) {
          raw.asLongBuffer().get(v);
        } else {
          for (int i = 0; i < n; i++) {
            v[i] = t.getInt64Data(i);
          }
        }
        return ofLongs(dims, v);
      }
      case TensorProto.DataType.INT32_VALUE -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.getInt(i * 4) : t.getInt32Data(i);
        }
        return ofLongs(dims, v);
      }
      default -> throw new OnnxImportException(where + ": tensor '" + t.getName() + "' has data type "
          + TensorProto.DataType.forNumber(t.getDataType()) + "; only FLOAT, DOUBLE, INT64 and INT32 are supported");
    }
  }
}
