package io.argus.models.matconvnet;

import io.argus.models.cfnet.CorrelationFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;

/**
 * Builds TensorFlow ops for the variables of a MatConvNet DagNN, layer by layer from the inputs
 * it is given, following MatConvNet's conventions (NHWC here, MATLAB's HWCN there):
 *
 * <ul>
 *   <li>{@code dagnn.Conv}: correlation (vl_nnconv does not flip filters), explicit zero padding
 *       [top bottom left right], output side floor((H + top + bottom - h) / stride) + 1; a filter
 *       with fewer input channels than its input is grouped (AlexNet): split into one Conv2D per
 *       group + concat, because TensorFlow's CPU kernels fail on fused grouped convolutions
 *       (STACK.md).
 *   <li>{@code dagnn.BatchNorm} in test mode (vl_nnbnorm with 'moments'): y = m (x - mu) / sigma + b,
 *       where the moments parameter holds [mu sigma] per channel and sigma already includes the
 *       training epsilon (sigma = sqrt(var + eps)), so no epsilon is added here.
 *   <li>{@code dagnn.ReLU} (with leak), {@code dagnn.Pooling} max (padding never wins: padded with
 *       -inf) or avg (without padding), output side floor((H + top + bottom - k) / stride) + 1.
 *   <li>SiamFC/CFNet blocks: {@code MulConst} (cosine window), {@code CorrFilter}
 *       ({@link CorrelationFilter}), {@code CropMargin}, {@code XCorr} (each item's template over
 *       its own search features, summed over channels, unscaled).
 * </ul>
 *
 * <p>Shapes are tracked in Java alongside the ops, so callers know every variable's size and
 * total stride without running the graph. Parameters become graph constants, each once however
 * many branches share it.
 */
public final class DagGraph {

  /**
   * A variable of the network: its op (B x height x width x channels) and the total stride from
   * the input it was computed from.
   */
  public record Var(Operand<TFloat32> value, int height, int width, int channels, int stride) {
    public List<Integer> shape() {
      return List.of(height, width, channels);
    }
  }

  /** The block types this builder understands. */
  public static final List<String> SUPPORTED = List.of("dagnn.Conv", "dagnn.BatchNorm", "dagnn.ReLU",
      "dagnn.Pooling", "MulConst", "CorrFilter", "CropMargin", "XCorr");

  private final Ops tf;
  private final DagNet net;
  private final Map<String, Var> vars = new HashMap<>();
  private final Set<String> inProgress = new HashSet<>();
  private final Map<String, Operand<TFloat32>> constants = new HashMap<>();

  public DagGraph(Ops tf, DagNet net) {
    this.tf = tf;
    this.net = net;
  }

  public DagNet net() {
    return net;
  }

  /** Binds a variable (a network input, or a cut point such as the template embedding). */
  public void bind(String var, Var value) {
    vars.put(var, value);
  }

  /** The variable, computing whatever layers it depends on (each once). */
  public Var get(String var) {
    Var v = vars.get(var);
    if (v != null) {
      return v;
    }
    DagLayer layer = net.producer(var);
    if (layer == null) {
      throw new IllegalArgumentException(net.source() + ": variable '" + var + "' is an input of the network that was"
          + " not given (given: " + vars.keySet() + ")");
    }
    if (!inProgress.add(var)) {
      throw new IllegalArgumentException(net.source() + ": the network has a cycle through '" + var + "'");
    }
    List<Var> inputs = new ArrayList<>();
    for (String in : layer.inputs()) {
      inputs.add(get(in));
    }
    if (layer.outputs().size() != 1) {
      throw new IllegalArgumentException(net.source() + ": layer " + layer + " has " + layer.outputs().size()
          + " outputs; only single-output layers are supported");
    }
    Var out = apply(layer, inputs);
    inProgress.remove(var);
    vars.put(var, out);
    return out;
  }

  private Var apply(DagLayer l, List<Var> in) {
    Ops s = tf.withSubScope(scopeName(l.name()));
    return switch (l.type()) {
      case "dagnn.Conv" -> conv(s, l, one(l, in));
      case "dagnn.BatchNorm" -> batchNorm(s, l, one(l, in));
      case "dagnn.ReLU" -> relu(s, l, one(l, in));
      case "dagnn.Pooling" -> pool(s, l, one(l, in));
      case "MulConst" -> mulConst(s, l, one(l, in));
      case "CorrFilter" -> corrFilter(s, l, one(l, in));
      case "CropMargin" -> cropMargin(s, l, one(l, in));
      case "XCorr" -> xcorr(s, l, in);
      default -> throw new IllegalArgumentException(net.source() + ": layer " + l + " is of a type this importer does"
          + " not know; supported: " + SUPPORTED);
    };
  }

  private Var one(DagLayer l, List<Var> in) {
    if (in.size() != 1) {
      throw new IllegalArgumentException(net.source() + ": layer " + l + " takes one input, got " + in.size());
    }
    return in.get(0);
  }

  /** MatConvNet's output side of a convolution or pooling window (floor, no ceil mode). */
  public static int outputSide(int in, int padBefore, int padAfter, int window, int stride) {
    return Math.floorDiv(in + padBefore + padAfter - window, stride) + 1;
  }

  private Var conv(Ops s, DagLayer l, Var x) {
    DagParam f = net.param(l, 0);
    int kh = f.dim(0);
    int kw = f.dim(1);
    int inPerGroup = f.dim(2);
    int out = f.dim(3);
    int[] pad = l.ints("pad", 4, 0);
    int[] stride = l.ints("stride", 2, 1);
    int[] dilate = l.ints("dilate", 2, 1);
    if (dilate[0] != 1 || dilate[1] != 1) {
      throw new IllegalArgumentException(net.source() + ": layer '" + l.name() + "' is dilated " + Arrays.toString(dilate)
          + "; dilated convolutions are not supported");
    }
    if (x.channels() % inPerGroup != 0 || out % (x.channels() / inPerGroup) != 0) {
      throw new IllegalArgumentException(net.source() + ": layer '" + l.name() + "' has filters " + Arrays.toString(f.dims())
          + " (h x w x in x out) for an input of " + x.channels() + " channels: the input channels are not a"
          + " multiple of the filter's, or the groups do not divide the output channels");
    }
    int groups = x.channels() / inPerGroup;
    int oh = outputSide(x.height(), pad[0], pad[1], kh, stride[0]);
    int ow = outputSide(x.width(), pad[2], pad[3], kw, stride[1]);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(net.source() + ": layer '" + l.name() + "' with a " + kh + "x" + kw
          + " filter does not fit its " + x.height() + "x" + x.width() + " input");
    }
    Operand<TFloat32> v = padded(s, x.value(), pad, 0f);
    Operand<TFloat32> w = constant(f, 4);
    List<Long> strides = List.of(1L, (long) stride[0], (long) stride[1], 1L);
    if (groups == 1) {
      v = s.nn.conv2d(v, w, strides, "VALID");
    } else {
      Split<TFloat32> xs = s.split(s.constant(3), v, (long) groups);
      Split<TFloat32> ws = s.split(s.constant(3), w, (long) groups);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        parts.add(s.nn.conv2d(xs.output().get(g), ws.output().get(g), strides, "VALID"));
      }
      v = s.concat(parts, s.constant(3));
    }
    boolean hasBias = l.number("hasBias", 1) != 0 && l.params().size() > 1;
    if (hasBias) {
      DagParam b = net.param(l, 1);
      if (b.size() != out) {
        throw new IllegalArgumentException(net.source() + ": bias '" + b.name() + "' of layer '" + l.name() + "' has "
            + b.size() + " values for " + out + " output channels");
      }
      v = s.nn.biasAdd(v, constant(b, 1));
    }
    return new Var(v, oh, ow, out, x.stride() * stride[0]);
  }

  private Var batchNorm(Ops s, DagLayer l, Var x) {
    DagParam m = net.param(l, 0);
    DagParam b = net.param(l, 1);
    DagParam moments = net.param(l, 2);
    int c = x.channels();
    if (m.size() != c || b.size() != c || moments.dim(0) != c || moments.size() != 2 * c) {
      throw new IllegalArgumentException(net.source() + ": batch norm '" + l.name() + "' has multipliers "
          + Arrays.toString(m.dims()) + ", biases " + Arrays.toString(b.dims()) + ", moments "
          + Arrays.toString(moments.dims()) + " for " + c + " channels (expected C, C and C x 2)");
    }
    float[] mu = moments.column(0);
    float[] sigma = moments.column(1);
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int k = 0; k < c; k++) {
      if (!(sigma[k] > 0)) {
        throw new IllegalArgumentException(net.source() + ": batch norm '" + l.name() + "' channel " + k
            + " has deviation " + sigma[k] + "; the moments' second column must be positive");
      }
      double g = (double) m.values()[k] / sigma[k];
      scale[k] = (float) g;
      shift[k] = (float) (b.values()[k] - g * mu[k]);
    }
    Operand<TFloat32> v = s.math.mul(x.value(), s.constant(Shape.of(c), DataBuffers.of(scale, true, false)));
    v = s.nn.biasAdd(v, s.constant(Shape.of(c), DataBuffers.of(shift, true, false)));
    return new Var(v, x.height(), x.width(), c, x.stride());
  }

  private Var relu(Ops s, DagLayer l, Var x) {
    double leak = l.number("leak", 0);
    Operand<TFloat32> v = leak == 0 ? s.nn.relu(x.value())
        : s.math.maximum(x.value(), s.math.mul(x.value(), s.constant((float) leak)));
    return new Var(v, x.height(), x.width(), x.channels(), x.stride());
  }

  private Var pool(Ops s, DagLayer l, Var x) {
    String method = l.text("method", "max");
    int[] size = l.ints("poolSize", 2, 1);
    int[] stride = l.ints("stride", 2, 1);
    int[] pad = l.ints("pad", 4, 0);
    if (pad[0] >= size[0] || pad[1] >= size[0] || pad[2] >= size[1] || pad[3] >= size[1]) {
      throw new IllegalArgumentException(net.source() + ": pooling '" + l.name() + "' pads " + Arrays.toString(pad)
          + " with a " + size[0] + "x" + size[1] + " window; MatConvNet needs padding smaller than the window");
    }
    int oh = outputSide(x.height(), pad[0], pad[1], size[0], stride[0]);
    int ow = outputSide(x.width(), pad[2], pad[3], size[1], stride[1]);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(net.source() + ": pooling '" + l.name() + "' window " + size[0] + "x" + size[1]
          + " does not fit its " + x.height() + "x" + x.width() + " input");
    }
    Operand<TFloat32> v;
    switch (method) {
      case "max" -> {
        v = padded(s, x.value(), pad, Float.NEGATIVE_INFINITY);
        v = s.nn.maxPool(v, s.constant(new int[] {1, size[0], size[1], 1}),
            s.constant(new int[] {1, stride[0], stride[1], 1}), "VALID");
      }
      case "avg" -> {
        if (Arrays.stream(pad).anyMatch(p -> p != 0)) {
          throw new IllegalArgumentException(net.source() + ": average pooling '" + l.name() + "' with padding "
              + Arrays.toString(pad) + " is not supported (only unpadded average pooling is)");
        }
        v = s.nn.avgPool(x.value(), List.of(1L, (long) size[0], (long) size[1], 1L),
            List.of(1L, (long) stride[0], (long) stride[1], 1L), "VALID");
      }
      default -> throw new IllegalArgumentException(net.source() + ": pooling '" + l.name() + "' uses method '"
          + method + "'; supported: max, avg");
    }
    return new Var(v, oh, ow, x.channels(), x.stride() * stride[0]);
  }

  private Var mulConst(Ops s, DagLayer l, Var x) {
    DagParam h = net.param(l, 0);
    if (h.dim(0) != x.height() || h.dim(1) != x.width() || h.size() != x.height() * x.width()) {
      throw new IllegalArgumentException(net.source() + ": MulConst '" + l.name() + "' has a constant of "
          + Arrays.toString(h.dims()) + " for " + x.height() + "x" + x.width() + " features");
    }
    Operand<TFloat32> window = s.constant(Shape.of(x.height(), x.width(), 1), DataBuffers.of(h.rowMajor(2), true, false));
    return new Var(s.math.mul(x.value(), window), x.height(), x.width(), x.channels(), x.stride());
  }

  private Var corrFilter(Ops s, DagLayer l, Var x) {
    if (l.number("bias", 0) != 0) {
      throw new IllegalArgumentException(net.source() + ": CorrFilter '" + l.name() + "' has bias = true"
          + " (corr_filter_bias); only the filter without bias is supported");
    }
    DagParam y = net.param(l, 0);
    if (y.dim(0) != x.height() || y.dim(1) != x.width() || y.size() != x.height() * x.width()) {
      throw new IllegalArgumentException(net.source() + ": CorrFilter '" + l.name() + "' has a target of "
          + Arrays.toString(y.dims()) + " for " + x.height() + "x" + x.width() + " features");
    }
    double lambda = l.numbers("lambda")[0];
    Operand<TFloat32> w = CorrelationFilter.solve(s, x.value(), x.height(), x.width(), y.rowMajor(2), lambda);
    return new Var(w, x.height(), x.width(), x.channels(), x.stride());
  }

  private Var cropMargin(Ops s, DagLayer l, Var x) {
    int m = (int) l.numbers("margin")[0];
    int h = x.height() - 2 * m;
    int w = x.width() - 2 * m;
    if (m < 0 || h < 1 || w < 1) {
      throw new IllegalArgumentException(net.source() + ": CropMargin '" + l.name() + "' margin " + m
          + " leaves nothing of " + x.height() + "x" + x.width() + " features");
    }
    Operand<TFloat32> v = s.slice(x.value(), s.constant(new int[] {0, m, m, 0}), s.constant(new int[] {-1, h, w, -1}));
    return new Var(v, h, w, x.channels(), x.stride());
  }

  /**
   * XCorr: for each batch item b, response(b, u, v) = sum over i, j, c of z(b, i, j, c) x(b, u + i, v + j, c)
   * (cross_corr.m: vl_nnconv with one group per item). Done as one depthwise convolution over the
   * B*C channels of the search features laid side by side, then a sum over each item's C channels.
   */
  private Var xcorr(Ops s, DagLayer l, List<Var> in) {
    if (in.size() != 2) {
      throw new IllegalArgumentException(net.source() + ": XCorr '" + l.name() + "' takes (template, search), got "
          + in.size() + " inputs" + (in.size() == 3 ? " (XCorr with bias is not supported)" : ""));
    }
    Var z = in.get(0);
    Var x = in.get(1);
    if (z.channels() != x.channels() || z.height() > x.height() || z.width() > x.width()) {
      throw new IllegalArgumentException(net.source() + ": XCorr '" + l.name() + "' correlates a template "
          + z.shape() + " with search features " + x.shape() + ": channels must match and the template be smaller");
    }
    int c = x.channels();
    int rh = x.height() - z.height() + 1;
    int rw = x.width() - z.width() + 1;
    Operand<TFloat32> xs = s.reshape(s.linalg.transpose(x.value(), s.constant(new int[] {1, 2, 0, 3})),
        s.constant(new int[] {1, x.height(), x.width(), -1}));
    Operand<TFloat32> zs = s.reshape(s.linalg.transpose(z.value(), s.constant(new int[] {1, 2, 0, 3})),
        s.constant(new int[] {z.height(), z.width(), -1, 1}));
    Operand<TFloat32> corr = s.nn.depthwiseConv2dNative(xs, zs, List.of(1L, 1L, 1L, 1L), "VALID");
    Operand<TFloat32> perItem = s.sum(s.reshape(corr, s.constant(new int[] {rh, rw, -1, c})), s.constant(3));
    Operand<TFloat32> v = s.expandDims(s.linalg.transpose(perItem, s.constant(new int[] {2, 0, 1})), s.constant(3));
    return new Var(v, rh, rw, 1, x.stride());
  }

  private Operand<TFloat32> padded(Ops s, Operand<TFloat32> x, int[] pad, float value) {
    if (Arrays.stream(pad).allMatch(p -> p == 0)) {
      return x;
    }
    int[][] p = {{0, 0}, {pad[0], pad[1]}, {pad[2], pad[3]}, {0, 0}};
    return s.pad(x, s.constant(p), s.constant(value));
  }

  /** A parameter as a constant in row-major order over its first {@code rank} MATLAB axes. */
  private Operand<TFloat32> constant(DagParam p, int rank) {
    return constants.computeIfAbsent(p.name() + "/" + rank, k -> {
      long[] shape = new long[rank];
      for (int i = 0; i < rank; i++) {
        shape[i] = p.dim(i);
      }
      if (rank == 1) {
        shape[0] = p.size();
        return tf.withName(scopeName("param_" + p.name())).constant(Shape.of(shape),
            DataBuffers.of(p.values(), true, false));
      }
      return tf.withName(scopeName("param_" + p.name())).constant(Shape.of(shape),
          DataBuffers.of(p.rowMajor(rank), true, false));
    });
  }

  private static String scopeName(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "l" + s : s;
  }
}
