package io.argus.models.export;

import io.argus.models.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes a model directory: a SavedModel (tag {@code serve}) with the {@value ModelSpec#TEMPLATE}
 * and {@value ModelSpec#TRACK} signatures, plus {@value ModelSpec#FILE_NAME} beside it.
 *
 * <p>Shared by every graph builder (SiamFC trained here, imported ONNX or MatConvNet weights):
 * build an inference graph, open a session on it, name the endpoints, call {@link #export}.
 * Export an inference graph only, never a training session: its optimiser slots and training
 * ops would ride along. Weights may be constants (nothing to initialise) or variables that the
 * session has already initialised.
 *
 * <pre>{@code
 * Signature template = SavedModelExport.signature(ModelSpec.TEMPLATE,
 *     Map.of(ModelSpec.EXEMPLAR, exemplarPlaceholder), Map.of(ModelSpec.EMBEDDING, embeddingOut));
 * Signature track = SavedModelExport.signature(ModelSpec.TRACK,
 *     Map.of(ModelSpec.EMBEDDING, embeddingPlaceholder, ModelSpec.INSTANCE, instancePlaceholder),
 *     Map.of("response", responseOut));
 * SavedModelExport.export(dir, session, spec, template, track);
 * }</pre>
 */
public final class SavedModelExport {

  private SavedModelExport() {}

  /** A signature from named endpoints (iteration order of the maps is kept). */
  public static Signature signature(String key, Map<String, ? extends Operand<?>> inputs,
      Map<String, ? extends Operand<?>> outputs) {
    Signature.Builder b = Signature.builder().key(key);
    inputs.forEach(b::input);
    outputs.forEach(b::output);
    return b.build();
  }

  /**
   * Writes the SavedModel and the metadata into {@code dir} (created if needed; an earlier
   * SavedModel and metadata there are replaced, anything else is left alone).
   *
   * @throws IllegalArgumentException when the signatures do not match the model contract: a
   *     {@value ModelSpec#TEMPLATE} signature from {@value ModelSpec#EXEMPLAR} to
   *     {@value ModelSpec#EMBEDDING}, a {@value ModelSpec#TRACK} signature from
   *     {@value ModelSpec#EMBEDDING} and {@value ModelSpec#INSTANCE} to every output in
   *     {@code spec.outputs()}
   */
  public static void export(Path dir, Session session, ModelSpec spec, Signature... signatures) {
    checkContract(spec, signatures);
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve("saved_model.pb"));
      deleteRecursively(dir.resolve("variables"));
      List<SessionFunction> functions = new ArrayList<>();
      for (Signature s : signatures) {
        functions.add(SessionFunction.create(s, session));
      }
      SavedModelBundle.exporter(dir.toString())
          .withTags(SavedModelBundle.DEFAULT_TAG)
          .withFunctions(functions.toArray(SessionFunction[]::new))
          .export();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the SavedModel to " + dir, e);
    }
    spec.write(dir);
  }

  private static void checkContract(ModelSpec spec, Signature[] signatures) {
    Signature template = find(signatures, ModelSpec.TEMPLATE);
    Signature track = find(signatures, ModelSpec.TRACK);
    require(template.inputNames().contains(ModelSpec.EXEMPLAR), template, "input", ModelSpec.EXEMPLAR);
    require(template.outputNames().contains(ModelSpec.EMBEDDING), template, "output", ModelSpec.EMBEDDING);
    require(track.inputNames().contains(ModelSpec.EMBEDDING), track, "input", ModelSpec.EMBEDDING);
    require(track.inputNames().contains(ModelSpec.INSTANCE), track, "input", ModelSpec.INSTANCE);
    for (String out : spec.outputs().keySet()) {
      require(track.outputNames().contains(out), track, "output", out);
    }
  }

  private static Signature find(Signature[] signatures, String key) {
    for (Signature s : signatures) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("a model needs a '" + key + "' signature; got "
        + Stream.of(signatures).map(Signature::key).toList());
  }

  private static void require(boolean ok, Signature s, String what, String name) {
    if (!ok) {
      throw new IllegalArgumentException("signature '" + s.key() + "' lacks the " + what + " '" + name
          + "' the model contract needs (inputs " + s.inputNames() + ", outputs " + s.outputNames() + ")");
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
