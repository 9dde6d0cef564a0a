package io.argus.models.siamrpn;

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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes SiamRPN's two ONNX graphs the way {@code torch.onnx.export} writes pysot's modules
 * (opset 11, eval mode): Conv, BatchNormalization left unfused (do_constant_folding=False),
 * MaxPool, Relu, and xcorr_depthwise's {@code view}s. The cls branch's views come as the traced
 * shape arithmetic (Shape, Gather, Mul, Unsqueeze, Concat into Reshape), the loc branch's as
 * constant shapes (what constant folding leaves), so both forms are exercised.
 */
final class PysotOnnx {

  private final GraphProto.Builder g = GraphProto.newBuilder().setName("pysot");
  private final SiamRpnWeights weights;
  private int counter;

  private PysotOnnx(SiamRpnWeights weights) {
    this.weights = weights;
  }

  /** z (1 x 3 x 127 x 127, BGR) -> zf. */
  static Path writeTemplate(Path file, SiamRpnWeights w) throws IOException {
    PysotOnnx b = new PysotOnnx(w);
    b.g.addInput(info("z", 1, 3, 127, 127));
    String zf = b.backbone("z");
    b.node("Identity", List.of(zf), "zf");
    b.g.addOutput(ValueInfoProto.newBuilder().setName("zf"));
    return b.write(file);
  }

  /** zf, x (1 x 3 x 287 x 287, BGR) -> cls, loc. */
  static Path writeSearch(Path file, SiamRpnWeights w, SiamRpnConfig config) throws IOException {
    PysotOnnx b = new PysotOnnx(w);
    b.g.addInput(info("zf", 1, config.conv5(), 6, 6));
    b.g.addInput(info("x", 1, 3, 287, 287));
    String xf = b.backbone("x");
    b.node("Identity", List.of(b.xcorrHead("zf", xf, "rpn_head.cls", true)), "cls");
    b.node("Identity", List.of(b.xcorrHead("zf", xf, "rpn_head.loc", false)), "loc");
    b.g.addOutput(ValueInfoProto.newBuilder().setName("cls"));
    b.g.addOutput(ValueInfoProto.newBuilder().setName("loc"));
    return b.write(file);
  }

  private Path write(Path file) throws IOException {
    ModelProto m = ModelProto.newBuilder().setIrVersion(6).setProducerName("pytorch (test imitation)")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(11)).setGraph(g).build();
    try (OutputStream out = Files.newOutputStream(file)) {
      m.writeTo(out);
    }
    return file;
  }

  private String backbone(String in) {
    String x = in;
    int[] strides = {2, 1, 1, 1, 1};
    for (int i = 0; i < 5; i++) {
      x = conv(x, SiamRpnWeights.BACKBONE[i], strides[i]);
      if (i < 2) {
        x = node("MaxPool", List.of(x), null, ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 0, 0, 0, 0),
            i("ceil_mode", 0));
      }
      if (i < 4) {
        x = node("Relu", List.of(x), null);
      }
    }
    return x;
  }

  private String xcorrHead(String zf, String xf, String branch, boolean tracedShapes) {
    String k = node("Relu", List.of(conv(zf, branch + ".conv_kernel.0", 1)), null);
    String s = node("Relu", List.of(conv(xf, branch + ".conv_search.0", 1)), null);
    int c = weights.require(branch + ".conv_kernel.0").out();
    String xv;
    String kv;
    if (tracedShapes) {
      // batch = kernel.size(0); channel = kernel.size(1)
      String ks = node("Shape", List.of(k), null);
      String batch = node("Gather", List.of(ks, scalar(0)), null, i("axis", 0));
      String channel = node("Gather", List.of(ks, scalar(1)), null, i("axis", 0));
      String bc = node("Mul", List.of(batch, channel), null);
      String xs = node("Shape", List.of(s), null);
      String xh = node("Gather", List.of(xs, scalar(2)), null, i("axis", 0));
      String xw = node("Gather", List.of(xs, scalar(3)), null, i("axis", 0));
      String kh = node("Gather", List.of(ks, scalar(2)), null, i("axis", 0));
      String kw = node("Gather", List.of(ks, scalar(3)), null, i("axis", 0));
      xv = node("Reshape", List.of(s, concat(constant(1), unsq(bc), unsq(xh), unsq(xw))), null);
      kv = node("Reshape", List.of(k, concat(unsq(bc), constant(1), unsq(kh), unsq(kw))), null);
      String out = node("Conv", List.of(xv, kv), null, i("group", c));
      String os = node("Shape", List.of(out), null);
      String oh = node("Gather", List.of(os, scalar(2)), null, i("axis", 0));
      String ow = node("Gather", List.of(os, scalar(3)), null, i("axis", 0));
      String f = node("Reshape", List.of(out, concat(unsq(batch), unsq(channel), unsq(oh), unsq(ow))), null);
      return head(f, branch);
    }
    xv = node("Reshape", List.of(s, longs(1, c, 24, 24)), null);
    kv = node("Reshape", List.of(k, longs(c, 1, 4, 4)), null);
    String out = node("Conv", List.of(xv, kv), null, i("group", c));
    String f = node("Reshape", List.of(out, longs(1, c, 21, 21)), null);
    return head(f, branch);
  }

  private String head(String f, String branch) {
    String h = node("Relu", List.of(conv(f, branch + ".head.0", 1)), null);
    return conv(h, branch + ".head.3", 1);
  }

  private String conv(String x, String name, int stride) {
    SiamRpnWeights.Conv c = weights.require(name);
    String w = floats(c.shape(), c.weight());
    List<String> in = c.bias() == null ? List.of(x, w) : List.of(x, w, floats(new long[] {c.out()}, c.bias()));
    long[] s = c.shape();
    String y = node("Conv", in, null, ints("kernel_shape", s[2], s[3]), ints("strides", stride, stride),
        ints("pads", 0, 0, 0, 0), ints("dilations", 1, 1), i("group", 1));
    if (c.bn() == null) {
      return y;
    }
    long[] v = {c.out()};
    return node("BatchNormalization", List.of(y, floats(v, c.bn().gamma()), floats(v, c.bn().beta()),
        floats(v, c.bn().mean()), floats(v, c.bn().variance())), null, f("epsilon", SiamRpnWeights.BN_EPSILON),
        f("momentum", 0.9f));
  }

  private String unsq(String x) {
    return node("Unsqueeze", List.of(x), null, ints("axes", 0));
  }

  private String concat(String... parts) {
    return node("Concat", List.of(parts), null, i("axis", 0));
  }

  private String constant(long v) {
    return node("Unsqueeze", List.of(scalar(v)), null, ints("axes", 0));
  }

  private String scalar(long v) {
    String name = "const_" + counter++;
    TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(v).build();
    g.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeType.TENSOR).setT(t)));
    return name;
  }

  private String longs(long... v) {
    String name = "shape_" + counter++;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(v.length);
    for (long x : v) {
      t.addInt64Data(x);
    }
    g.addInitializer(t);
    return name;
  }

  private String floats(long[] dims, float[] data) {
    String name = "w_" + counter++;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    g.addInitializer(t.setRawData(ByteString.copyFrom(b.array())));
    return name;
  }

  private String node(String op, List<String> in, String out, AttributeProto... attrs) {
    String o = out != null ? out : op.toLowerCase() + "_" + counter++;
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + counter++).addAllInput(in).addOutput(o);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    g.addNode(n);
    return o;
  }

  private static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  private static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  private static AttributeProto f(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
  }

  private static ValueInfoProto info(String name, long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
  }
}
