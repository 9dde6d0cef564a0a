package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Conv, MaxPool, BatchNormalization and GlobalAveragePool, computed NHWC.
 *
 * <p>Constant weights are permuted to TensorFlow's filter layout at import time. Groups map to
 * three kernels: one group is Conv2D; one group per input channel is DepthwiseConv2dNative (the
 * ONNX output channel g*m + k is TensorFlow's depthwise output channel c*m + k, same order); any
 * other grouping is split into per-group Conv2Ds and concatenated, because TensorFlow's CPU
 * grouped Conv2D fails once Grappler fuses it with a bias. Dilation is applied by spreading the
 * kernel with zeros, which is exact and needs no kernel support for dilation (the CPU depthwise
 * kernel has none). Padding is an explicit Pad before a VALID convolution: TensorFlow's own
 * "EXPLICIT" padding passed these unit graphs but aborted the JVM (native abort, exit 134) on
 * the real NanoTrack graphs once Grappler had fused them.
 *
 * <p>A weight computed from batched data (a per-target correlation kernel, see
 * {@link Batch#FOLDED}) convolves each item with its own kernels: the items are laid side by side
 * on the channel axis and correlated with one depthwise convolution.
 */
final class ConvConverters {

  private ConvConverters() {}

  static Value conv(Emitter e, Node n) {
    Value x = n.required(0, "X");
    Value w = n.required(1, "W");
    Value b = n.input(2);
    String autoPad = n.s("auto_pad", "NOTSET");
    long group = n.i("group", 1);
    if (x.rank() != 4 || w.rank() != 4) {
      throw n.fail("only 2-D convolutions (rank-4 input and weight) are supported; input " + Shapes.str(x.itemShape())
          + ", weight " + Shapes.str(w.itemShape()));
    }
    long cin = x.itemShape()[1];
    long cout = w.itemShape()[0];
    long kh = w.itemShape()[2];
    long kw = w.itemShape()[3];
    long[] kernelShape = n.ints("kernel_shape", new long[] {kh, kw});
    long[] strides = n.ints("strides", new long[] {1, 1});
    long[] dilations = n.ints("dilations", new long[] {1, 1});
    long[] pads = n.ints("pads", new long[] {0, 0, 0, 0});
    if (!Arrays.equals(kernelShape, new long[] {kh, kw})) {
      throw n.fail("attribute 'kernel_shape'=" + Shapes.str(kernelShape) + " disagrees with the weight shape "
          + Shapes.str(w.itemShape()));
    }
    if (strides.length != 2 || dilations.length != 2 || pads.length != 4) {
      throw n.fail("attributes 'strides', 'dilations', 'pads' must have 2, 2, 4 entries for a 2-D convolution");
    }
    switch (autoPad) {
      case "NOTSET" -> { }
      case "VALID" -> pads = new long[] {0, 0, 0, 0};
      default -> throw n.fail("attribute 'auto_pad'=" + autoPad + " is not supported (NOTSET with explicit 'pads', or VALID)");
    }
    if (group < 1 || cin % group != 0 || cout % group != 0 || w.itemShape()[1] != cin / group) {
      throw n.fail("attribute 'group'=" + group + " does not fit input channels " + cin + " and weight "
          + Shapes.str(w.itemShape()));
    }
    if (b != null && (b.rank() != 1 || b.itemShape()[0] != cout || b.batch() != Batch.NONE)) {
      throw n.fail("bias must be a vector of " + cout + " values, got " + Shapes.str(b.itemShape()));
    }
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0; only a weight may be a per-item (folded) tensor");
    }
    Conv2d c = new Conv2d(strides, dilations, pads, group);
    Operand<TFloat32> input = e.nhwc(x);
    Operand<TFloat32> y;
    if (w.batch() == Batch.FOLDED) {
      y = perItemDepthwise(e, n, x, w, input, c);
    } else if (w.batch() == Batch.LEADING) {
      throw n.fail("the weight depends on the batched input but is not a per-item kernel stack");
    } else if (w.isConstant()) {
      y = constantWeights(e, input, w.constant(), c);
    } else {
      y = computedWeights(e, n, input, e.onnx(w), c);
    }
    if (b != null) {
      y = e.tf.nn.biasAdd(y, e.onnx(b));
    }
    return e.value(y, Layout.NHWC, x.batch());
  }

  /** The convolution geometry, ONNX conventions: pads = [top, left, bottom, right]. */
  private record Conv2d(long[] strides, long[] dilations, long[] pads, long group) {
    List<Long> tfStrides() {
      return List.of(1L, strides[0], strides[1], 1L);
    }

    boolean padded() {
      return pads[0] != 0 || pads[1] != 0 || pads[2] != 0 || pads[3] != 0;
    }

    long[][] nhwcPadding() {
      return new long[][] {{0, 0}, {pads[0], pads[2]}, {pads[1], pads[3]}, {0, 0}};
    }
  }

  private static Operand<TFloat32> pad(Emitter e, Operand<TFloat32> x, Conv2d c) {
    if (!c.padded()) {
      return x;
    }
    return e.tf.pad(x, e.tf.constant(c.nhwcPadding()), e.scalar(0f));
  }

  private static Operand<TFloat32> constantWeights(Emitter e, Operand<TFloat32> x, ConstTensor w, Conv2d c) {
    Ops tf = e.tf;
    ConstTensor dw = dilate(w, c.dilations);
    long cout = w.dims()[0];
    long cinPerGroup = w.dims()[1];
    long cin = cinPerGroup * c.group;
    Operand<TFloat32> xp = pad(e, x, c);
    if (c.group == 1) {
      Operand<TFloat32> f = e.constant(w, "conv2d" + Arrays.toString(c.dilations),
          () -> transposed(dw, new int[] {2, 3, 1, 0}));
      return tf.nn.conv2d(xp, f, c.tfStrides(), "VALID");
    }
    if (c.group == cin && cinPerGroup == 1) {
      long mult = cout / cin;
      Operand<TFloat32> f = e.constant(w, "depthwise" + Arrays.toString(c.dilations), () -> {
        // [C*m, 1, kh, kw] -> [kh, kw, C*m] -> [kh, kw, C, m]
        ConstTensor t = transposed(dw.reshape(new long[] {cout, dw.dims()[2], dw.dims()[3]}), new int[] {1, 2, 0});
        return t.reshape(new long[] {dw.dims()[2], dw.dims()[3], cin, mult});
      });
      return tf.nn.depthwiseConv2dNative(xp, f, c.tfStrides(), "VALID");
    }
    long coutPerGroup = cout / c.group;
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int g = 0; g < c.group; g++) {
      final int gg = g;
      Operand<TFloat32> xg = tf.stridedSlice(xp, tf.constant(new long[] {0, 0, 0, g * cinPerGroup}),
          tf.constant(new long[] {0, 0, 0, (g + 1) * cinPerGroup}), tf.constant(new long[] {1, 1, 1, 1}),
          org.tensorflow.op.core.StridedSlice.beginMask(7L), org.tensorflow.op.core.StridedSlice.endMask(7L));
      Operand<TFloat32> f = e.constant(w, "group" + g + Arrays.toString(c.dilations), () -> {
        int per = (int) (coutPerGroup * cinPerGroup * dw.dims()[2] * dw.dims()[3]);
        float[] slice = Arrays.copyOfRange(dw.floats(), gg * per, (gg + 1) * per);
        ConstTensor gw = ConstTensor.ofFloats(new long[] {coutPerGroup, cinPerGroup, dw.dims()[2], dw.dims()[3]}, slice);
        return transposed(gw, new int[] {2, 3, 1, 0});
      });
      parts.add(tf.nn.conv2d(xg, f, c.tfStrides(), "VALID"));
    }
    return tf.concat(parts, tf.constant(3));
  }

  /** A weight computed at run time from constants: permuted in the graph; plain convolutions only. */
  private static Operand<TFloat32> computedWeights(Emitter e, Node n, Operand<TFloat32> x, Operand<TFloat32> w, Conv2d c) {
    if (c.group != 1) {
      throw n.fail("a computed (non-constant) weight with attribute 'group'=" + c.group + " is not supported");
    }
    Operand<TFloat32> f = e.tf.linalg.transpose(w, e.longs(2, 3, 1, 0));
    return e.tf.nn.conv2d(pad(e, x, c), f, c.tfStrides(), "VALID",
        org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, c.dilations[0], c.dilations[1], 1L)));
  }

  /**
   * Per-item depthwise correlation: item b's channel k is correlated with kernel b*C + k. The
   * items go side by side on the channel axis ([1, H, W, B*C]), the kernels become one depthwise
   * filter [kh, kw, B*C, 1], and the result is unstacked back to [B, H', W', C].
   */
  private static Operand<TFloat32> perItemDepthwise(Emitter e, Node n, Value x, Value w, Operand<TFloat32> input, Conv2d c) {
    long cin = x.itemShape()[1];
    long[] ws = w.itemShape();
    if (x.batch() != Batch.LEADING) {
      throw n.fail("per-item (batch-folded) kernels need a batched input");
    }
    if (!(c.group == cin && ws[0] == cin && ws[1] == 1)) {
      throw n.fail("per-item (batch-folded) kernels are supported for depthwise correlation only (group = channels = "
          + "kernels), got group " + c.group + ", input channels " + cin + ", weight " + Shapes.str(ws));
    }
    if (c.dilations[0] != 1 || c.dilations[1] != 1) {
      throw n.fail("attribute 'dilations' other than 1 is not supported with per-item (batch-folded) kernels");
    }
    Ops tf = e.tf;
    long kh = ws[2];
    long kw = ws[3];
    Operand<TFloat32> xp = pad(e, input, c);
    long h = x.itemShape()[2] + c.pads[0] + c.pads[2];
    long wd = x.itemShape()[3] + c.pads[1] + c.pads[3];
    Operand<TFloat32> side = tf.reshape(tf.linalg.transpose(xp, e.longs(1, 2, 0, 3)), e.longs(1, h, wd, -1));
    Operand<TFloat32> kernels = tf.reshape(
        tf.linalg.transpose(tf.reshape(e.onnx(w), e.longs(-1, kh, kw)), e.longs(1, 2, 0)), e.longs(kh, kw, -1, 1));
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(side, kernels, c.tfStrides(), "VALID");
    long ho = (h - kh) / c.strides[0] + 1;
    long wo = (wd - kw) / c.strides[1] + 1;
    return tf.linalg.transpose(tf.reshape(y, e.longs(ho, wo, -1, cin)), e.longs(2, 0, 1, 3));
  }

  /** Spreads a [O, I, kh, kw] kernel with zeros so that a plain convolution computes the dilated one. */
  static ConstTensor dilate(ConstTensor w, long[] dilations) {
    if (dilations[0] == 1 && dilations[1] == 1) {
      return w;
    }
    long[] d = w.dims();
    int kh = (int) d[2];
    int kw = (int) d[3];
    int dh = (int) dilations[0];
    int dw = (int) dilations[1];
    int eh = (kh - 1) * dh + 1;
    int ew = (kw - 1) * dw + 1;
    int planes = (int) (d[0] * d[1]);
    float[] out = new float[planes * eh * ew];
    for (int p = 0; p < planes; p++) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          out[(p * eh + i * dh) * ew + j * dw] = w.floats()[(p * kh + i) * kw + j];
        }
      }
    }
    return ConstTensor.ofFloats(new long[] {d[0], d[1], eh, ew}, out);
  }

  private static ConstTensor transposed(ConstTensor t, int[] perm) {
    return ConstTensor.ofFloats(Shapes.permute(t.dims(), perm), Shapes.transpose(t.floats(), t.dims(), perm));
  }

  /**
   * MaxPool as PyTorch's MaxPool2d exports it: kernel_shape, strides, pads (padding never wins a
   * maximum, so it pads with -infinity), ceil_mode 0, no dilation, one output (no indices).
   */
  static Value maxPool(Emitter e, Node n) {
    Value x = n.required(0, "X");
    if (x.rank() != 4) {
      throw n.fail("only 2-D pooling (rank-4 input) is supported, got " + Shapes.str(x.itemShape()));
    }
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0");
    }
    if (n.outputCount() != 1) {
      throw n.fail("the Indices output is not supported");
    }
    long[] kernel = n.ints("kernel_shape", null);
    if (kernel == null || kernel.length != 2) {
      throw n.fail("attribute 'kernel_shape' must hold 2 values for a 2-D pool");
    }
    long[] strides = n.ints("strides", new long[] {1, 1});
    long[] pads = n.ints("pads", new long[] {0, 0, 0, 0});
    long[] dilations = n.ints("dilations", new long[] {1, 1});
    String autoPad = n.s("auto_pad", "NOTSET");
    if (n.i("ceil_mode", 0) != 0) {
      throw n.fail("attribute 'ceil_mode'=1 is not supported (PyTorch's default ceil_mode=False exports 0)");
    }
    if (n.i("storage_order", 0) != 0) {
      throw n.fail("attribute 'storage_order'=1 is not supported");
    }
    if (strides.length != 2 || pads.length != 4 || dilations.length != 2) {
      throw n.fail("attributes 'strides', 'pads', 'dilations' must have 2, 4, 2 entries for a 2-D pool");
    }
    if (dilations[0] != 1 || dilations[1] != 1) {
      throw n.fail("attribute 'dilations' other than 1 is not supported");
    }
    switch (autoPad) {
      case "NOTSET" -> { }
      case "VALID" -> pads = new long[] {0, 0, 0, 0};
      default -> throw n.fail("attribute 'auto_pad'=" + autoPad + " is not supported (NOTSET with explicit 'pads', or VALID)");
    }
    Operand<TFloat32> in = e.nhwc(x);
    if (pads[0] != 0 || pads[1] != 0 || pads[2] != 0 || pads[3] != 0) {
      in = e.tf.pad(in, e.tf.constant(new long[][] {{0, 0}, {pads[0], pads[2]}, {pads[1], pads[3]}, {0, 0}}),
          e.scalar(Float.NEGATIVE_INFINITY));
    }
    Operand<TFloat32> y = e.tf.nn.maxPool(in, e.ints(1, (int) kernel[0], (int) kernel[1], 1),
        e.ints(1, (int) strides[0], (int) strides[1], 1), "VALID");
    return e.value(y, Layout.NHWC, x.batch());
  }

  /**
   * BatchNormalization in inference form (what an export with batch norm left unfused gives):
   * y = (x - mean) * scale / sqrt(var + epsilon) + B, folded at import time into one multiply
   * and one add per channel. Training mode (several outputs, training_mode 1) is refused.
   */
  static Value batchNormalization(Emitter e, Node n) {
    Value x = n.required(0, "X");
    ConstTensor scale = n.constantInput(1, "scale");
    ConstTensor bias = n.constantInput(2, "B");
    ConstTensor mean = n.constantInput(3, "input_mean");
    ConstTensor var = n.constantInput(4, "input_var");
    float epsilon = n.f("epsilon", 1e-5f);
    n.f("momentum", 0.9f); // a training parameter: no effect on inference
    if (n.opset() < 9 && n.i("spatial", 1) != 1) {
      throw n.fail("attribute 'spatial'=0 is not supported");
    }
    if (n.i("training_mode", 0) != 0 || n.outputCount() != 1) {
      throw n.fail("training mode (running statistics as outputs) is not supported; export in eval mode");
    }
    if (x.rank() < 2 || x.batch() == Batch.FOLDED) {
      throw n.fail("input must be batched N x C x ..., got " + Shapes.str(x.itemShape()));
    }
    int c = (int) x.itemShape()[1];
    for (ConstTensor t : new ConstTensor[] {scale, bias, mean, var}) {
      if (!t.isFloat() || Shapes.count(t.dims()) != c) {
        throw n.fail("scale, B, mean and var must be float vectors of " + c + " values (the channels)");
      }
    }
    float[] k = new float[c];
    float[] b = new float[c];
    for (int i = 0; i < c; i++) {
      double s = scale.floats()[i] / Math.sqrt(var.floats()[i] + (double) epsilon);
      k[i] = (float) s;
      b[i] = (float) (bias.floats()[i] - mean.floats()[i] * s);
    }
    // channels last in NHWC, or rank 2 (N x C): a vector broadcasts along the channel axis
    if (x.rank() == 4) {
      Operand<TFloat32> y = e.tf.math.add(e.tf.math.mul(e.nhwc(x), e.tf.constant(k)), e.tf.constant(b));
      return e.value(y, Layout.NHWC, x.batch());
    }
    if (x.rank() == 2) {
      Operand<TFloat32> y = e.tf.math.add(e.tf.math.mul(e.onnx(x), e.tf.constant(k)), e.tf.constant(b));
      return e.value(y, Layout.ONNX, x.batch());
    }
    throw n.fail("only rank-2 and rank-4 inputs are supported, got " + Shapes.str(x.itemShape()));
  }

  static Value globalAveragePool(Emitter e, Node n) {
    Value x = n.required(0, "X");
    if (x.rank() != 4) {
      throw n.fail("only rank-4 (NCHW) inputs are supported, got " + Shapes.str(x.itemShape()));
    }
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0");
    }
    Operand<TFloat32> y = e.tf.math.mean(e.nhwc(x), e.ints(1, 2), Mean.keepDims(true));
    return e.value(y, Layout.NHWC, x.batch());
  }
}
