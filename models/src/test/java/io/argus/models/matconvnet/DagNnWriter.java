package io.argus.models.matconvnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Struct;

/**
 * Writes small MatConvNet DagNN networks as MAT files laid out like the real ones
 * ({@code net.layers} struct array with name/type/inputs/outputs/params/block, {@code net.params}
 * struct array with name/value), with the same MAT library, so the importer's tests read what
 * they wrote. Parameters are stored column-major as MATLAB would.
 */
final class DagNnWriter {

  private record LayerDef(String name, String type, List<String> inputs, List<String> outputs, List<String> params,
      Map<String, Object> block) {}

  private final List<LayerDef> layers = new ArrayList<>();
  private final Map<String, DagParam> params = new LinkedHashMap<>();
  private final Random rng;

  DagNnWriter(long seed) {
    rng = new Random(seed);
  }

  /** A parameter with random values in [lo, hi), dims as in MATLAB. */
  DagParam random(String name, float lo, float hi, int... dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + rng.nextFloat() * (hi - lo);
    }
    return param(name, dims, v);
  }

  DagParam param(String name, int[] dims, float[] columnMajor) {
    DagParam p = new DagParam(name, dims, columnMajor);
    params.put(name, p);
    return p;
  }

  DagNnWriter layer(String name, String type, List<String> inputs, String output, List<String> params,
      Map<String, Object> block) {
    layers.add(new LayerDef(name, type, inputs, List.of(output), params, block));
    return this;
  }

  /** A convolution; its filter h x w x in x out and bias get random values unless already defined. */
  DagNnWriter conv(String name, String in, String out, String prefix, int[] size, int[] pad, int[] stride) {
    if (!params.containsKey(prefix + "f")) {
      random(prefix + "f", -0.3f, 0.3f, size);
      random(prefix + "b", -0.5f, 0.5f, size[3], 1);
    }
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("size", size);
    block.put("hasBias", new int[] {1});
    block.put("pad", pad);
    block.put("stride", stride);
    block.put("dilate", new int[] {1, 1});
    return layer(name, "dagnn.Conv", List.of(in), out, List.of(prefix + "f", prefix + "b"), block);
  }

  /** A batch norm with random multipliers, biases and moments [mean, sigma] unless already defined. */
  DagNnWriter batchNorm(String name, String in, String out, String prefix, int channels) {
    if (!params.containsKey(prefix + "m")) {
      random(prefix + "m", 0.5f, 1.5f, channels, 1);
      random(prefix + "b", -0.5f, 0.5f, channels, 1);
      float[] moments = new float[2 * channels];
      for (int c = 0; c < channels; c++) {
        moments[c] = -1f + 2f * rng.nextFloat();
        moments[channels + c] = 0.5f + rng.nextFloat();
      }
      param(prefix + "x", new int[] {channels, 2}, moments);
    }
    return layer(name, "dagnn.BatchNorm", List.of(in), out, List.of(prefix + "m", prefix + "b", prefix + "x"),
        Map.of("epsilon", new double[] {1e-5}));
  }

  DagNnWriter relu(String name, String in, String out, double leak) {
    return layer(name, "dagnn.ReLU", List.of(in), out, List.of(), Map.of("leak", new double[] {leak}));
  }

  DagNnWriter maxPool(String name, String in, String out, int[] poolSize, int[] pad, int[] stride) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("method", "max");
    block.put("poolSize", poolSize);
    block.put("pad", pad);
    block.put("stride", stride);
    return layer(name, "dagnn.Pooling", List.of(in), out, List.of(), block);
  }

  void write(Path file) {
    Struct layerArray = Mat5.newStruct(1, layers.size());
    for (int i = 0; i < layers.size(); i++) {
      LayerDef l = layers.get(i);
      layerArray.set("name", i, Mat5.newString(l.name()));
      layerArray.set("type", i, Mat5.newString(l.type()));
      layerArray.set("inputs", i, cell(l.inputs()));
      layerArray.set("outputs", i, cell(l.outputs()));
      layerArray.set("params", i, cell(l.params()));
      Struct block = Mat5.newStruct();
      l.block().forEach((k, v) -> block.set(k, value(v)));
      block.set("opts", Mat5.newCell(0, 0));
      layerArray.set("block", i, block);
    }
    Struct paramArray = Mat5.newStruct(1, params.size());
    int i = 0;
    for (DagParam p : params.values()) {
      Matrix m = Mat5.newMatrix(p.dims(), MatlabType.Single);
      for (int k = 0; k < p.size(); k++) {
        m.setFloat(k, p.values()[k]);
      }
      paramArray.set("name", i, Mat5.newString(p.name()));
      paramArray.set("value", i, m);
      i++;
    }
    Struct net = Mat5.newStruct();
    net.set("vars", Mat5.newStruct(0, 0));
    net.set("params", paramArray);
    net.set("layers", layerArray);
    net.set("meta", Mat5.newStruct(0, 0));
    try (Mat5File mat = Mat5.newMatFile()) {
      mat.addArray("net", net);
      Mat5.writeToFile(mat, file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Cell cell(List<String> names) {
    Cell c = Mat5.newCell(1, names.size());
    for (int i = 0; i < names.size(); i++) {
      c.set(i, Mat5.newString(names.get(i)));
    }
    return c;
  }

  private static Array value(Object v) {
    if (v instanceof String s) {
      return Mat5.newString(s);
    }
    double[] d = v instanceof int[] ints ? java.util.Arrays.stream(ints).asDoubleStream().toArray() : (double[]) v;
    Matrix m = Mat5.newMatrix(1, d.length);
    for (int i = 0; i < d.length; i++) {
      m.setDouble(i, d[i]);
    }
    return m;
  }
}
