package io.argus.jobs.bench;

import io.argus.models.DefaultModel;
import io.argus.models.ModelSpec;
import io.argus.models.nanotrack.NanoTrackHyper;
import io.argus.models.nanotrack.NanoTrackImport;
import io.argus.models.nanotrack.NetworkInput;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models the benchmarks run: the packaged default SiamFC, and NanoTrack v2 imported from the
 * shared ONNX weights (the same files OpenCV's TrackerNano loads) with OpenCV's tracker settings,
 * imported once into a cache folder.
 */
public final class BenchModels {

  public static final String V2_BACKBONE = "nanotrack_v2_backbone_sim.onnx";
  public static final String V2_HEAD = "nanotrack_v2_head_sim.onnx";

  private BenchModels() {}

  /** The shared reference data folder: the given one, else ../shared/data from here or the parent. */
  public static Path data(Path given) {
    if (given != null) {
      if (!Files.isDirectory(given)) {
        throw new IllegalArgumentException("--data " + given + " is not a folder: point it at the shared reference data "
            + "(sequences/, weights/nanotrack/)");
      }
      return given.toAbsolutePath().normalize();
    }
    for (Path p : new Path[] {Path.of("../shared/data"), Path.of("../../shared/data")}) {
      if (Files.isDirectory(p.resolve("sequences")) && Files.isDirectory(p.resolve("weights/nanotrack"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalArgumentException("the reference data (sequences/, weights/nanotrack/) is not at ../shared/data: "
        + "pass --data DIR");
  }

  public static Path nanoTrackWeights(Path data, String file) {
    Path p = data.resolve("weights/nanotrack").resolve(file);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("NanoTrack weights " + p + " are missing (see SOURCES.md in the data folder)");
    }
    return p;
  }

  /** NanoTrack v2 as a model directory under cacheDir, imported on first use (a few seconds). */
  public static Path nanoTrackV2(Path data, Path cacheDir, PrintStream log) {
    Path dir = cacheDir.resolve("nanotrack-v2");
    if (Files.isRegularFile(dir.resolve("saved_model.pb")) && Files.isRegularFile(dir.resolve(ModelSpec.FILE_NAME))) {
      return dir;
    }
    log.println("importing NanoTrack v2 from " + data.resolve("weights/nanotrack") + " into " + dir);
    NanoTrackImport.export(nanoTrackWeights(data, V2_BACKBONE), nanoTrackWeights(data, V2_HEAD), dir,
        new NanoTrackImport.Options("nanotrack-v2", NetworkInput.RGB, NanoTrackHyper.OPENCV));
    return dir;
  }

  public static Path siamFc() {
    return DefaultModel.materialize();
  }

  public static Path defaultCache() {
    return Path.of(System.getProperty("java.io.tmpdir"), "argus-bench-models");
  }
}
