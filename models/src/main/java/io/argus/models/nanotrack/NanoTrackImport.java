package io.argus.models.nanotrack;

import io.argus.models.ModelSpec;
import io.argus.models.export.SavedModelExport;
import io.argus.models.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Turns a NanoTrack backbone + head ONNX pair into a model directory (SavedModel with the
 * {@code template} and {@code track} signatures, plus {@value ModelSpec#FILE_NAME}).
 */
public final class NanoTrackImport {

  /**
   * @param name model name carried on every track update; null: derived from the backbone file name
   * @param networkInput channel order the network is fed (RGB as OpenCV TrackerNano)
   * @param hyper tracker hyper-parameters to record in the metadata
   */
  public record Options(String name, NetworkInput networkInput, NanoTrackHyper hyper) {
    public static Options defaults() {
      return new Options(null, NetworkInput.RGB, NanoTrackHyper.OPENCV);
    }
  }

  private NanoTrackImport() {}

  /** Imports and exports; returns the metadata written beside the SavedModel. */
  public static ModelSpec export(Path backboneFile, Path headFile, Path outDir, Options options) {
    OnnxModel backbone = OnnxModel.read(backboneFile);
    OnnxModel head = OnnxModel.read(headFile);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      NanoTrackGraph net = NanoTrackGraph.build(Ops.create(g), backbone, head, options.networkInput());
      ModelSpec spec = spec(net, backboneFile, headFile, options);
      SavedModelExport.export(outDir, s, spec,
          SavedModelExport.signature(ModelSpec.TEMPLATE,
              Map.of(ModelSpec.EXEMPLAR, net.exemplar()), Map.of(ModelSpec.EMBEDDING, net.embedding())),
          SavedModelExport.signature(ModelSpec.TRACK,
              Map.of(ModelSpec.EMBEDDING, net.embeddingIn(), ModelSpec.INSTANCE, net.instance()),
              Map.of(NanoTrackGraph.CLS, net.cls(), NanoTrackGraph.LOC, net.loc())));
      return spec;
    }
  }

  static ModelSpec spec(NanoTrackGraph net, Path backboneFile, Path headFile, Options options) {
    int s = net.scoreSize();
    Map<String, List<Integer>> outputs = new LinkedHashMap<>();
    outputs.put(NanoTrackGraph.CLS, List.of(s, s, 2));
    outputs.put(NanoTrackGraph.LOC, List.of(s, s, 4));
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("importer", "argus import-onnx (io.argus.models.nanotrack.NanoTrackImport)");
    provenance.put("backbone", backboneFile.getFileName().toString());
    provenance.put("head", headFile.getFileName().toString());
    provenance.put("weightsLicence", "Apache-2.0 (NanoTrack)");
    provenance.put("networkInput", options.networkInput().name()
        + (options.networkInput() == NetworkInput.RGB
            ? " (as OpenCV TrackerNano: blobFromImage swapRB=true on its BGR frame)"
            : " (as the Python tracker: BGR crop as is; flipped inside the graph)"));
    provenance.put("hyper", options.hyper().name() + ": " + options.hyper().source());
    provenance.put("outputs", "cls: background/target logits (softmax channel 1 = target score); loc: exp-activated"
        + " distances (left, top, right, bottom) in search-crop pixels from grid point (i - S/2) * stride"
        + " around the crop centre");
    String name = options.name() != null ? options.name() : defaultName(backboneFile);
    return new ModelSpec("nanotrack", name, NanoTrackGraph.EXEMPLAR_SIZE, NanoTrackGraph.INSTANCE_SIZE, s,
        NanoTrackGraph.STRIDE, net.embeddingShape(), outputs, options.hyper().hyper(), provenance);
  }

  static String defaultName(Path backboneFile) {
    String f = backboneFile.getFileName().toString().replaceFirst("\\.onnx$", "");
    String n = f.replaceFirst("_?backbone.*$", "").replace('_', '-');
    return n.isEmpty() ? "nanotrack" : n;
  }
}
