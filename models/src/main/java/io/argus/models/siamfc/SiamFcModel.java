package io.argus.models.siamfc;

import io.argus.models.ModelSpec;
import io.argus.models.export.SavedModelExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** A SiamFC model directory: the inference graph exported with its {@link ModelSpec}. */
public final class SiamFcModel {

  public static final String FAMILY = "siamfc";

  private SiamFcModel() {}

  /**
   * SiamFC's tracking hyper-parameters as the paper's tracker (siamese-fc tracker.m) and
   * siamfc-pytorch set them: 3 scales 1.0375^{-1,0,1}, scale penalty 0.9745, scale learning rate
   * 0.59, window influence 0.176, the 17x17 response upsampled 16x.
   */
  public static Map<String, Double> defaultHyper() {
    Map<String, Double> hyper = new LinkedHashMap<>();
    hyper.put("contextAmount", 0.5);
    hyper.put("scaleNum", 3.0);
    hyper.put("scaleStep", 1.0375);
    hyper.put("scalePenalty", 0.9745);
    hyper.put("scaleLr", 0.59);
    hyper.put("windowInfluence", 0.176);
    hyper.put("responseUpsample", 16.0);
    return hyper;
  }

  /**
   * The metadata of a SiamFC model: sizes and stride of the paper, the embedding shape of the
   * given widths, and siamfc-pytorch's tracking hyper-parameters.
   */
  public static ModelSpec spec(String name, BackboneConfig config, Map<String, String> provenance) {
    int h = SiamFcNet.featureSide(config, SiamFcNet.EXEMPLAR_SIZE);
    int score = SiamFcNet.scoreSize(config);
    Map<String, Double> hyper = defaultHyper();
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("backbone", config.text());
    if (provenance != null) {
      prov.putAll(provenance);
    }
    return new ModelSpec(FAMILY, name, SiamFcNet.EXEMPLAR_SIZE, SiamFcNet.INSTANCE_SIZE, score,
        SiamFcNet.TOTAL_STRIDE, List.of(h, h, config.embeddingChannels()), Map.of("response", List.of(score, score)),
        hyper, prov);
  }

  /**
   * Exports weights (training form, batch norm folded here, or already folded) as a model
   * directory: a separate graph holding the weights as constants, never a training session.
   */
  public static void export(Path dir, BackboneConfig config, SiamFcWeights weights, String name,
      Map<String, String> provenance) {
    Layer first = Layer.of(config).get(0);
    SiamFcWeights folded = weights.has(first.gamma())
        ? weights.foldBatchNorm(config, SiamFcNet.BN_EPSILON) : weights;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SiamFcNet.Endpoints e = SiamFcNet.inference(tf, config, folded, SiamFcNet.BatchNorm.FOLDED);
      SavedModelExport.export(dir, s, spec(name, config, provenance),
          SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, e.exemplar()),
              Map.of(ModelSpec.EMBEDDING, e.templateEmbedding())),
          SavedModelExport.signature(ModelSpec.TRACK,
              Map.of(ModelSpec.EMBEDDING, e.embedding(), ModelSpec.INSTANCE, e.instance()),
              Map.of("response", e.response())));
    }
  }
}
