package io.argus.models.cfnet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tracking settings a MatConvNet Siamese network was published with: crop sizes and the
 * hyper-parameters of {@code SiamFcTracker} (names as in {@code ModelSpec.hyper}).
 *
 * <p>CFNet (bertinetto/cfnet, {@code src/tracking/tracker.m}): a network with a correlation filter
 * ({@code join.method = 'corrfilt'}) takes a 255 x 255 exemplar as well as a 255 x 255 search
 * region; 3 scales, response upsampled 8 times, context 0.5, and the template averaged online
 * with rate {@code zLR}. Per network, {@code src/tracking/run_cfnet{1,2,3}_evaluation.m} set
 * scaleStep, scalePenalty, scaleLR, wInfluence and zLR ("hyper-parameters reported in
 * Supp.material for CVPR'17, Table 2"). SiamFC's own network ({@code 2016-08-17.net.mat},
 * bertinetto/siamese-fc {@code tracking/tracker.m}, SiamFC-3S): exemplar 127, search 255,
 * upsampling 16, no template update.
 *
 * @param exemplarSize side of the exemplar crop fed to the network
 * @param instanceSize side of the search crop
 * @param hyper tracker hyper-parameters (contextAmount, scaleNum, scaleStep, scalePenalty,
 *     scaleLr, windowInfluence, responseUpsample, templateLr)
 * @param source where these values come from, for the model's provenance
 */
public record TrackerSettings(int exemplarSize, int instanceSize, Map<String, Double> hyper, String source) {

  public TrackerSettings {
    hyper = new LinkedHashMap<>(hyper);
  }

  private static final String CFNET = "bertinetto/cfnet src/tracking/";

  /**
   * The published settings for a network file (matched by its name, e.g. {@code cfnet-conv2_e80.mat}),
   * or the defaults of the tracker that runs its kind ({@code correlationFilter}: CFNet's
   * tracker.m; otherwise SiamFC's) where the file is not one of the published networks.
   */
  public static TrackerSettings forNetwork(String fileName, boolean correlationFilter) {
    String f = fileName.toLowerCase(Locale.ROOT);
    if (f.startsWith("cfnet-conv1_e75")) {
      return cfnet(1.0355, 0.9825, 0.7, 0.2375, 0.0058, CFNET + "run_cfnet1_evaluation.m (CVPR'17 supp. Table 2)");
    }
    if (f.startsWith("cfnet-conv2_e80")) {
      return cfnet(1.0575, 0.9780, 0.52, 0.2625, 0.005, CFNET + "run_cfnet2_evaluation.m (CVPR'17 supp. Table 2)");
    }
    if (f.startsWith("baseline-conv3-on-cfnet-conv3_e100")) {
      return cfnet(1.034, 0.9820, 0.66, 0.27, 0.008, CFNET + "run_cfnet3_evaluation.m (CVPR'17 supp. Table 2)");
    }
    if (f.startsWith("baseline-conv5_e55")) {
      return withSizes(127, cfnetHyper(1.0470, 0.9825, 0.68, 0.175, 0.0102),
          CFNET + "run_baseline5_evaluation.m (CVPR'17 supp. Table 2)");
    }
    if (f.startsWith("2016-08-17")) {
      return siamFc("bertinetto/siamese-fc tracking/tracker.m defaults (SiamFC-3S)");
    }
    if (correlationFilter) {
      return cfnet(1.04, 0.97, 0.59, 0.25, 0.01, CFNET + "tracker.m defaults (network not among the published ones)");
    }
    return siamFc("bertinetto/siamese-fc tracking/tracker.m defaults (network not among the published ones)");
  }

  private static TrackerSettings cfnet(double scaleStep, double scalePenalty, double scaleLr, double windowInfluence,
      double templateLr, String source) {
    // corrfilt networks: exemplar and search crops are both 255 (tracker.m, join.method 'corrfilt')
    return withSizes(255, cfnetHyper(scaleStep, scalePenalty, scaleLr, windowInfluence, templateLr), source);
  }

  private static Map<String, Double> cfnetHyper(double scaleStep, double scalePenalty, double scaleLr,
      double windowInfluence, double templateLr) {
    Map<String, Double> h = new LinkedHashMap<>();
    h.put("contextAmount", 0.5);
    h.put("scaleNum", 3.0);
    h.put("scaleStep", scaleStep);
    h.put("scalePenalty", scalePenalty);
    h.put("scaleLr", scaleLr);
    h.put("windowInfluence", windowInfluence);
    h.put("responseUpsample", 8.0);
    h.put("templateLr", templateLr);
    return h;
  }

  private static TrackerSettings siamFc(String source) {
    Map<String, Double> h = io.argus.models.siamfc.SiamFcModel.defaultHyper();
    h.put("templateLr", 0.0);
    return withSizes(127, h, source);
  }

  private static TrackerSettings withSizes(int exemplarSize, Map<String, Double> hyper, String source) {
    return new TrackerSettings(exemplarSize, 255, hyper, source);
  }
}
