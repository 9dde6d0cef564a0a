package io.argus.jobs.cli;

import io.argus.models.ModelSpec;
import io.argus.models.nanotrack.NanoTrackHyper;
import io.argus.models.nanotrack.NanoTrackImport;
import io.argus.models.nanotrack.NetworkInput;
import io.argus.models.onnx.OnnxImportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argus import-onnx}: a NanoTrack backbone + head ONNX pair into a model directory. */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
    description = {
        "Import NanoTrack ONNX weights (backbone + head, v1/v2/v3) as a model directory:",
        "a TensorFlow SavedModel with the batched 'template' and 'track' signatures plus argus-model.json."})
public final class ImportOnnxCommand implements Callable<Integer> {

  @Option(names = "--backbone", required = true, paramLabel = "FILE",
      description = "Backbone ONNX file (e.g. nanotrack_v2_backbone_sim.onnx)")
  Path backbone;

  @Option(names = "--head", required = true, paramLabel = "FILE",
      description = "Head ONNX file (e.g. nanotrack_v2_head_sim.onnx)")
  Path head;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write")
  Path out;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Model name carried on every track update (default: from the backbone file name)")
  String name;

  @Option(names = "--network-input", paramLabel = "ORDER", defaultValue = "RGB",
      description = "Channel order the network is fed: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, as OpenCV TrackerNano)")
  NetworkInput networkInput;

  @Option(names = "--hyper", paramLabel = "PRESET", defaultValue = "OPENCV",
      description = "Tracker hyper-parameters: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  NanoTrackHyper hyper;

  @Override
  public Integer call() {
    for (Path f : new Path[] {backbone, head}) {
      if (!Files.isRegularFile(f)) {
        System.err.println("import-onnx: no such file " + f.toAbsolutePath());
        return 2;
      }
    }
    try {
      ModelSpec spec = NanoTrackImport.export(backbone, head, out, new NanoTrackImport.Options(name, networkInput, hyper));
      System.out.printf("wrote %s: %s '%s', embedding %s, outputs %s, hyper %s%n", out.toAbsolutePath(), spec.family(),
          spec.name(), spec.embeddingShape(), spec.outputs(), spec.hyper());
      return 0;
    } catch (OnnxImportException e) {
      System.err.println("import-onnx: " + e.getMessage());
      return 1;
    }
  }
}
