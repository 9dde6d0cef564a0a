package io.argus.operators.flink;

import io.argus.models.DefaultModel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the configured model path into a directory on this task manager. */
public final class ModelLocations {

  public static final String DEFAULT = "default";

  private ModelLocations() {}

  public static Path resolve(String modelPath) {
    if (modelPath == null || modelPath.isBlank() || DEFAULT.equals(modelPath)) {
      return DefaultModel.materialize();
    }
    Path dir = Path.of(modelPath);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model directory " + dir.toAbsolutePath() + " does not exist; pass "
          + "--model DIR (a SavedModel with argus-model.json) or 'default' for the packaged SiamFC model");
    }
    return dir;
  }
}
