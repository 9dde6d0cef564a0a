package io.argus.models.siamfc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Named float tensors: the parameters of a SiamFC backbone (and, in a checkpoint, the
 * optimiser's slots), held in Java so that initialisation is seeded and reproducible,
 * checkpoints are a plain file, and batch norm can be folded before export.
 *
 * <p>Names follow {@link Layer}: {@code conv1/weights} (HWIO), {@code conv1/bias},
 * {@code conv1/bn/gamma|beta|mean|variance}. Training form: BN parameters on conv1..conv4, bias
 * on conv5. Inference form ({@link #foldBatchNorm}): weights and bias on every layer.
 */
public final class SiamFcWeights {

  /** A dense float tensor, row-major. */
  public record Tensor(long[] shape, float[] values) {
    public Tensor {
      long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      if (n != values.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got "
            + values.length);
      }
    }

    public Tensor copy() {
      return new Tensor(shape.clone(), values.clone());
    }
  }

  private static final int MAGIC = 0x41524757; // "ARGW"
  private static final int VERSION = 1;

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  public SiamFcWeights() {}

  /**
   * Fresh weights as siamfc-pytorch initialises them: Kaiming normal (fan-out, ReLU gain) for
   * convolutions, zero bias, batch norm gamma 1 and beta 0, population statistics 0 / 1.
   */
  public static SiamFcWeights initial(BackboneConfig config, long seed) {
    Random rng = new Random(seed);
    SiamFcWeights w = new SiamFcWeights();
    for (Layer l : Layer.of(config)) {
      long[] shape = l.weightShape();
      float[] values = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
      double std = Math.sqrt(2.0 / ((double) l.out() * l.kernel() * l.kernel()));
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (rng.nextGaussian() * std);
      }
      w.put(l.weights(), new Tensor(shape, values));
      if (l.batchNorm()) {
        w.put(l.gamma(), filled(l.out(), 1f));
        w.put(l.beta(), filled(l.out(), 0f));
        w.put(l.mean(), filled(l.out(), 0f));
        w.put(l.variance(), filled(l.out(), 1f));
      } else {
        w.put(l.bias(), filled(l.out(), 0f));
      }
    }
    return w;
  }

  /**
   * The inference form: each batch norm y = gamma (x - mean) / sqrt(var + eps) + beta folded
   * into the convolution before it, w' = w s and b' = beta - mean s with s = gamma / sqrt(var + eps)
   * per output channel.
   */
  public SiamFcWeights foldBatchNorm(BackboneConfig config, float epsilon) {
    SiamFcWeights folded = new SiamFcWeights();
    for (Layer l : Layer.of(config)) {
      Tensor w = require(l.weights());
      if (!l.batchNorm()) {
        folded.put(l.weights(), w.copy());
        folded.put(l.bias(), require(l.bias()).copy());
        continue;
      }
      float[] gamma = require(l.gamma()).values();
      float[] beta = require(l.beta()).values();
      float[] mean = require(l.mean()).values();
      float[] var = require(l.variance()).values();
      int out = l.out();
      float[] scale = new float[out];
      float[] bias = new float[out];
      for (int c = 0; c < out; c++) {
        scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + (double) epsilon));
        bias[c] = beta[c] - mean[c] * scale[c];
      }
      float[] fw = w.values().clone();
      for (int i = 0; i < fw.length; i++) {
        fw[i] *= scale[i % out]; // HWIO: output channel is the fastest axis
      }
      folded.put(l.weights(), new Tensor(w.shape().clone(), fw));
      folded.put(l.bias(), new Tensor(new long[] {out}, bias));
    }
    return folded;
  }

  public void put(String name, Tensor t) {
    tensors.put(name, t);
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  public Tensor get(String name) {
    return tensors.get(name);
  }

  public Tensor require(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("weights have no tensor '" + name + "'; they hold " + tensors.keySet());
    }
    return t;
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  /** Total number of floats. */
  public long size() {
    return tensors.values().stream().mapToLong(t -> t.values().length).sum();
  }

  /** Writes atomically (temp file + move) so a crash mid-write never leaves a torn checkpoint. */
  public void save(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
          out.writeUTF(e.getKey());
          long[] shape = e.getValue().shape();
          out.writeInt(shape.length);
          for (long d : shape) {
            out.writeLong(d);
          }
          for (float v : e.getValue().values()) {
            out.writeFloat(v);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write weights to " + file, e);
    }
  }

  public static SiamFcWeights load(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException(file + " is not an Argus weights file (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(file + " has weights format version " + version + ", this build reads "
            + VERSION);
      }
      int n = in.readInt();
      SiamFcWeights w = new SiamFcWeights();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        long[] shape = new long[in.readInt()];
        long count = 1;
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.readLong();
          count *= shape[d];
        }
        float[] values = new float[Math.toIntExact(count)];
        for (int k = 0; k < values.length; k++) {
          values[k] = in.readFloat();
        }
        w.put(name, new Tensor(shape, values));
      }
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read weights from " + file, e);
    }
  }

  private static Tensor filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return new Tensor(new long[] {n}, a);
  }
}
