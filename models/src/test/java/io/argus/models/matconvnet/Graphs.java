package io.argus.models.matconvnet;

import io.argus.models.siamfc.FloatTensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Test helpers: feed placeholders, fetch one output as floats with its shape. */
public final class Graphs {

  private Graphs() {}

  public record Fetched(float[] values, long[] shape) {}

  public static Placeholder<TFloat32> input(Ops tf, String name, int h, int w, int c) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, c)));
  }

  public static Fetched run(Graph g, Operand<TFloat32> out, Map<Placeholder<TFloat32>, float[]> feeds,
      Map<Placeholder<TFloat32>, long[]> shapes) {
    Map<Placeholder<TFloat32>, TFloat32> tensors = new LinkedHashMap<>();
    try (Session s = new Session(g)) {
      feeds.forEach((p, v) -> tensors.put(p, FloatTensors.of(v, shapes.get(p))));
      Session.Runner r = s.runner();
      tensors.forEach(r::feed);
      try (Result result = r.fetch(out).run()) {
        Tensor t = result.get(0);
        return new Fetched(FloatTensors.read(t), t.shape().asArray());
      }
    } finally {
      tensors.values().forEach(Tensor::close);
    }
  }

  public static float[] random(Random rng, int n, float lo, float hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = lo + rng.nextFloat() * (hi - lo);
    }
    return a;
  }

  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  public static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
