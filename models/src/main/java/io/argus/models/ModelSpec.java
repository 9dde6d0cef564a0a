package io.argus.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model contract: what sits beside a SavedModel in {@value #FILE_NAME}.
 *
 * <p>Signatures are batched over targets. {@value #TEMPLATE} takes {@value #EXEMPLAR}
 * (B x exemplarSize x exemplarSize x 3, RGB 0..255) and gives {@value #EMBEDDING}
 * (B x embeddingShape). {@value #TRACK} takes {@value #EMBEDDING} (one per search crop) and
 * {@value #INSTANCE} (B x instanceSize x instanceSize x 3) and gives the family's raw outputs,
 * named with their per-item shapes in {@code outputs} (SiamFC: {@code response} [17, 17]).
 * Every tracker constant lives in {@code hyper}, so the tracking core hard-codes none of them.
 *
 * @param family tracker family: siamfc, cfnet, nanotrack, siamrpn, siammask
 * @param name human-readable model name, carried on every TrackUpdate
 * @param exemplarSize side of the exemplar crop in pixels (127)
 * @param instanceSize side of the search crop in pixels (255)
 * @param scoreSize side of the raw score map (17 for SiamFC)
 * @param stride total stride of the backbone in pixels (8 for SiamFC)
 * @param embeddingShape per-target template embedding shape, height x width x channels
 * @param outputs raw outputs of {@value #TRACK} with their per-item shapes
 * @param hyper tracker hyper-parameters by name (contextAmount, windowInfluence, ...)
 * @param provenance how the model was made: command line, seed, source weights
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    String family,
    String name,
    int exemplarSize,
    int instanceSize,
    int scoreSize,
    int stride,
    List<Integer> embeddingShape,
    Map<String, List<Integer>> outputs,
    Map<String, Double> hyper,
    Map<String, String> provenance) {

  public static final String FILE_NAME = "argus-model.json";
  public static final String TEMPLATE = "template";
  public static final String TRACK = "track";
  public static final String EXEMPLAR = "exemplar";
  public static final String EMBEDDING = "embedding";
  public static final String INSTANCE = "instance";
  /**
   * Optional third signature of families that refine a mask at the cell the tracker chose
   * (SiamMask): {@value #EMBEDDING} + {@value #INSTANCE} + {@value #POSITION} (B x 2 int32, row
   * and column in the score map) to {@value #MASK} (B x exemplarSize x exemplarSize probabilities).
   */
  public static final String MASK = "mask";
  public static final String POSITION = "position";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ModelSpec {
    hyper = hyper == null ? Map.of() : new TreeMap<>(hyper);
    provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
    outputs = outputs == null ? Map.of() : new LinkedHashMap<>(outputs);
  }

  /** A hyper-parameter the tracker cannot run without: a clear error names the file's omission. */
  public double hyper(String key) {
    Double v = hyper.get(key);
    if (v == null) {
      throw new IllegalStateException("model '" + name + "' (" + family + ") has no hyper-parameter '" + key
          + "' in " + FILE_NAME + "; known: " + hyper.keySet());
    }
    return v;
  }

  public double hyper(String key, double fallback) {
    return hyper.getOrDefault(key, fallback);
  }

  /** The same model with these hyper-parameters in place of the metadata's. */
  public ModelSpec withHyper(Map<String, Double> newHyper) {
    return new ModelSpec(family, name, exemplarSize, instanceSize, scoreSize, stride, embeddingShape, outputs, newHyper,
        provenance);
  }

  /**
   * The same model with some hyper-parameters replaced (the job's {@code tracker.hyper.*}
   * settings). A name the model does not have is an error: it would otherwise be ignored silently.
   */
  public ModelSpec withHyperOverrides(Map<String, Double> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    Map<String, Double> merged = new TreeMap<>(hyper);
    for (Map.Entry<String, Double> o : overrides.entrySet()) {
      if (!hyper.containsKey(o.getKey())) {
        throw new IllegalArgumentException("model '" + name + "' has no hyper-parameter '" + o.getKey()
            + "'; its hyper-parameters are " + hyper.keySet());
      }
      merged.put(o.getKey(), o.getValue());
    }
    return withHyper(merged);
  }

  /**
   * Throws an IllegalArgumentException naming the model unless exemplar, instance and score sizes
   * and the stride are positive: every tracker's geometry divides by them.
   */
  public void requirePositiveGeometry() {
    if (exemplarSize < 1 || instanceSize < 1 || scoreSize < 1 || stride < 1) {
      throw new IllegalArgumentException("model '" + name + "' needs positive exemplarSize, instanceSize, "
          + "scoreSize and stride, got " + exemplarSize + ", " + instanceSize + ", " + scoreSize + ", " + stride);
    }
  }

  /** Number of floats in one target's template embedding. */
  public int embeddingSize() {
    return embeddingShape.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
  }

  public static ModelSpec read(Path modelDir) {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no " + FILE_NAME + " in " + modelDir.toAbsolutePath()
          + ": a model directory holds a SavedModel and this metadata file (see README, 'The model contract')");
    }
    try {
      return JSON.readValue(file.toFile(), ModelSpec.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Path modelDir) {
    try {
      Files.createDirectories(modelDir);
      JSON.writeValue(modelDir.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
