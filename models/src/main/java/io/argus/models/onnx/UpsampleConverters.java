package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The operators that enlarge feature maps (SiamMask's refine module): ConvTranspose, and Resize /
 * Upsample in PyTorch's nearest mode ({@code F.interpolate(mode='nearest')}, {@code F.upsample}),
 * computed NHWC.
 */
final class UpsampleConverters {

  private UpsampleConverters() {}

  /**
   * ConvTranspose with a constant weight [C_in, C_out, kh, kw], one group, no dilation:
   * TensorFlow's Conv2DBackpropInput (the gradient of a convolution is a transposed one; no
   * kernel flip) to the full output (in - 1) * stride + kernel + output_padding, then the pads
   * cropped away.
   */
  static Value convTranspose(Emitter e, Node n) {
    Value x = n.required(0, "X");
    Value w = n.required(1, "W");
    Value b = n.input(2);
    if (x.rank() != 4 || w.rank() != 4) {
      throw n.fail("only 2-D transposed convolutions (rank-4 input and weight) are supported");
    }
    if (!w.isConstant()) {
      throw n.fail("the weight must be a constant (an initializer)");
    }
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0");
    }
    long[] ws = w.itemShape();
    long cin = x.itemShape()[1];
    long cout = ws[1];
    long kh = ws[2];
    long kw = ws[3];
    if (ws[0] != cin) {
      throw n.fail("weight " + Shapes.str(ws) + " does not fit " + cin + " input channels (ONNX: [C_in, C_out, kh, kw])");
    }
    if (n.i("group", 1) != 1) {
      throw n.fail("attribute 'group' other than 1 is not supported");
    }
    long[] dilations = n.ints("dilations", new long[] {1, 1});
    if (dilations.length != 2 || dilations[0] != 1 || dilations[1] != 1) {
      throw n.fail("attribute 'dilations' other than [1, 1] is not supported");
    }
    if (n.has("output_shape")) {
      n.ints("output_shape", null);
      throw n.fail("attribute 'output_shape' is not supported; export with explicit 'pads' (PyTorch does)");
    }
    String autoPad = n.s("auto_pad", "NOTSET");
    if (!autoPad.equals("NOTSET")) {
      throw n.fail("attribute 'auto_pad'=" + autoPad + " is not supported (NOTSET with explicit 'pads')");
    }
    long[] kernelShape = n.ints("kernel_shape", new long[] {kh, kw});
    long[] strides = n.ints("strides", new long[] {1, 1});
    long[] pads = n.ints("pads", new long[] {0, 0, 0, 0});
    long[] outPad = n.ints("output_padding", new long[] {0, 0});
    if (kernelShape.length != 2 || kernelShape[0] != kh || kernelShape[1] != kw) {
      throw n.fail("attribute 'kernel_shape'=" + Shapes.str(kernelShape) + " disagrees with the weight " + Shapes.str(ws));
    }
    if (strides.length != 2 || pads.length != 4 || outPad.length != 2) {
      throw n.fail("attributes 'strides', 'pads', 'output_padding' must have 2, 4, 2 entries");
    }
    if (outPad[0] >= strides[0] || outPad[1] >= strides[1] || outPad[0] < 0 || outPad[1] < 0) {
      throw n.fail("attribute 'output_padding'=" + Shapes.str(outPad) + " must be non-negative and below the stride");
    }
    Ops tf = e.tf;
    long h = x.itemShape()[2];
    long wd = x.itemShape()[3];
    long fullH = (h - 1) * strides[0] + kh + outPad[0];
    long fullW = (wd - 1) * strides[1] + kw + outPad[1];
    ConstTensor wc = w.constant();
    Operand<TFloat32> filter = e.constant(wc, "conv-transpose", () -> ConstTensor.ofFloats(
        Shapes.permute(wc.dims(), new int[] {2, 3, 1, 0}), Shapes.transpose(wc.floats(), wc.dims(), new int[] {2, 3, 1, 0})));
    Operand<TFloat32> input = e.nhwc(x);
    Operand<TInt32> batch = tf.slice(tf.shape(input), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> sizes = tf.concat(List.of(batch, tf.constant(new int[] {(int) fullH, (int) fullW, (int) cout})),
        tf.constant(0));
    Operand<TFloat32> y = tf.nn.conv2dBackpropInput(sizes, filter, input, List.of(1L, strides[0], strides[1], 1L),
        "VALID");
    if (pads[0] != 0 || pads[1] != 0 || pads[2] != 0 || pads[3] != 0) {
      if (pads[0] + pads[2] >= fullH || pads[1] + pads[3] >= fullW || pads[0] < 0 || pads[1] < 0 || pads[2] < 0
          || pads[3] < 0) {
        throw n.fail("attribute 'pads'=" + Shapes.str(pads) + " leaves no output of the " + fullH + " x " + fullW
            + " transposed convolution");
      }
      y = tf.slice(y, tf.constant(new long[] {0, pads[0], pads[1], 0}),
          tf.constant(new long[] {-1, fullH - pads[0] - pads[2], fullW - pads[1] - pads[3], -1}));
    }
    if (b != null) {
      if (b.rank() != 1 || b.itemShape()[0] != cout || b.batch() != Batch.NONE) {
        throw n.fail("bias must be a vector of " + cout + " values, got " + Shapes.str(b.itemShape()));
      }
      y = tf.nn.biasAdd(y, e.onnx(b));
    }
    return e.value(y, Layout.NHWC, x.batch());
  }

  /**
   * Resize (opset 10+) in nearest mode with PyTorch's coordinates: coordinate_transformation_mode
   * 'asymmetric' and nearest_mode 'floor', i.e. source index floor(i * in / out), which is
   * TensorFlow's ResizeNearestNeighbor without align_corners and half-pixel centres. Output size
   * from constant 'sizes' or 'scales'; batch and channels must stay.
   */
  static Value resize(Emitter e, Node n) {
    Value x = n.required(0, "X");
    String mode = n.s("mode", "nearest");
    String coordinates = n.s("coordinate_transformation_mode", "half_pixel");
    String nearest = n.s("nearest_mode", "round_prefer_floor");
    n.f("cubic_coeff_a", -0.75f); // read: only used by cubic mode, refused below
    if (n.i("exclude_outside", 0) != 0) {
      throw n.fail("attribute 'exclude_outside'=1 is not supported");
    }
    n.f("extrapolation_value", 0f); // only used by tf_crop_and_resize, refused below
    if (n.i("antialias", 0) != 0) {
      throw n.fail("attribute 'antialias'=1 is not supported");
    }
    if (n.has("axes")) {
      n.ints("axes", null);
      throw n.fail("attribute 'axes' is not supported; give sizes or scales for all four axes");
    }
    n.s("keep_aspect_ratio_policy", "stretch");
    if (!mode.equals("nearest") || !coordinates.equals("asymmetric") || !nearest.equals("floor")) {
      throw n.fail("only mode 'nearest' with coordinate_transformation_mode 'asymmetric' and nearest_mode 'floor'"
          + " (PyTorch's F.interpolate / F.upsample mode='nearest') is supported, got mode '" + mode
          + "', coordinate_transformation_mode '" + coordinates + "', nearest_mode '" + nearest + "'");
    }
    ConstTensor sizes = null;
    ConstTensor scales = null;
    if (n.opset() < 11) {
      scales = n.constantInput(1, "scales");
    } else {
      Value s = n.input(2);
      Value z = n.input(3);
      if (z != null && Shapes.count(z.itemShape()) > 0) {
        sizes = n.constantInput(3, "sizes");
      } else if (s != null && Shapes.count(s.itemShape()) > 0) {
        scales = n.constantInput(2, "scales");
      } else {
        throw n.fail("needs constant 'scales' or 'sizes'");
      }
    }
    return nearestTo(e, n, x, sizes, scales);
  }

  /** Upsample (opsets 7 to 9, deprecated since 10): nearest mode, scales as attribute or input. */
  static Value upsample(Emitter e, Node n) {
    Value x = n.required(0, "X");
    String mode = n.s("mode", "nearest");
    if (!mode.equals("nearest")) {
      throw n.fail("only mode 'nearest' is supported, got '" + mode + "'");
    }
    float[] attr = n.floats("scales", null);
    ConstTensor scales = attr != null ? ConstTensor.ofFloats(new long[] {attr.length}, attr)
        : n.constantInput(1, "scales");
    return nearestTo(e, n, x, null, scales);
  }

  private static Value nearestTo(Emitter e, Node n, Value x, ConstTensor sizes, ConstTensor scales) {
    if (x.rank() != 4) {
      throw n.fail("only rank-4 (NCHW) inputs are supported, got " + Shapes.str(x.itemShape()));
    }
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0");
    }
    long[] in = x.itemShape();
    long[] out = new long[4];
    if (sizes != null) {
      out = sizes.asLongs();
    } else {
      float[] s = scales.isFloat() ? scales.floats() : null;
      if (s == null || s.length != 4) {
        throw n.fail("'scales' must hold 4 floats (N, C, H, W)");
      }
      for (int i = 0; i < 4; i++) {
        out[i] = (long) Math.floor(in[i] * (double) s[i]);
      }
    }
    if (out.length != 4 || out[0] != in[0] || out[1] != in[1] || out[2] < 1 || out[3] < 1) {
      throw n.fail("resizes " + Shapes.str(in) + " to " + Shapes.str(out) + "; only the spatial axes may change");
    }
    Operand<TFloat32> y = e.tf.image.resizeNearestNeighbor(e.nhwc(x), e.tf.constant(new int[] {(int) out[2], (int) out[3]}));
    return e.value(y, Layout.NHWC, x.batch());
  }
}
