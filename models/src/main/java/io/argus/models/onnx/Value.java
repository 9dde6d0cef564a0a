package io.argus.models.onnx;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One ONNX value as rebuilt in TensorFlow.
 *
 * <p>Two things distinguish it from a plain tensor. {@link Layout}: a rank-4 feature map may be
 * held NHWC (what TensorFlow's CPU convolutions want) while the ONNX graph still addresses it as
 * NCHW; converters remap axes instead of transposing back and forth. {@link Batch}: the ONNX
 * graph was traced at batch 1, so {@code itemShape} is always the shape the graph declares for
 * one item, and the batch says where the real batch dimension B lives.
 *
 * @param tensor the TensorFlow tensor; null for a constant not yet needed as a tensor
 * @param constant the value, when known at import time
 * @param layout how the tensor's axes are stored
 * @param itemShape ONNX-order shape for one item (batch 1), what the ONNX graph declares
 * @param batch where the batch lives
 */
record Value(Operand<TFloat32> tensor, ConstTensor constant, Layout layout, long[] itemShape, Batch batch) {

  enum Layout {
    /** Axes in the order the ONNX graph uses them. */
    ONNX,
    /** A rank-4 NCHW value stored N,H,W,C. */
    NHWC
  }

  enum Batch {
    /** No batch: a weight or a value computed from weights only. */
    NONE,
    /** Axis 0 is the batch: actual shape [B, itemShape[1..]] (itemShape[0] is 1). */
    LEADING,
    /**
     * The batch was folded into axis 0, batch-major: actual shape [B * itemShape[0], itemShape[1..]].
     * This is what a traced {@code view(batch * channels, ...)} becomes, e.g. per-target
     * correlation kernels; only a convolution's weight input may consume it.
     */
    FOLDED
  }

  static Value constant(ConstTensor c) {
    return new Value(null, c, Layout.ONNX, c.dims(), Batch.NONE);
  }

  int rank() {
    return itemShape.length;
  }

  boolean isConstant() {
    return constant != null;
  }
}
