package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * Reshape, Transpose, Slice, Concat and Constant, and the shape arithmetic a traced
 * {@code view(...)} leaves behind when the exporter keeps it (Shape, Gather, Unsqueeze, Concat and
 * Mul/Add/Sub/Div of integers): all computed at import time from the per-item shapes, batch 1.
 *
 * <p>Reshape carries the batch rewrite. The graph was traced at batch 1, so a target shape
 * [1, ...] means "one item" and becomes [B, ...]; any other leading size folds the batch into axis
 * 0 (what a traced {@code view(batch * channels, ...)} is), and the value is marked
 * {@link Batch#FOLDED} for the convolution that uses it as per-item kernels.
 */
final class ShapeConverters {

  private ShapeConverters() {}

  static Value reshape(Emitter e, Node n) {
    Value x = n.required(0, "data");
    long[] target;
    if (n.opset() < 5) {
      target = n.ints("shape", null);
      if (target == null) {
        throw n.fail("attribute 'shape' is missing");
      }
    } else {
      ConstTensor s = n.constantInput(1, "shape");
      if (s.isFloat() || s.rank() != 1) {
        throw n.fail("input 1 (shape) must be a 1-D integer tensor");
      }
      target = s.longs().clone();
    }
    boolean allowZero = n.i("allowzero", 0) != 0;
    long[] item = x.itemShape();
    long[] t = resolve(n, item, target, allowZero);

    if (x.isConstant()) {
      return Value.constant(x.constant().reshape(t));
    }
    Batch batch = switch (x.batch()) {
      case NONE -> Batch.NONE;
      case LEADING, FOLDED -> t.length > 0 && t[0] == 1 ? Batch.LEADING : Batch.FOLDED;
    };
    if (batch == Batch.FOLDED && t.length == 0) {
      throw n.fail("reshapes a batched tensor to a scalar");
    }
    if (x.layout() == Layout.NHWC) {
      if (Arrays.equals(t, item)) {
        return x; // the traced graph re-states the shape (e.g. view(1, C, H, W)): nothing to move
      }
      if (!(item[2] == 1 && item[3] == 1)) {
        return finish(e, e.onnx(x), x, t, batch);
      }
      // N,1,1,C holds its values in NCHW order already
      return finish(e, x.tensor(), x, t, batch);
    }
    return finish(e, x.tensor(), x, t, batch);
  }

  private static Value finish(Emitter e, Operand<TFloat32> data, Value x, long[] t, Batch batch) {
    long[] shape = t.clone();
    if (batch != Batch.NONE) {
      shape[0] = -1;
    }
    Operand<TFloat32> y = e.tf.reshape(data, e.longs(shape));
    return batch == Batch.FOLDED ? e.value(y, Layout.ONNX, batch, t) : e.value(y, Layout.ONNX, batch);
  }

  /** ONNX Reshape semantics: 0 copies the input dimension (unless allowzero), one -1 is inferred. */
  static long[] resolve(Node n, long[] in, long[] target, boolean allowZero) {
    long[] t = target.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < t.length; i++) {
      if (t[i] == 0 && !allowZero) {
        if (i >= in.length) {
          throw n.fail("shape " + Shapes.str(target) + " copies dimension " + i + " that input " + Shapes.str(in) + " lacks");
        }
        t[i] = in[i];
      }
      if (t[i] == -1) {
        if (infer >= 0) {
          throw n.fail("shape " + Shapes.str(target) + " has more than one -1");
        }
        infer = i;
      } else if (t[i] < 0) {
        throw n.fail("shape " + Shapes.str(target) + " has a negative dimension");
      } else {
        known *= t[i];
      }
    }
    long total = Shapes.count(in);
    if (infer >= 0) {
      if (known == 0 || total % known != 0) {
        throw n.fail("cannot reshape " + Shapes.str(in) + " to " + Shapes.str(target));
      }
      t[infer] = total / known;
    } else if (known != total) {
      throw n.fail("cannot reshape " + Shapes.str(in) + " (" + total + " values) to " + Shapes.str(target));
    }
    return t;
  }

  static Value transpose(Emitter e, Node n) {
    Value x = n.required(0, "data");
    int rank = x.rank();
    long[] perm = n.ints("perm", null);
    if (perm == null) {
      perm = new long[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    if (perm.length != rank) {
      throw n.fail("attribute 'perm'=" + Shapes.str(perm) + " does not match rank " + rank);
    }
    int[] p = new int[rank];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      if (perm[i] < 0 || perm[i] >= rank || seen[(int) perm[i]]) {
        throw n.fail("attribute 'perm'=" + Shapes.str(perm) + " is not a permutation");
      }
      seen[(int) perm[i]] = true;
      p[i] = (int) perm[i];
    }
    if (x.isConstant()) {
      ConstTensor c = x.constant();
      if (!c.isFloat()) {
        throw n.fail("transposing an integer tensor is not supported");
      }
      return Value.constant(ConstTensor.ofFloats(Shapes.permute(c.dims(), p), Shapes.transpose(c.floats(), c.dims(), p)));
    }
    if (x.batch() == Batch.FOLDED || (x.batch() == Batch.LEADING && p[0] != 0)) {
      throw n.fail("attribute 'perm'=" + Shapes.str(perm) + " moves the batch axis");
    }
    // Stored NHWC: compose with the NHWC -> NCHW permutation, one transpose instead of two
    long[] stored = new long[rank];
    for (int i = 0; i < rank; i++) {
      stored[i] = x.layout() == Layout.NHWC ? Shapes.TO_NCHW[p[i]] : p[i];
    }
    boolean identity = true;
    for (int i = 0; i < rank; i++) {
      identity &= stored[i] == i;
    }
    Operand<TFloat32> y = identity ? x.tensor() : e.tf.linalg.transpose(x.tensor(), e.longs(stored));
    return e.value(y, Layout.ONNX, x.batch());
  }

  /** Slice: starts/ends/axes/steps as attributes up to opset 9, as constant inputs from opset 10. */
  static Value slice(Emitter e, Node n) {
    Value x = n.required(0, "data");
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("input has its batch folded into axis 0");
    }
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (n.opset() < 10) {
      starts = n.ints("starts", null);
      ends = n.ints("ends", null);
      axes = n.ints("axes", null);
      steps = null;
      if (starts == null || ends == null) {
        throw n.fail("attributes 'starts' and 'ends' are required");
      }
    } else {
      starts = n.constantInput(1, "starts").asLongs();
      ends = n.constantInput(2, "ends").asLongs();
      axes = n.input(3) == null ? null : n.constantInput(3, "axes").asLongs();
      steps = n.input(4) == null ? null : n.constantInput(4, "steps").asLongs();
    }
    int rank = x.rank();
    int k = starts.length;
    if (ends.length != k || (axes != null && axes.length != k) || (steps != null && steps.length != k)) {
      throw n.fail("starts, ends, axes and steps must have the same length");
    }
    long[] begin = new long[rank];
    long[] end = new long[rank];
    long[] stride = new long[rank];
    long[] outShape = x.itemShape().clone();
    long beginMask = 0;
    long endMask = 0;
    Arrays.fill(stride, 1);
    boolean[] sliced = new boolean[rank];
    for (int a = 0; a < rank; a++) {
      beginMask |= 1L << a;
      endMask |= 1L << a;
    }
    for (int i = 0; i < k; i++) {
      int axis = (int) (axes == null ? i : (axes[i] < 0 ? axes[i] + rank : axes[i]));
      if (axis < 0 || axis >= rank || sliced[axis]) {
        throw n.fail("axes " + Shapes.str(axes) + " are out of range or repeated for rank " + rank);
      }
      sliced[axis] = true;
      long dim = x.itemShape()[axis];
      long step = steps == null ? 1 : steps[i];
      if (step == 0) {
        throw n.fail("a step of 0");
      }
      long s = starts[i] < 0 ? starts[i] + dim : starts[i];
      long en = ends[i] < 0 ? ends[i] + dim : ends[i];
      long size;
      if (step > 0) {
        s = Math.max(0, Math.min(dim, s));
        en = Math.max(0, Math.min(dim, en));
        size = en > s ? (en - s + step - 1) / step : 0;
      } else {
        s = Math.max(-1, Math.min(dim - 1, s));
        en = Math.max(-1, Math.min(dim - 1, en));
        size = s > en ? (s - en - step - 1) / (-step) : 0;
      }
      if (axis == 0 && x.batch() != Batch.NONE) {
        if (size == dim && step == 1) {
          continue; // the whole (batch-1) axis: leaves the batch alone
        }
        throw n.fail("slices the batch axis");
      }
      if (size == 0) {
        throw n.fail("produces an empty tensor on axis " + axis);
      }
      int stored = x.layout() == Layout.NHWC ? Shapes.NCHW_TO_NHWC_AXIS[axis] : axis;
      begin[stored] = s;
      // a negative end of -1 would wrap in StridedSlice: open the range instead
      end[stored] = en;
      stride[stored] = step;
      beginMask &= ~(1L << stored);
      if (!(step < 0 && en == -1)) {
        endMask &= ~(1L << stored);
      }
      outShape[axis] = size;
    }
    if (x.isConstant()) {
      throw n.fail("slicing a constant is not supported");
    }
    Operand<TFloat32> y = e.tf.stridedSlice(x.tensor(), e.longs(begin), e.longs(end), e.longs(stride),
        StridedSlice.beginMask(beginMask), StridedSlice.endMask(endMask));
    return e.value(y, x.layout(), x.batch());
  }

  static Value concat(Emitter e, Node n) {
    if (!n.has("axis")) {
      throw n.fail("attribute 'axis' is missing");
    }
    long axisAttr = n.i("axis", 0);
    if (allIntegerConstants(n)) {
      return concatIntegers(n, axisAttr);
    }
    List<Value> in = new ArrayList<>();
    for (int i = 0; i < n.inputCount(); i++) {
      in.add(n.required(i, "input " + i));
    }
    int rank = in.get(0).rank();
    int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
    if (axis < 0 || axis >= rank) {
      throw n.fail("attribute 'axis'=" + axisAttr + " is out of range for rank " + rank);
    }
    Batch batch = in.get(0).batch();
    boolean anyNhwc = false;
    for (Value v : in) {
      if (v.rank() != rank) {
        throw n.fail("inputs have different ranks");
      }
      if (v.batch() != batch || batch == Batch.FOLDED) {
        throw n.fail("inputs must all be batched (batch on axis 0) or all unbatched");
      }
      anyNhwc |= v.layout() == Layout.NHWC;
    }
    if (batch == Batch.LEADING && axis == 0) {
      throw n.fail("concatenates along the batch axis");
    }
    boolean nhwc = rank == 4 && anyNhwc;
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Value v : in) {
      parts.add(nhwc ? e.nhwc(v) : e.onnx(v));
    }
    int stored = nhwc ? Shapes.NCHW_TO_NHWC_AXIS[axis] : axis;
    return e.value(e.tf.concat(parts, e.tf.constant(stored)), nhwc ? Layout.NHWC : Layout.ONNX, batch);
  }

  /**
   * Shape of a value, as the graph was traced: batch 1 on axis 0. A Reshape fed with it then reads
   * [1, ...] as "one item" and batches it like a traced constant shape would be.
   */
  static Value shape(Emitter e, Node n) {
    Value x = n.required(0, "data");
    if (x.batch() == Batch.FOLDED) {
      throw n.fail("the shape of a tensor whose batch is folded into axis 0 depends on the batch");
    }
    long[] dims = x.itemShape();
    int rank = dims.length;
    long start = n.i("start", 0);
    long end = n.i("end", rank);
    start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
    end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
    long[] out = Arrays.copyOfRange(dims, (int) start, (int) Math.max(start, end));
    return Value.constant(ConstTensor.ofLongs(new long[] {out.length}, out));
  }

  /** Gather on integer constants (picking dimensions out of a Shape); data tensors are refused. */
  static Value gather(Emitter e, Node n) {
    Value data = n.required(0, "data");
    Value indices = n.required(1, "indices");
    if (!data.isConstant() || data.constant().isFloat() || !indices.isConstant()) {
      throw n.fail("only Gather of integer constants (shape arithmetic) is supported; this one gathers "
          + (data.isConstant() ? "a float constant" : "a tensor computed at run time"));
    }
    ConstTensor d = data.constant();
    long axis = n.i("axis", 0);
    if (d.rank() != 1 || axis != 0) {
      throw n.fail("only Gather along axis 0 of a vector is supported, got data " + Shapes.str(d.dims())
          + ", axis " + axis);
    }
    ConstTensor idx = indices.constant();
    long[] ix = idx.asLongs();
    long[] out = new long[ix.length];
    for (int i = 0; i < ix.length; i++) {
      long k = ix[i] < 0 ? ix[i] + d.dims()[0] : ix[i];
      if (k < 0 || k >= d.dims()[0]) {
        throw n.fail("index " + ix[i] + " is out of range for " + d.dims()[0] + " values");
      }
      out[i] = d.longs()[(int) k];
    }
    return Value.constant(ConstTensor.ofLongs(idx.dims().clone(), out));
  }

  /** Unsqueeze of an integer constant (axes as attribute up to opset 12, as input from 13). */
  static Value unsqueeze(Emitter e, Node n) {
    Value x = n.required(0, "data");
    long[] axes = n.opset() < 13 ? n.ints("axes", null) : n.constantInput(1, "axes").asLongs();
    if (axes == null) {
      throw n.fail("attribute 'axes' is missing");
    }
    if (!x.isConstant() || x.constant().isFloat()) {
      throw n.fail("only Unsqueeze of integer constants (shape arithmetic) is supported");
    }
    ConstTensor c = x.constant();
    int rank = c.rank() + axes.length;
    boolean[] added = new boolean[rank];
    for (long a : axes) {
      int k = (int) (a < 0 ? a + rank : a);
      if (k < 0 || k >= rank || added[k]) {
        throw n.fail("axes " + Shapes.str(axes) + " are out of range or repeated for output rank " + rank);
      }
      added[k] = true;
    }
    long[] dims = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      dims[i] = added[i] ? 1 : c.dims()[j++];
    }
    return Value.constant(c.reshape(dims));
  }

  static boolean allIntegerConstants(Node n) {
    for (int i = 0; i < n.inputCount(); i++) {
      Value v = n.input(i);
      if (v == null || !v.isConstant() || v.constant().isFloat()) {
        return false;
      }
    }
    return n.inputCount() > 0;
  }

  private static Value concatIntegers(Node n, long axis) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n.inputCount(); i++) {
      ConstTensor c = n.input(i).constant();
      if (c.rank() != 1 || (axis != 0 && axis != -1)) {
        throw n.fail("integer Concat is supported for vectors (shape arithmetic) only, got " + Shapes.str(c.dims()));
      }
      for (long v : c.longs()) {
        out.add(v);
      }
    }
    long[] v = out.stream().mapToLong(Long::longValue).toArray();
    return Value.constant(ConstTensor.ofLongs(new long[] {v.length}, v));
  }

  /** Element-wise integer arithmetic on constants (ONNX integer Div truncates), a scalar broadcasting. */
  static Value integerArithmetic(Node n, java.util.function.LongBinaryOperator op) {
    ConstTensor a = n.input(0).constant();
    ConstTensor b = n.input(1).constant();
    long na = Shapes.count(a.dims());
    long nb = Shapes.count(b.dims());
    if (na != nb && na != 1 && nb != 1) {
      throw n.fail("integer operands of shapes " + Shapes.str(a.dims()) + " and " + Shapes.str(b.dims())
          + " do not broadcast (only equal shapes or a single value are supported)");
    }
    long[] dims = na >= nb ? a.dims() : b.dims();
    long[] out = new long[(int) Math.max(na, nb)];
    for (int i = 0; i < out.length; i++) {
      long x = a.longs()[na == 1 ? 0 : i];
      long y = b.longs()[nb == 1 ? 0 : i];
      if (y == 0 && n.op().equals("Div")) {
        throw n.fail("integer division by zero");
      }
      out[i] = op.applyAsLong(x, y);
    }
    return Value.constant(ConstTensor.ofLongs(dims.clone(), out));
  }

  /** Constant: 'value' (a tensor) or, from opset 12, value_float(s) / value_int(s). */
  static Value constant(Emitter e, Node n) {
    ConstTensor t = n.tensor("value");
    if (t == null && n.has("value_float")) {
      t = ConstTensor.ofFloats(new long[0], new float[] {n.f("value_float", 0)});
    }
    if (t == null && n.has("value_floats")) {
      float[] v = n.floats("value_floats", null);
      t = ConstTensor.ofFloats(new long[] {v.length}, v);
    }
    if (t == null && n.has("value_int")) {
      t = ConstTensor.ofLongs(new long[0], new long[] {n.i("value_int", 0)});
    }
    if (t == null && n.has("value_ints")) {
      long[] v = n.ints("value_ints", null);
      t = ConstTensor.ofLongs(new long[] {v.length}, v);
    }
    if (t == null) {
      throw n.fail("has none of the supported attributes value, value_float(s), value_int(s)");
    }
    return Value.constant(t);
  }
}
