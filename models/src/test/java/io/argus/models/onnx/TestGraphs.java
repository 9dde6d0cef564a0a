package io.argus.models.onnx;

import com.google.protobuf.ByteString;
import io.argus.models.onnx.proto.Onnx.AttributeProto;
import io.argus.models.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.argus.models.onnx.proto.Onnx.GraphProto;
import io.argus.models.onnx.proto.Onnx.ModelProto;
import io.argus.models.onnx.proto.Onnx.NodeProto;
import io.argus.models.onnx.proto.Onnx.OperatorSetIdProto;
import io.argus.models.onnx.proto.Onnx.TensorProto;
import io.argus.models.onnx.proto.Onnx.TensorShapeProto;
import io.argus.models.onnx.proto.Onnx.TypeProto;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Builds small ONNX models with the protobuf builders and runs them through the importer. */
final class TestGraphs {

  private final long opset;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final List<ValueInfoProto> inputs = new ArrayList<>();
  private final List<ValueInfoProto> outputs = new ArrayList<>();
  private int rawToggle;

  TestGraphs(long opset) {
    this.opset = opset;
  }

  TestGraphs input(String name, long... nchwDims) {
    inputs.add(valueInfo(name, nchwDims));
    return this;
  }

  TestGraphs output(String name) {
    outputs.add(ValueInfoProto.newBuilder().setName(name).build());
    return this;
  }

  /** A float initializer; alternates raw_data and float_data so both decodings are exercised. */
  TestGraphs weight(String name, long[] dims, float[] data) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    if (rawToggle++ % 2 == 0) {
      ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(data);
      t.setRawData(ByteString.copyFrom(b.array()));
    } else {
      for (float f : data) {
        t.addFloatData(f);
      }
    }
    initializers.add(t.build());
    return this;
  }

  TestGraphs longs(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    initializers.add(t.build());
    return this;
  }

  TestGraphs node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    nodes.add(n.build());
    return this;
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  static AttributeProto f(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
  }

  static AttributeProto tensor(String name, long[] dims, long[] values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
  }

  static AttributeProto floatTensor(String name, float value) {
    TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value).build();
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
  }

  OnnxModel model() {
    GraphProto g = GraphProto.newBuilder().setName("test").addAllNode(nodes).addAllInitializer(initializers)
        .addAllInput(inputs).addAllOutput(outputs).build();
    ModelProto m = ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    return OnnxModel.of("test.onnx", m);
  }

  private static ValueInfoProto valueInfo(String name, long[] dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
  }

  /** An input or output array: ONNX-order shape and row-major values. */
  record Array(long[] shape, float[] data) {
    float at(long... idx) {
      long off = 0;
      for (int i = 0; i < shape.length; i++) {
        off = off * shape[i] + idx[i];
      }
      return data[(int) off];
    }

    /** NCHW -> NHWC copy, for feeding rank-4 arrays to the imported graph. */
    Array nhwc() {
      if (shape.length != 4) {
        return this;
      }
      long[] s = {shape[0], shape[2], shape[3], shape[1]};
      float[] out = new float[data.length];
      int o = 0;
      for (int n = 0; n < shape[0]; n++) {
        for (int y = 0; y < shape[2]; y++) {
          for (int x = 0; x < shape[3]; x++) {
            for (int c = 0; c < shape[1]; c++) {
              out[o++] = at(n, c, y, x);
            }
          }
        }
      }
      return new Array(s, out);
    }

    /** NHWC -> NCHW, for comparing rank-4 outputs with NCHW references. */
    Array nchw() {
      long[] s = {shape[0], shape[3], shape[1], shape[2]};
      float[] out = new float[data.length];
      int o = 0;
      for (int n = 0; n < s[0]; n++) {
        for (int c = 0; c < s[1]; c++) {
          for (int y = 0; y < s[2]; y++) {
            for (int x = 0; x < s[3]; x++) {
              out[o++] = at(n, y, x, c);
            }
          }
        }
      }
      return new Array(s, out);
    }
  }

  static Array random(Random r, long... shape) {
    float[] d = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    return new Array(shape, d);
  }

  /**
   * Imports the model and runs it on NCHW/ONNX-order inputs (fed NHWC with a dynamic batch), returning
   * outputs in ONNX order (rank-4 outputs converted back to NCHW).
   */
  static Map<String, Array> run(OnnxModel model, Map<String, Array> in) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<String, Operand<TFloat32>> feeds = new LinkedHashMap<>();
      Map<String, Array> nhwc = new HashMap<>();
      for (Map.Entry<String, Array> e : in.entrySet()) {
        Array a = e.getValue().nhwc();
        long[] dims = a.shape().clone();
        dims[0] = -1;
        feeds.put(e.getKey(), tf.withName(e.getKey()).placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims))));
        nhwc.put(e.getKey(), a);
      }
      Map<String, Operand<TFloat32>> outs = new OnnxImporter().apply(tf.withSubScope("model"), model, feeds);
      Session.Runner runner = s.runner();
      List<Tensor> owned = new ArrayList<>();
      try {
        for (Map.Entry<String, Operand<TFloat32>> f : feeds.entrySet()) {
          Array a = nhwc.get(f.getKey());
          TFloat32 t = TFloat32.tensorOf(Shape.of(a.shape()), DataBuffers.of(a.data(), true, false));
          owned.add(t);
          runner.feed(f.getValue(), t);
        }
        List<String> names = new ArrayList<>(outs.keySet());
        for (String n : names) {
          runner.fetch(outs.get(n));
        }
        Map<String, Array> result = new LinkedHashMap<>();
        try (Result r = runner.run()) {
          for (int i = 0; i < names.size(); i++) {
            TFloat32 t = (TFloat32) r.get(i);
            float[] d = new float[(int) t.size()];
            t.asRawTensor().data().asFloats().read(d);
            Array a = new Array(t.shape().asArray(), d);
            result.put(names.get(i), a.shape().length == 4 ? a.nchw() : a);
          }
        }
        return result;
      } finally {
        owned.forEach(Tensor::close);
      }
    }
  }
}
