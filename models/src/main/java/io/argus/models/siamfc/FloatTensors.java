package io.argus.models.siamfc;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copies between Java float arrays and TFloat32 tensors (row-major). The caller closes the tensor. */
public final class FloatTensors {

  private FloatTensors() {}

  public static TFloat32 of(float[] values, long... shape) {
    Shape s = Shape.of(shape);
    if (s.size() != values.length) {
      throw new IllegalArgumentException("shape " + s + " needs " + s.size() + " floats, got " + values.length);
    }
    return TFloat32.tensorOf(s, DataBuffers.of(values, true, false));
  }

  public static float[] read(Tensor tensor) {
    TFloat32 t = (TFloat32) tensor;
    float[] out = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  public static long[] shape(Tensor tensor) {
    return tensor.shape().asArray();
  }
}
