package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Builds TensorFlow ops for the converters: constants (each weight once per graph, in whatever
 * layout its consumer needs, however often the model is applied), layout changes between the ONNX
 * axis order and NHWC, and {@link Value}s with their per-item shapes read from TensorFlow's static
 * shape inference.
 */
final class Emitter {

  final Ops tf;
  private final IdentityHashMap<ConstTensor, Map<String, Operand<TFloat32>>> constants;

  Emitter(Ops tf, IdentityHashMap<ConstTensor, Map<String, Operand<TFloat32>>> constants) {
    this.tf = tf;
    this.constants = constants;
  }

  /** An emitter whose ops are named after the ONNX node, so the TensorFlow graph reads like the ONNX one. */
  Emitter tfNamed(io.argus.models.onnx.proto.Onnx.NodeProto node) {
    String raw = node.getName().isEmpty() ? node.getOpType() : node.getName();
    String name = raw.replaceAll("[^A-Za-z0-9_.\\-]", "_").replaceAll("^[_\\-]+", "");
    if (name.isEmpty()) {
      name = node.getOpType();
    }
    return new Emitter(tf.withSubScope(name), constants);
  }

  /** A float constant in ONNX layout. */
  Operand<TFloat32> constant(ConstTensor c) {
    return constant(c, "onnx", () -> c);
  }

  /** A float constant derived from c (a weight in TensorFlow's layout), created once per graph. */
  Operand<TFloat32> constant(ConstTensor c, String key, Supplier<ConstTensor> derive) {
    return constants.computeIfAbsent(c, k -> new HashMap<>()).computeIfAbsent(key, k -> {
      ConstTensor d = derive.get();
      if (!d.isFloat()) {
        throw new OnnxImportException("integer tensor of shape " + Shapes.str(d.dims())
            + " used as data; integer tensors are only supported as shape and index parameters");
      }
      return tf.constant(Shape.of(d.dims()), DataBuffers.of(d.floats(), true, false));
    });
  }

  Operand<TFloat32> scalar(float v) {
    return tf.constant(v);
  }

  Operand<TInt64> longs(long... v) {
    return tf.constant(v);
  }

  Operand<TInt32> ints(int... v) {
    return tf.constant(v);
  }

  /** The value with its axes in ONNX order. */
  Operand<TFloat32> onnx(Value v) {
    if (v.isConstant()) {
      return constant(v.constant());
    }
    if (v.layout() == Layout.ONNX) {
      return v.tensor();
    }
    long[] s = v.itemShape();
    if (s[2] == 1 && s[3] == 1) {
      // N,1,1,C and N,C,1,1 share their memory order: a reshape, no data movement
      return tf.reshape(v.tensor(), longs(actualShape(v, s)));
    }
    return tf.linalg.transpose(v.tensor(), longs(Shapes.TO_NCHW));
  }

  /** A rank-4 value stored NHWC. */
  Operand<TFloat32> nhwc(Value v) {
    if (v.rank() != 4) {
      throw new OnnxImportException("expected a rank-4 (NCHW) tensor, got shape " + Shapes.str(v.itemShape()));
    }
    if (v.isConstant()) {
      ConstTensor c = v.constant();
      return constant(c, "nhwc", () -> ConstTensor.ofFloats(Shapes.nhwc(c.dims()),
          Shapes.transpose(c.floats(), c.dims(), new int[] {0, 2, 3, 1})));
    }
    if (v.layout() == Layout.NHWC) {
      return v.tensor();
    }
    long[] s = v.itemShape();
    if (s[2] == 1 && s[3] == 1) {
      return tf.reshape(v.tensor(), longs(actualShape(v, Shapes.nhwc(s))));
    }
    return tf.linalg.transpose(v.tensor(), longs(Shapes.TO_NHWC));
  }

  /**
   * An operand of rank at most 4 for a numpy-broadcast op against an NCHW value stored NHWC:
   * aligned to the right in ONNX order (leading ones), then its axes permuted like the feature map.
   */
  Operand<TFloat32> nhwcBroadcast(Value v) {
    if (v.rank() == 4) {
      return nhwc(v);
    }
    long[] padded = Shapes.leftPad(v.itemShape(), 4);
    if (Shapes.count(v.itemShape()) == 1 && v.batch() == Batch.NONE) {
      return onnx(v); // a single value broadcasts the same whatever the layout
    }
    if (v.isConstant()) {
      ConstTensor c = v.constant();
      return constant(c, "nhwc-broadcast", () -> ConstTensor.ofFloats(Shapes.nhwc(padded),
          Shapes.transpose(c.floats(), padded, new int[] {0, 2, 3, 1})));
    }
    if (v.batch() != Batch.NONE) {
      throw new OnnxImportException("a batched tensor of shape " + Shapes.str(v.itemShape())
          + " broadcast against a rank-4 tensor would mix its batch axis with feature axes");
    }
    Operand<TFloat32> r = tf.reshape(onnx(v), longs(padded));
    return tf.linalg.transpose(r, longs(Shapes.TO_NHWC));
  }

  /** A TensorFlow shape for a reshape: the item shape with -1 where the batch lives. */
  static long[] actualShape(Value v, long[] dims) {
    long[] s = dims.clone();
    if (v.batch() != Batch.NONE) {
      s[0] = -1;
    }
    return s;
  }

  /** Wraps a TensorFlow result, reading its per-item shape from static shape inference. */
  Value value(Operand<TFloat32> t, Layout layout, Batch batch) {
    Shape shape = t.shape();
    if (shape.isUnknown()) {
      throw new OnnxImportException("TensorFlow could not infer the rank of " + t.op().name());
    }
    long[] s = shape.asArray();
    if (layout == Layout.NHWC) {
      s = new long[] {s[0], s[3], s[1], s[2]};
    }
    if (batch == Batch.LEADING) {
      s[0] = 1;
    } else if (batch == Batch.FOLDED) {
      throw new IllegalStateException("a folded batch needs its item shape given explicitly");
    }
    for (long d : s) {
      if (d < 0) {
        throw new OnnxImportException("TensorFlow inferred a dynamic dimension " + Shapes.str(s) + " for "
            + t.op().name() + "; only per-item static shapes are supported");
      }
    }
    return new Value(t, null, layout, s, batch);
  }

  Value value(Operand<TFloat32> t, Layout layout, Batch batch, long[] itemShape) {
    return new Value(t, null, layout, itemShape, batch);
  }
}
