package io.argus.models.matconvnet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One layer of a MatConvNet DagNN ({@code net.layers(i)}): its block type ({@code dagnn.Conv},
 * {@code dagnn.BatchNorm}, {@code XCorr}, ...), the variables it reads and writes, the names of
 * its parameters, and the block's options (numeric ones as double arrays, text ones as strings).
 */
public record DagLayer(
    String name,
    String type,
    List<String> inputs,
    List<String> outputs,
    List<String> params,
    Map<String, double[]> numbers,
    Map<String, String> texts) {

  public DagLayer {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    params = List.copyOf(params);
    numbers = Map.copyOf(numbers);
    texts = Map.copyOf(texts);
  }

  /** A numeric block option; a clear error names the layer when it is missing. */
  public double[] numbers(String key) {
    double[] v = numbers.get(key);
    if (v == null) {
      throw new IllegalArgumentException("layer '" + name + "' (" + type + ") has no option '" + key + "'; it has "
          + numbers.keySet() + " " + texts.keySet());
    }
    return v;
  }

  public double[] numbers(String key, double... fallback) {
    double[] v = numbers.get(key);
    return v == null || v.length == 0 ? fallback : v;
  }

  /** A scalar numeric option with a default where the block does not set it. */
  public double number(String key, double fallback) {
    double[] v = numbers.get(key);
    return v == null || v.length == 0 ? fallback : v[0];
  }

  /**
   * A MatConvNet size option as exactly {@code n} integers: a scalar applies to all
   * (MatConvNet's {@code stride = 2} means [2 2], {@code pad = 1} means [1 1 1 1]).
   */
  public int[] ints(String key, int n, int fallback) {
    double[] v = numbers.get(key);
    if (v == null || v.length == 0) {
      int[] out = new int[n];
      Arrays.fill(out, fallback);
      return out;
    }
    if (v.length != 1 && v.length != n) {
      throw new IllegalArgumentException("layer '" + name + "' option '" + key + "' has " + v.length
          + " values; MatConvNet takes 1 or " + n);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      double d = v.length == 1 ? v[0] : v[i];
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException("layer '" + name + "' option '" + key + "' must be whole numbers, got "
            + Arrays.toString(v));
      }
      out[i] = (int) d;
    }
    return out;
  }

  public String text(String key, String fallback) {
    return texts.getOrDefault(key, fallback);
  }

  @Override
  public String toString() {
    return name + " (" + type + ") " + inputs + " -> " + outputs + (params.isEmpty() ? "" : " params " + params);
  }
}
