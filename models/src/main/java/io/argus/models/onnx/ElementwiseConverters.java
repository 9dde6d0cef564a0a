package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Element-wise operators: numpy broadcasting for Add, Sub, Mul, Div, and the activations. They
 * keep the layout of their feature-map operand; a broadcast operand is permuted to match.
 */
final class ElementwiseConverters {

  private ElementwiseConverters() {}

  static Value add(Emitter e, Node n) {
    return ShapeConverters.allIntegerConstants(n) ? ShapeConverters.integerArithmetic(n, Long::sum)
        : binary(e, n, e.tf.math::add);
  }

  static Value sub(Emitter e, Node n) {
    return ShapeConverters.allIntegerConstants(n) ? ShapeConverters.integerArithmetic(n, (a, b) -> a - b)
        : binary(e, n, e.tf.math::sub);
  }

  static Value mul(Emitter e, Node n) {
    return ShapeConverters.allIntegerConstants(n) ? ShapeConverters.integerArithmetic(n, (a, b) -> a * b)
        : binary(e, n, e.tf.math::mul);
  }

  static Value div(Emitter e, Node n) {
    return ShapeConverters.allIntegerConstants(n) ? ShapeConverters.integerArithmetic(n, (a, b) -> a / b)
        : binary(e, n, e.tf.math::div);
  }

  private static Value binary(Emitter e, Node n, BinaryOperator<Operand<TFloat32>> op) {
    Value a = n.required(0, "A");
    Value b = n.required(1, "B");
    if (n.has("broadcast") || n.has("axis")) {
      throw n.fail("legacy attributes 'broadcast'/'axis' (opset < 7) are not supported");
    }
    int rank = Math.max(a.rank(), b.rank());
    Batch batch = Batch.NONE;
    for (Value v : new Value[] {a, b}) {
      if (v.batch() == Batch.FOLDED) {
        throw n.fail("an operand has its batch folded into axis 0; element-wise ops need the batch on its own axis");
      }
      if (v.batch() == Batch.LEADING) {
        if (v.rank() != rank) {
          throw n.fail("a batched operand of shape " + Shapes.str(v.itemShape()) + " would broadcast its batch axis "
              + "against a feature axis of the other operand");
        }
        batch = Batch.LEADING;
      }
    }
    boolean nhwc = rank == 4 && (a.layout() == Layout.NHWC || b.layout() == Layout.NHWC);
    if (nhwc) {
      return e.value(op.apply(e.nhwcBroadcast(a), e.nhwcBroadcast(b)), Layout.NHWC, batch);
    }
    return e.value(op.apply(e.onnx(a), e.onnx(b)), Layout.ONNX, batch);
  }

  private static Value unary(Emitter e, Node n, UnaryOperator<Operand<TFloat32>> op) {
    Value x = n.required(0, "X");
    Operand<TFloat32> in = x.isConstant() ? e.onnx(x) : x.tensor();
    Operand<TFloat32> y = op.apply(in);
    if (x.batch() == Batch.FOLDED) {
      return e.value(y, x.layout(), x.batch(), x.itemShape());
    }
    return e.value(y, x.layout(), x.batch());
  }

  static Value relu(Emitter e, Node n) {
    return unary(e, n, e.tf.nn::relu);
  }

  static Value sigmoid(Emitter e, Node n) {
    return unary(e, n, e.tf.math::sigmoid);
  }

  static Value exp(Emitter e, Node n) {
    return unary(e, n, e.tf.math::exp);
  }

  static Value identity(Emitter e, Node n) {
    return n.required(0, "input");
  }

  /** y = max(0, min(1, alpha * x + beta)); defaults alpha 0.2, beta 0.5. */
  static Value hardSigmoid(Emitter e, Node n) {
    float alpha = n.f("alpha", 0.2f);
    float beta = n.f("beta", 0.5f);
    Ops tf = e.tf;
    return unary(e, n, x -> tf.math.maximum(e.scalar(0f),
        tf.math.minimum(e.scalar(1f), tf.math.add(tf.math.mul(x, e.scalar(alpha)), e.scalar(beta)))));
  }

  /** y = x * max(0, min(1, x / 6 + 1/2)) = x * relu6(x + 3) / 6. */
  static Value hardSwish(Emitter e, Node n) {
    Ops tf = e.tf;
    return unary(e, n, x -> tf.math.mul(x,
        tf.math.mul(tf.nn.relu6(tf.math.add(x, e.scalar(3f))), e.scalar(1f / 6f))));
  }

  /**
   * Clip: bounds are attributes min/max up to opset 10 and optional inputs 1, 2 from opset 11.
   * [0, 6] becomes Relu6 and [0, inf) Relu, which Grappler fuses into the preceding convolution.
   */
  static Value clip(Emitter e, Node n) {
    Ops tf = e.tf;
    Value x = n.required(0, "input");
    Operand<TFloat32> lo = null;
    Operand<TFloat32> hi = null;
    Double loValue = null;
    Double hiValue = null;
    if (n.opset() < 11) {
      loValue = (double) n.f("min", -Float.MAX_VALUE);
      hiValue = (double) n.f("max", Float.MAX_VALUE);
    } else {
      for (int i = 1; i <= 2; i++) {
        Value bound = n.input(i);
        if (bound == null) {
          continue;
        }
        if (bound.isConstant()) {
          double v = bound.constant().scalar();
          if (i == 1) {
            loValue = v;
          } else {
            hiValue = v;
          }
        } else if (Shapes.count(bound.itemShape()) == 1 && bound.batch() == Batch.NONE) {
          if (i == 1) {
            lo = bound.tensor();
          } else {
            hi = bound.tensor();
          }
        } else {
          throw n.fail("input " + i + " (" + (i == 1 ? "min" : "max") + ") must be a scalar");
        }
      }
    }
    final Operand<TFloat32> loT = lo != null ? lo : (loValue != null ? e.scalar(loValue.floatValue()) : null);
    final Operand<TFloat32> hiT = hi != null ? hi : (hiValue != null ? e.scalar(hiValue.floatValue()) : null);
    boolean zeroLow = lo == null && loValue != null && loValue == 0.0;
    boolean noHigh = hi == null && (hiValue == null || hiValue >= Float.MAX_VALUE);
    if (zeroLow && hi == null && hiValue != null && hiValue == 6.0) {
      return unary(e, n, tf.nn::relu6);
    }
    if (zeroLow && noHigh) {
      return unary(e, n, tf.nn::relu);
    }
    return unary(e, n, in -> {
      Operand<TFloat32> y = in;
      if (loT != null) {
        y = tf.math.maximum(y, loT);
      }
      if (hiT != null) {
        y = tf.math.minimum(y, hiT);
      }
      return y;
    });
  }
}
