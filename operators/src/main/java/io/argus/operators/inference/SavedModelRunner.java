package io.argus.operators.inference;

import io.argus.models.ModelSpec;
import io.argus.operators.core.SiameseModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model directory (SavedModel + {@value ModelSpec#FILE_NAME}) behind the {@link SiameseModel}
 * interface: loads the SavedModel once and calls its {@code template} and {@code track}
 * signatures.
 *
 * <p>Signatures do not check shapes (a wrong-size crop silently gives a wrong-size answer), so
 * every input is checked here against the metadata and rejected with an
 * {@link IllegalArgumentException}; outputs are checked for shape and for NaN/Inf
 * ({@link ModelOutputException}). Every Tensor and Result is closed: TensorFlow's native memory
 * is not reclaimed by the garbage collector.
 *
 * <p>Thread-safety: safe for concurrent calls. The runner keeps no mutable Java state and a
 * TensorFlow session supports concurrent runs; {@link #close()} waits for runs in flight. In
 * Flink, load one runner per operator instance (task slot) in {@code open()} and close it in
 * {@code close()}: each runner holds its own copy of the weights.
 */
public final class SavedModelRunner implements SiameseModel {

  private final Path dir;
  private final ModelSpec spec;
  private final SavedModelBundle bundle;
  private final SessionFunction templateFn;
  private final SessionFunction trackFn;
  /** The optional mask signature (SiamMask); null when the SavedModel has none. */
  private final SessionFunction maskFn;
  private final long[] embeddingShape;
  private final Map<String, long[]> outputShapes = new LinkedHashMap<>();

  private SavedModelRunner(Path dir, ModelSpec spec, SavedModelBundle bundle) {
    this.dir = dir;
    this.spec = spec;
    this.bundle = bundle;
    this.templateFn = signature(ModelSpec.TEMPLATE, Set.of(ModelSpec.EXEMPLAR), List.of(ModelSpec.EMBEDDING));
    this.trackFn = signature(ModelSpec.TRACK, Set.of(ModelSpec.EMBEDDING, ModelSpec.INSTANCE),
        new ArrayList<>(spec.outputs().keySet()));
    this.maskFn = bundle.signatures().stream().anyMatch(s -> s.key().equals(ModelSpec.MASK))
        ? signature(ModelSpec.MASK, Set.of(ModelSpec.EMBEDDING, ModelSpec.INSTANCE, ModelSpec.POSITION),
            List.of(ModelSpec.MASK))
        : null;
    this.embeddingShape = spec.embeddingShape().stream().mapToLong(Integer::longValue).toArray();
    spec.outputs().forEach((name, shape) -> outputShapes.put(name, shape.stream().mapToLong(Integer::longValue).toArray()));
  }

  /** Loads with TensorFlow's default thread pools (as many threads as cores). */
  public static SavedModelRunner load(Path modelDir) {
    return load(modelDir, 0, 0);
  }

  /**
   * Loads the model directory.
   *
   * @param intraOpThreads threads inside one op (0 = one per core); with several runners per
   *     machine, cores / runners avoids oversubscription. 1 is about twice as slow on 2 cores.
   * @param interOpThreads ops run in parallel (0 = TensorFlow's choice)
   */
  public static SavedModelRunner load(Path modelDir, int intraOpThreads, int interOpThreads) {
    ModelSpec spec = ModelSpec.read(modelDir);
    if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("no saved_model.pb in " + modelDir.toAbsolutePath()
          + ": the directory has model metadata but no SavedModel; export the model again");
    }
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        // several runners (task slots) may share one GPU: take memory as needed, not all of it up front
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
        .setAllowSoftPlacement(true)
        .build();
    SavedModelBundle bundle = SavedModelBundle.loader(modelDir.toString())
        .withTags(SavedModelBundle.DEFAULT_TAG)
        .withConfigProto(config)
        .load();
    try {
      return new SavedModelRunner(modelDir, spec, bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private SessionFunction signature(String key, Set<String> inputs, List<String> outputs) {
    List<String> keys = bundle.signatures().stream().map(Signature::key).collect(Collectors.toList());
    if (!keys.contains(key)) {
      throw new IllegalArgumentException("SavedModel in " + dir + " has signatures " + keys + " but no '" + key
          + "' (the model contract needs '" + ModelSpec.TEMPLATE + "' and '" + ModelSpec.TRACK + "')");
    }
    SessionFunction fn = bundle.function(key);
    Signature sig = fn.signature();
    if (!sig.inputNames().equals(inputs) || !sig.outputNames().containsAll(outputs)) {
      throw new IllegalArgumentException("signature '" + key + "' of " + dir + " takes " + sig.inputNames()
          + " and gives " + sig.outputNames() + "; the contract (" + ModelSpec.FILE_NAME + ") needs inputs " + inputs
          + " and outputs " + outputs);
    }
    return fn;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public float[] template(float[] exemplars, int batch) {
    int z = spec.exemplarSize();
    Shape in = Shape.of(batch, z, z, 3);
    checkInput(ModelSpec.TEMPLATE, ModelSpec.EXEMPLAR, exemplars, batch, in);
    try (TFloat32 exemplar = TFloat32.tensorOf(in, DataBuffers.of(exemplars, true, false));
        Result result = templateFn.call(Map.of(ModelSpec.EXEMPLAR, exemplar))) {
      return read(ModelSpec.TEMPLATE, result, ModelSpec.EMBEDDING, batch, embeddingShape);
    }
  }

  @Override
  public Map<String, float[]> track(float[] embeddings, float[] instances, int batch) {
    int x = spec.instanceSize();
    Shape embShape = Shape.of(concat(batch, embeddingShape));
    Shape instShape = Shape.of(batch, x, x, 3);
    checkInput(ModelSpec.TRACK, ModelSpec.EMBEDDING, embeddings, batch, embShape);
    checkInput(ModelSpec.TRACK, ModelSpec.INSTANCE, instances, batch, instShape);
    try (TFloat32 embedding = TFloat32.tensorOf(embShape, DataBuffers.of(embeddings, true, false));
        TFloat32 instance = TFloat32.tensorOf(instShape, DataBuffers.of(instances, true, false));
        Result result = trackFn.call(Map.of(ModelSpec.EMBEDDING, embedding, ModelSpec.INSTANCE, instance))) {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, long[]> o : outputShapes.entrySet()) {
        out.put(o.getKey(), read(ModelSpec.TRACK, result, o.getKey(), batch, o.getValue()));
      }
      return out;
    }
  }

  @Override
  public boolean hasMask() {
    return maskFn != null;
  }

  @Override
  public float[] mask(float[] embeddings, float[] instances, int[] positions, int batch) {
    if (maskFn == null) {
      return SiameseModel.super.mask(embeddings, instances, positions, batch);
    }
    int x = spec.instanceSize();
    Shape embShape = Shape.of(concat(batch, embeddingShape));
    Shape instShape = Shape.of(batch, x, x, 3);
    checkInput(ModelSpec.MASK, ModelSpec.EMBEDDING, embeddings, batch, embShape);
    checkInput(ModelSpec.MASK, ModelSpec.INSTANCE, instances, batch, instShape);
    if (positions == null || positions.length != 2 * batch) {
      throw new IllegalArgumentException(ModelSpec.MASK + " input '" + ModelSpec.POSITION + "' of model '" + spec.name()
          + "': expected " + batch + " x 2 ints (row, column), got "
          + (positions == null ? "null" : positions.length + " ints"));
    }
    for (int p : positions) {
      if (p < 0 || p >= spec.scoreSize()) {
        throw new IllegalArgumentException(ModelSpec.MASK + " input '" + ModelSpec.POSITION + "' of model '"
            + spec.name() + "': cell " + Arrays.toString(positions) + " outside the " + spec.scoreSize() + " x "
            + spec.scoreSize() + " score map");
      }
    }
    try (TFloat32 embedding = TFloat32.tensorOf(embShape, DataBuffers.of(embeddings, true, false));
        TFloat32 instance = TFloat32.tensorOf(instShape, DataBuffers.of(instances, true, false));
        TInt32 position = TInt32.tensorOf(Shape.of(batch, 2), DataBuffers.of(positions, true, false));
        Result result = maskFn.call(Map.of(ModelSpec.EMBEDDING, embedding, ModelSpec.INSTANCE, instance,
            ModelSpec.POSITION, position))) {
      int z = spec.exemplarSize();
      return read(ModelSpec.MASK, result, ModelSpec.MASK, batch, new long[] {z, z});
    }
  }

  private void checkInput(String signature, String name, float[] values, int batch, Shape shape) {
    if (batch < 1) {
      throw new IllegalArgumentException(signature + ": batch must be at least 1, got " + batch);
    }
    if (values == null || values.length != shape.size()) {
      throw new IllegalArgumentException(signature + " input '" + name + "' of model '" + spec.name() + "': expected "
          + shape + " = " + shape.size() + " floats, got " + (values == null ? "null" : values.length + " floats")
          + (values == null || values.length % batch != 0 ? "" : " (" + values.length / batch + " per item)")
          + "; crop sizes and embedding shape come from " + ModelSpec.FILE_NAME);
    }
  }

  private float[] read(String signature, Result result, String name, int batch, long[] perItem) {
    Tensor t = result.get(name).orElseThrow(() -> new IllegalStateException(
        signature + " of " + dir + " returned no '" + name + "' (got " + result.keySet() + ")"));
    long[] expected = concat(batch, perItem);
    if (!(t instanceof TFloat32 f) || !Arrays.equals(t.shape().asArray(), expected)) {
      throw new IllegalStateException(signature + " output '" + name + "' of model '" + spec.name() + "' is "
          + t.dataType() + " " + t.shape() + ", but " + ModelSpec.FILE_NAME + " promises float " + Shape.of(expected)
          + ": the metadata does not describe this SavedModel");
    }
    float[] values = new float[Math.toIntExact(t.shape().size())];
    f.copyTo(DataBuffers.of(values, false, false));
    int perItemSize = values.length / batch;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        int item = i / perItemSize;
        throw new ModelOutputException(signature + " output '" + name + "' of model '" + spec.name() + "' holds "
            + values[i] + " at batch item " + item + " (index " + i % perItemSize + " of " + perItemSize
            + "): the input crop or the weights are broken", name, item);
      }
    }
    return values;
  }

  private static long[] concat(long batch, long[] perItem) {
    long[] s = new long[perItem.length + 1];
    s[0] = batch;
    System.arraycopy(perItem, 0, s, 1, perItem.length);
    return s;
  }

  @Override
  public void close() {
    bundle.close();
  }

  @Override
  public String toString() {
    return "SavedModelRunner[" + spec.family() + " '" + spec.name() + "' from " + dir + "]";
  }
}
