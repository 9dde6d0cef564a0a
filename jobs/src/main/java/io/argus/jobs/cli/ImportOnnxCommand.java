package io.argus.jobs.cli;

import io.argus.models.ModelSpec;
import io.argus.models.nanotrack.NanoTrackHyper;
import io.argus.models.nanotrack.NanoTrackImport;
import io.argus.models.nanotrack.NetworkInput;
import io.argus.models.onnx.OnnxImportException;
import io.argus.models.siamrpn.SiamRpnImport;
import io.argus.models.siamrpn.SiamRpnNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus import-onnx}: a NanoTrack backbone + head ONNX pair, or pysot's SiamRPN template +
 * search ONNX pair, into a model directory.
 */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
    description = {
        "Import ONNX weights as a model directory: a TensorFlow SavedModel with the batched 'template' and 'track'",
        "signatures plus argus-model.json. --family nanotrack (default): NanoTrack backbone + head (v1/v2/v3).",
        "--family siamrpn: pysot's SiamRPN exported as a template graph (z -> zf) and a search graph",
        "(zf, x -> cls, loc); README, 'SiamRPN', has the export snippet."})
public final class ImportOnnxCommand implements Callable<Integer> {

  /** Which tracker the ONNX files belong to. */
  public enum Family { NANOTRACK, SIAMRPN }

  @Option(names = "--family", paramLabel = "FAMILY", defaultValue = "NANOTRACK",
      description = "Tracker family of the files: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Family family;

  @Option(names = "--backbone", paramLabel = "FILE",
      description = "nanotrack: backbone ONNX file (e.g. nanotrack_v2_backbone_sim.onnx)")
  Path backbone;

  @Option(names = "--head", paramLabel = "FILE",
      description = "nanotrack: head ONNX file (e.g. nanotrack_v2_head_sim.onnx)")
  Path head;

  @Option(names = "--template", paramLabel = "FILE",
      description = "siamrpn: template-branch ONNX file (z -> zf)")
  Path template;

  @Option(names = "--search", paramLabel = "FILE",
      description = "siamrpn: search-branch ONNX file (zf, x -> cls, loc)")
  Path search;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write")
  Path out;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Model name carried on every track update (default: from the first file's name)")
  String name;

  @Option(names = "--network-input", paramLabel = "ORDER",
      description = "Channel order the network is fed: ${COMPLETION-CANDIDATES} (default RGB for nanotrack, as OpenCV"
          + " TrackerNano; BGR for siamrpn, as pysot)")
  NetworkInput networkInput;

  @Option(names = "--hyper", paramLabel = "PRESET",
      description = "nanotrack tracker hyper-parameters: ${COMPLETION-CANDIDATES} (default OPENCV); siamrpn always"
          + " records pysot's alex defaults (override them with the tracker.hyper.* settings)")
  NanoTrackHyper hyper;

  @Override
  public Integer call() {
    Path first = family == Family.SIAMRPN ? template : backbone;
    Path second = family == Family.SIAMRPN ? search : head;
    String firstOpt = family == Family.SIAMRPN ? "--template" : "--backbone";
    String secondOpt = family == Family.SIAMRPN ? "--search" : "--head";
    if (first == null || second == null) {
      System.err.println("import-onnx: --family " + family.name().toLowerCase() + " needs " + firstOpt + " FILE and "
          + secondOpt + " FILE");
      return 2;
    }
    if (family == Family.SIAMRPN && (backbone != null || head != null || hyper != null)) {
      System.err.println("import-onnx: --backbone, --head and --hyper belong to --family nanotrack; SiamRPN takes"
          + " --template and --search");
      return 2;
    }
    if (family == Family.NANOTRACK && (template != null || search != null)) {
      System.err.println("import-onnx: --template and --search belong to --family siamrpn");
      return 2;
    }
    for (Path f : new Path[] {first, second}) {
      if (!Files.isRegularFile(f)) {
        System.err.println("import-onnx: no such file " + f.toAbsolutePath());
        return 2;
      }
    }
    try {
      ModelSpec spec = family == Family.SIAMRPN
          ? SiamRpnImport.export(template, search, out, new SiamRpnImport.Options(name,
              networkInput == null ? NetworkInput.BGR : networkInput, SiamRpnNet.defaultHyper()))
          : NanoTrackImport.export(backbone, head, out, new NanoTrackImport.Options(name,
              networkInput == null ? NetworkInput.RGB : networkInput, hyper == null ? NanoTrackHyper.OPENCV : hyper));
      System.out.printf("wrote %s: %s '%s', embedding %s, outputs %s, hyper %s%n", out.toAbsolutePath(), spec.family(),
          spec.name(), spec.embeddingShape(), spec.outputs(), spec.hyper());
      return 0;
    } catch (OnnxImportException e) {
      System.err.println("import-onnx: " + e.getMessage());
      return 1;
    }
  }
}
