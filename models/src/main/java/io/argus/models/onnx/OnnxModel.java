package io.argus.models.onnx;

import io.argus.models.onnx.proto.Onnx.GraphProto;
import io.argus.models.onnx.proto.Onnx.ModelProto;
import io.argus.models.onnx.proto.Onnx.OperatorSetIdProto;
import io.argus.models.onnx.proto.Onnx.TensorProto;
import io.argus.models.onnx.proto.Onnx.TensorShapeProto;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed ONNX model: the graph plus the version of the default ("ai.onnx") operator set it was
 * exported against, which decides how some operators read their parameters (Clip's bounds and
 * Slice's ranges moved from attributes to inputs in opsets 11 and 10).
 *
 * @param name where the model came from (file name), used in error messages
 * @param proto the model as read
 * @param opset version of the default operator set
 */
public record OnnxModel(String name, ModelProto proto, long opset) {

  /** Oldest default opset whose broadcasting rules the importer follows (numpy style since 7). */
  public static final long MIN_OPSET = 7;

  public OnnxModel {
    if (!proto.hasGraph()) {
      throw new OnnxImportException(name + ": the ONNX model has no graph");
    }
    if (opset < MIN_OPSET) {
      throw new OnnxImportException(name + ": default opset " + opset + " predates numpy-style broadcasting (opset "
          + MIN_OPSET + "); re-export the model with a newer opset");
    }
  }

  public static OnnxModel read(Path file) {
    try {
      return of(file.getFileName().toString(), ModelProto.parseFrom(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("ONNX file not found: " + file.toAbsolutePath(), e);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new OnnxImportException(file + " is not an ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static OnnxModel of(String name, ModelProto proto) {
    long opset = -1;
    for (OperatorSetIdProto id : proto.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        opset = id.getVersion();
      }
    }
    if (opset < 0) {
      throw new OnnxImportException(name + ": the model imports no default (ai.onnx) operator set");
    }
    return new OnnxModel(name, proto, opset);
  }

  public GraphProto graph() {
    return proto.getGraph();
  }

  /** The graph inputs the caller must feed: declared inputs that are not initializers. */
  public List<ValueInfoProto> feedInputs() {
    Set<String> init = new HashSet<>();
    for (TensorProto t : graph().getInitializerList()) {
      init.add(t.getName());
    }
    List<ValueInfoProto> out = new ArrayList<>();
    for (ValueInfoProto v : graph().getInputList()) {
      if (!init.contains(v.getName())) {
        out.add(v);
      }
    }
    return out;
  }

  public List<ValueInfoProto> outputs() {
    return graph().getOutputList();
  }

  /** Declared shape of a graph input or output, ONNX order; -1 for a symbolic or absent dimension. */
  public static long[] declaredShape(ValueInfoProto v) {
    if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
      return null;
    }
    List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
    }
    return out;
  }
}
