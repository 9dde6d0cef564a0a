package io.argus.models.onnx;

import io.argus.models.onnx.Value.Batch;
import io.argus.models.onnx.Value.Layout;
import io.argus.models.onnx.proto.Onnx.NodeProto;
import io.argus.models.onnx.proto.Onnx.TensorProto;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Rebuilds an ONNX graph with TensorFlow Java ops, weights as constants, for inference.
 *
 * <p><b>Batch.</b> Axis 0 of every graph input is a batch of independent items, of any size B.
 * Exporters trace at batch 1 and bake that 1 into Reshape shapes; the importer reads a target
 * shape [1, ...] as "one item" and rewrites it to [B, ...], and a shape that folds the batch into
 * the leading axis (a traced {@code view(batch * channels, ...)}, how per-target correlation
 * kernels are built) as such; an operation that would mix items (a transpose moving the batch
 * axis, a slice or concat along it, a batched operand broadcast against a feature axis) is refused.
 *
 * <p><b>Layout.</b> The boundary is NHWC: rank-4 inputs are given N,H,W,C and rank-4 outputs come
 * back N,H,W,C. Inside, values keep ONNX's NCHW meaning but feature maps are stored NHWC, because
 * TensorFlow's CPU Conv2D, DepthwiseConv2dNative and their fused variants only run NHWC; the
 * operators that address axes (Slice, Concat, broadcasting, Transpose) remap them, so a chain of
 * convolutions and activations never transposes, and only the head's reshapes into matrices
 * (the pixel-wise correlation) pay for a transpose. Transposing around every convolution instead
 * would be simpler but costs two full copies of each feature map per layer.
 *
 * <p><b>Exactness.</b> Every supported operator honours every attribute it accepts; an operator,
 * attribute, attribute value or data type outside that set is an {@link OnnxImportException}
 * naming model, node, operator and attribute.
 *
 * <p>One importer per TensorFlow graph: applying the same model twice (exemplar and search
 * branches of a Siamese tracker) reuses its weight constants.
 */
public final class OnnxImporter {

  @FunctionalInterface
  private interface Converter {
    Value convert(Emitter e, Node n);
  }

  private static final Map<String, Converter> CONVERTERS = Map.ofEntries(
      Map.entry("Conv", ConvConverters::conv),
      Map.entry("GlobalAveragePool", ConvConverters::globalAveragePool),
      Map.entry("MaxPool", ConvConverters::maxPool),
      Map.entry("BatchNormalization", ConvConverters::batchNormalization),
      Map.entry("Add", ElementwiseConverters::add),
      Map.entry("Sub", ElementwiseConverters::sub),
      Map.entry("Mul", ElementwiseConverters::mul),
      Map.entry("Div", ElementwiseConverters::div),
      Map.entry("Relu", ElementwiseConverters::relu),
      Map.entry("Sigmoid", ElementwiseConverters::sigmoid),
      Map.entry("Exp", ElementwiseConverters::exp),
      Map.entry("HardSigmoid", ElementwiseConverters::hardSigmoid),
      Map.entry("HardSwish", ElementwiseConverters::hardSwish),
      Map.entry("Clip", ElementwiseConverters::clip),
      Map.entry("Identity", ElementwiseConverters::identity),
      Map.entry("Reshape", ShapeConverters::reshape),
      Map.entry("Transpose", ShapeConverters::transpose),
      Map.entry("Slice", ShapeConverters::slice),
      Map.entry("Concat", ShapeConverters::concat),
      Map.entry("Constant", ShapeConverters::constant),
      Map.entry("Shape", ShapeConverters::shape),
      Map.entry("Gather", ShapeConverters::gather),
      Map.entry("Unsqueeze", ShapeConverters::unsqueeze),
      Map.entry("MatMul", MatMulConverters::matMul),
      Map.entry("Gemm", MatMulConverters::gemm));

  private final IdentityHashMap<OnnxModel, Map<String, ConstTensor>> initializers = new IdentityHashMap<>();
  private final IdentityHashMap<ConstTensor, Map<String, Operand<TFloat32>>> constants = new IdentityHashMap<>();
  private ExecutionEnvironment graph;

  /** Operators this importer converts. */
  public static Set<String> supportedOps() {
    return new TreeSet<>(CONVERTERS.keySet());
  }

  /**
   * Adds the model's computation to tf's graph.
   *
   * @param tf where to build (use {@code tf.withSubScope(...)} to name each application)
   * @param model the ONNX model
   * @param inputs one tensor per graph input, by ONNX name: batch first, rank-4 ones NHWC
   * @return one tensor per graph output, by ONNX name: batch first, rank-4 ones NHWC
   */
  public Map<String, Operand<TFloat32>> apply(Ops tf, OnnxModel model, Map<String, Operand<TFloat32>> inputs) {
    if (graph == null) {
      graph = tf.scope().env();
    } else if (graph != tf.scope().env()) {
      throw new IllegalArgumentException("an OnnxImporter builds into one graph; make a new importer for another graph");
    }
    Emitter e = new Emitter(tf, constants);
    Map<String, Value> values = new HashMap<>();
    values.putAll(bindInputs(model, inputs));
    for (Map.Entry<String, ConstTensor> c : initializers(model).entrySet()) {
      values.putIfAbsent(c.getKey(), Value.constant(c.getValue()));
    }
    for (NodeProto np : model.graph().getNodeList()) {
      convert(e, model, np, values);
    }
    Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
    for (ValueInfoProto o : model.outputs()) {
      Value v = values.get(o.getName());
      if (v == null) {
        throw new OnnxImportException(model.name() + ": graph output '" + o.getName() + "' is produced by no node");
      }
      if (v.batch() == Batch.FOLDED) {
        throw new OnnxImportException(model.name() + ": graph output '" + o.getName()
            + "' has its batch folded into axis 0; it cannot be returned per item");
      }
      out.put(o.getName(), v.rank() == 4 ? e.nhwc(v) : e.onnx(v));
    }
    return out;
  }

  private void convert(Emitter e, OnnxModel model, NodeProto np, Map<String, Value> values) {
    List<Value> in = new ArrayList<>();
    for (String name : np.getInputList()) {
      if (name.isEmpty()) {
        in.add(null); // an optional input left out
        continue;
      }
      Value v = values.get(name);
      if (v == null) {
        throw new OnnxImportException(model.name() + ": node '" + (np.getName().isEmpty() ? np.getOutput(0) : np.getName())
            + "' (" + np.getOpType() + ") reads '" + name + "', which no earlier node, input or initializer provides"
            + " (nodes must be in topological order)");
      }
      in.add(v);
    }
    while (!in.isEmpty() && in.get(in.size() - 1) == null) {
      in.remove(in.size() - 1);
    }
    Node n = new Node(np, model.name(), model.opset(), in);
    if (!np.getDomain().isEmpty() && !np.getDomain().equals("ai.onnx")) {
      throw n.fail("operator domain '" + np.getDomain() + "' is not supported (only the default ai.onnx domain)");
    }
    Converter c = CONVERTERS.get(np.getOpType());
    if (c == null) {
      throw n.fail("operator " + np.getOpType() + " is not supported; supported: " + supportedOps());
    }
    if (np.getOutputCount() != 1) {
      throw n.fail("has " + np.getOutputCount() + " outputs; only single-output nodes are supported");
    }
    Value out;
    try {
      out = c.convert(e.tfNamed(np), n);
      n.rejectUnreadAttributes();
    } catch (OnnxImportException ex) {
      if (ex.getMessage().startsWith(model.name() + ":")) {
        throw ex;
      }
      throw new OnnxImportException(n.where() + ": " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      throw new OnnxImportException(n.where() + ": TensorFlow rejected the converted op: " + ex.getMessage(), ex);
    }
    values.put(np.getOutput(0), out);
  }

  private Map<String, Value> bindInputs(OnnxModel model, Map<String, Operand<TFloat32>> inputs) {
    Map<String, Value> bound = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (ValueInfoProto vi : model.feedInputs()) {
      expected.add(vi.getName());
      Operand<TFloat32> t = inputs.get(vi.getName());
      if (t == null) {
        continue;
      }
      long[] s = t.shape().asArray();
      long[] declared = OnnxModel.declaredShape(vi);
      if (s == null || s.length == 0) {
        throw new OnnxImportException(model.name() + ": input '" + vi.getName() + "' needs a known rank with the batch on axis 0");
      }
      if (declared != null && declared.length != s.length) {
        throw new OnnxImportException(model.name() + ": input '" + vi.getName() + "' has rank " + s.length
            + ", the model declares " + Shapes.str(declared));
      }
      long[] item = s.length == 4 ? new long[] {1, s[3], s[1], s[2]} : s.clone();
      item[0] = 1;
      for (int i = 1; i < item.length; i++) {
        if (item[i] < 0) {
          throw new OnnxImportException(model.name() + ": input '" + vi.getName() + "' has a dynamic dimension " + i
              + "; only the batch (axis 0) may be dynamic");
        }
      }
      // Channels must match; spatial sizes may differ, fully convolutional networks run on other sizes
      if (declared != null && s.length == 4 && declared[1] > 0 && declared[1] != item[1]) {
        throw new OnnxImportException(model.name() + ": input '" + vi.getName() + "' has " + item[1]
            + " channels (NHWC axis 3), the model declares " + Shapes.str(declared) + " (NCHW)");
      }
      bound.put(vi.getName(), new Value(t, null, s.length == 4 ? Layout.NHWC : Layout.ONNX, item, Batch.LEADING));
    }
    if (!bound.keySet().containsAll(expected) || !expected.containsAll(inputs.keySet())) {
      throw new OnnxImportException(model.name() + ": the model's inputs are " + expected + ", given " + inputs.keySet());
    }
    return bound;
  }

  private Map<String, ConstTensor> initializers(OnnxModel model) {
    return initializers.computeIfAbsent(model, m -> {
      Map<String, ConstTensor> out = new HashMap<>();
      for (TensorProto t : m.graph().getInitializerList()) {
        out.put(t.getName(), ConstTensor.decode(t, m.name()));
      }
      return out;
    });
  }
}
