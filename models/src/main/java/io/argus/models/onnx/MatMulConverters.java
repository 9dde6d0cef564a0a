package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/** MatMul (numpy semantics, stacked) and Gemm (2-D, alpha, beta, transA, transB). */
final class MatMulConverters {

  private MatMulConverters() {}

  static Value matMul(Emitter e, Node n) {
    Value a = n.required(0, "A");
    Value b = n.required(1, "B");
    if (a.rank() < 2 || b.rank() < 2) {
      throw n.fail("1-D operands are not supported (shapes " + Shapes.str(a.itemShape()) + ", " + Shapes.str(b.itemShape()) + ")");
    }
    Batch batch = Batch.NONE;
    for (Value v : new Value[] {a, b}) {
      if (v.batch() == Batch.FOLDED) {
        throw n.fail("an operand has its batch folded into axis 0");
      }
      if (v.batch() == Batch.LEADING) {
        if (v.rank() < 3 || v.rank() != Math.max(a.rank(), b.rank())) {
          throw n.fail("a batched operand must be a stack of matrices of the output's rank, got "
              + Shapes.str(v.itemShape()));
        }
        batch = Batch.LEADING;
      }
    }
    Ops tf = e.tf;
    Operand<TFloat32> y;
    if (a.rank() == 2 && b.rank() == 2) {
      y = tf.linalg.matMul(e.onnx(a), e.onnx(b));
    } else {
      y = tf.train.batchMatMul(e.onnx(a), e.onnx(b), TFloat32.class);
    }
    return e.value(y, Layout.ONNX, batch);
  }

  /** Y = alpha * op(A) op(B) + beta * C, C broadcast to [M, N]. */
  static Value gemm(Emitter e, Node n) {
    Value a = n.required(0, "A");
    Value b = n.required(1, "B");
    Value c = n.input(2);
    float alpha = n.f("alpha", 1f);
    float beta = n.f("beta", 1f);
    boolean transA = n.i("transA", 0) != 0;
    boolean transB = n.i("transB", 0) != 0;
    if (n.opset() < 11 && c == null) {
      throw n.fail("input 2 (C) is required before opset 11");
    }
    if (a.rank() != 2 || b.rank() != 2) {
      throw n.fail("A and B must be matrices, got " + Shapes.str(a.itemShape()) + " and " + Shapes.str(b.itemShape()));
    }
    if (a.batch() == Batch.FOLDED || (a.batch() == Batch.LEADING && transA)) {
      throw n.fail("attribute 'transA' would move the batch axis of A");
    }
    if (b.batch() != Batch.NONE || (c != null && c.batch() != Batch.NONE)) {
      throw n.fail("B and C must not depend on the batched input");
    }
    Ops tf = e.tf;
    Operand<TFloat32> y = tf.linalg.matMul(e.onnx(a), e.onnx(b), MatMul.transposeA(transA), MatMul.transposeB(transB));
    if (alpha != 1f) {
      y = tf.math.mul(y, e.scalar(alpha));
    }
    if (c != null && beta != 0f) {
      Operand<TFloat32> bias = e.onnx(c);
      if (c.isConstant() && beta != 1f) {
        ConstTensor ct = c.constant();
        bias = e.constant(ct, "beta" + beta, () -> {
          float[] v = ct.floats().clone();
          for (int i = 0; i < v.length; i++) {
            v[i] *= beta;
          }
          return ConstTensor.ofFloats(ct.dims(), v);
        });
      } else if (beta != 1f) {
        bias = tf.math.mul(bias, e.scalar(beta));
      }
      y = tf.math.add(y, bias);
    }
    return e.value(y, Layout.ONNX, a.batch());
  }
}
