package io.argus.models.onnx;

import io.argus.models.onnx.proto.Onnx.AttributeProto;
import io.argus.models.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.argus.models.onnx.proto.Onnx.NodeProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX node being converted: its resolved inputs, its attributes (each read at most once, so
 * that an attribute nobody read is reported instead of ignored) and error reporting that names
 * model, node and operator.
 */
final class Node {

  private final NodeProto proto;
  private final String model;
  private final long opset;
  private final List<Value> inputs;
  private final Map<String, AttributeProto> attributes = new HashMap<>();
  private final Set<String> read = new HashSet<>();

  Node(NodeProto proto, String model, long opset, List<Value> inputs) {
    this.proto = proto;
    this.model = model;
    this.opset = opset;
    this.inputs = inputs;
    for (AttributeProto a : proto.getAttributeList()) {
      attributes.put(a.getName(), a);
    }
  }

  String op() {
    return proto.getOpType();
  }

  String name() {
    if (!proto.getName().isEmpty()) {
      return proto.getName();
    }
    return proto.getOutputCount() > 0 ? proto.getOutput(0) : "?";
  }

  long opset() {
    return opset;
  }

  int inputCount() {
    return inputs.size();
  }

  int outputCount() {
    return proto.getOutputCount();
  }

  /** Input i; null where the ONNX graph leaves an optional input out. */
  Value input(int i) {
    return i < inputs.size() ? inputs.get(i) : null;
  }

  Value required(int i, String what) {
    Value v = input(i);
    if (v == null) {
      throw fail("input " + i + " (" + what + ") is missing");
    }
    return v;
  }

  /** An input that must be known at import time (a shape, slice bounds, clip bounds). */
  ConstTensor constantInput(int i, String what) {
    Value v = required(i, what);
    if (!v.isConstant()) {
      throw fail("input " + i + " (" + what + ", '" + proto.getInput(i)
          + "') is computed at run time; only constant " + what + " is supported");
    }
    return v.constant();
  }

  boolean has(String attribute) {
    return attributes.containsKey(attribute);
  }

  long i(String name, long fallback) {
    AttributeProto a = attr(name, AttributeType.INT);
    return a == null ? fallback : a.getI();
  }

  float f(String name, float fallback) {
    AttributeProto a = attr(name, AttributeType.FLOAT);
    return a == null ? fallback : a.getF();
  }

  String s(String name, String fallback) {
    AttributeProto a = attr(name, AttributeType.STRING);
    return a == null ? fallback : a.getS().toStringUtf8();
  }

  long[] ints(String name, long[] fallback) {
    AttributeProto a = attr(name, AttributeType.INTS);
    return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  float[] floats(String name, float[] fallback) {
    AttributeProto a = attr(name, AttributeType.FLOATS);
    if (a == null) {
      return fallback;
    }
    float[] out = new float[a.getFloatsCount()];
    for (int k = 0; k < out.length; k++) {
      out[k] = a.getFloats(k);
    }
    return out;
  }

  ConstTensor tensor(String name) {
    AttributeProto a = attr(name, AttributeType.TENSOR);
    return a == null ? null : ConstTensor.decode(a.getT(), where());
  }

  private AttributeProto attr(String name, AttributeType type) {
    AttributeProto a = attributes.get(name);
    if (a == null) {
      return null;
    }
    read.add(name);
    // IR < 2 files leave the type out; trust the field then
    if (a.hasType() && a.getType() != type) {
      throw fail("attribute '" + name + "' is " + a.getType() + ", expected " + type);
    }
    if (a.hasRefAttrName()) {
      throw fail("attribute '" + name + "' refers to a function attribute; functions are not supported");
    }
    return a;
  }

  /** After conversion: any attribute the converter did not read would be silently ignored. */
  void rejectUnreadAttributes() {
    for (AttributeProto a : proto.getAttributeList()) {
      if (!read.contains(a.getName())) {
        throw fail("attribute '" + a.getName() + "' is not supported by this importer");
      }
    }
  }

  String where() {
    return model + ": node '" + name() + "' (" + op() + ")";
  }

  OnnxImportException fail(String message) {
    return new OnnxImportException(where() + ": " + message);
  }
}
