package io.argus.models.matconvnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * A MatConvNet network in DagNN form as saved by {@code net.saveobj()} (SiamFC's
 * {@code 2016-08-17.net.mat}, CFNet's {@code cfnet-conv*.mat}): the layers in file order and the
 * parameters by name. Read with the MFL MAT-file library (MAT v5, compressed v7 included).
 *
 * @param source where the network came from (file name), for messages and provenance
 * @param layers the layers in file order
 * @param params the parameters by name
 */
public record DagNet(String source, List<DagLayer> layers, Map<String, DagParam> params) {

  public DagNet {
    layers = List.copyOf(layers);
    params = new LinkedHashMap<>(params);
  }

  /** Reads {@code net} (a DagNN struct with {@code layers} and {@code params}) from a MAT file. */
  public static DagNet read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no MAT file at " + file.toAbsolutePath());
    }
    try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
      return fromMat(file.getFileName().toString(), mat);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " as a MAT file (v5/v7; v7.3 HDF5 files are not"
          + " supported, re-save with save(..., '-v7')): " + e.getMessage(), e);
    }
  }

  static DagNet fromMat(String source, MatFile mat) {
    Struct net = null;
    for (MatFile.Entry e : mat.getEntries()) {
      if (e.getName().equals("net") && e.getValue() instanceof Struct s) {
        net = s;
      }
    }
    if (net == null) {
      List<String> names = new ArrayList<>();
      mat.getEntries().forEach(e -> names.add(e.getName()));
      if (names.contains("layers") && names.contains("params")) {
        // saved with save(file, '-struct', 'net'): the fields sit at the top level
        Struct top = Mat5.newStruct();
        top.set("layers", mat.getArray("layers"));
        top.set("params", mat.getArray("params"));
        net = top;
      } else {
        throw new IllegalArgumentException(source + " holds " + names + " but no 'net' struct with layers and params:"
            + " not a MatConvNet DagNN network");
      }
    }
    if (!net.getFieldNames().contains("layers") || !net.getFieldNames().contains("params")) {
      throw new IllegalArgumentException(source + ": 'net' has fields " + net.getFieldNames()
          + " but a DagNN network needs 'layers' and 'params'");
    }
    Array layersArray = net.get("layers");
    if (!(layersArray instanceof Struct layers)) {
      throw new IllegalArgumentException(source + ": net.layers is a " + layersArray.getType() + ", not a struct array:"
          + " this looks like a SimpleNN network; convert it with dagnn.DagNN.fromSimpleNN and save net.saveobj()");
    }
    List<DagLayer> out = new ArrayList<>();
    for (int i = 0; i < layers.getNumElements(); i++) {
      out.add(layer(source, layers, i));
    }
    Map<String, DagParam> params = new LinkedHashMap<>();
    Array paramsArray = net.get("params");
    if (paramsArray instanceof Struct ps) {
      for (int i = 0; i < ps.getNumElements(); i++) {
        String name = text(ps.get("name", i));
        Array value = ps.get("value", i);
        if (!(value instanceof Matrix m)) {
          throw new IllegalArgumentException(source + ": parameter '" + name + "' is a " + value.getType()
              + ", expected a numeric array");
        }
        if (m.isComplex()) {
          throw new IllegalArgumentException(source + ": parameter '" + name + "' is complex; MatConvNet weights are real");
        }
        float[] v = new float[m.getNumElements()];
        for (int k = 0; k < v.length; k++) {
          v[k] = m.getFloat(k);
        }
        params.put(name, new DagParam(name, m.getDimensions(), v));
      }
    }
    return new DagNet(source, out, params);
  }

  private static DagLayer layer(String source, Struct layers, int i) {
    String name = text(layers.get("name", i));
    String type = text(layers.get("type", i));
    Map<String, double[]> numbers = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    if (layers.getFieldNames().contains("block") && layers.get("block", i) instanceof Struct block
        && block.getNumElements() == 1) {
      for (String f : block.getFieldNames()) {
        Array v = block.get(f);
        if (v instanceof Char c) {
          texts.put(f, text(c));
        } else if (v instanceof Matrix m && !m.isComplex()) {
          double[] d = new double[m.getNumElements()];
          for (int k = 0; k < d.length; k++) {
            d[k] = m.getDouble(k);
          }
          numbers.put(f, d);
        }
        // cells and structs (cuDNN switches and the like) say nothing about the computation
      }
    }
    return new DagLayer(name, type, strings(source, name, layers.get("inputs", i)),
        strings(source, name, layers.get("outputs", i)), strings(source, name, layers.get("params", i)), numbers, texts);
  }

  private static List<String> strings(String source, String layer, Array a) {
    List<String> out = new ArrayList<>();
    if (a instanceof Cell c) {
      for (int k = 0; k < c.getNumElements(); k++) {
        out.add(text(c.get(k)));
      }
    } else if (a instanceof Char ch) {
      out.add(ch.getString());
    } else if (a != null && a.getNumElements() > 0) {
      throw new IllegalArgumentException(source + ": layer '" + layer + "' lists its variables as a " + a.getType()
          + ", expected a cell array of names");
    }
    return out;
  }

  private static String text(Array a) {
    if (a == null || a.getNumElements() == 0) {
      return "";
    }
    if (a instanceof Char c) {
      return c.getString();
    }
    throw new IllegalArgumentException("expected text, got a " + a.getType());
  }

  /** The layer that writes variable {@code var}, or null for an input of the network. */
  public DagLayer producer(String var) {
    for (DagLayer l : layers) {
      if (l.outputs().contains(var)) {
        return l;
      }
    }
    return null;
  }

  /** The layers that read variable {@code var}, in file order. */
  public List<DagLayer> consumers(String var) {
    List<DagLayer> out = new ArrayList<>();
    for (DagLayer l : layers) {
      if (l.inputs().contains(var)) {
        out.add(l);
      }
    }
    return out;
  }

  /** The layers of a block type, in file order. */
  public List<DagLayer> layersOfType(String type) {
    return layers.stream().filter(l -> l.type().equals(type)).toList();
  }

  /** A parameter by name; a clear error names the layer that needs it. */
  public DagParam param(DagLayer layer, int k) {
    if (k >= layer.params().size()) {
      throw new IllegalArgumentException(source + ": layer " + layer + " needs at least " + (k + 1) + " parameters");
    }
    String name = layer.params().get(k);
    DagParam p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException(source + ": layer '" + layer.name() + "' uses parameter '" + name
          + "' that net.params does not hold");
    }
    return p;
  }
}
