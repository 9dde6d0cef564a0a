package io.argus.operators.core;

import io.argus.models.ModelSpec;
import java.util.List;
import java.util.Map;

/** Model metadata for tests: the SiamFC geometry (127 / 255 / 17 x 17 / stride 8) with chosen hyper-parameters. */
final class Specs {

  private Specs() {}

  static ModelSpec siamFc(Map<String, Double> hyper) {
    return new ModelSpec("siamfc", "test-siamfc", 127, 255, 17, 8, List.of(2, 2, 1),
        Map.of(SiamFcTracker.RESPONSE, List.of(17, 17)), hyper, Map.of());
  }

  /** NanoTrack geometry (127 / 255 / stride 16) with score size s (16 for v1/v2, 15 for v3). */
  static ModelSpec nanoTrack(int s, Map<String, Double> hyper) {
    return new ModelSpec("nanotrack", "test-nanotrack", 127, 255, s, 16, List.of(8, 8, 2),
        Map.of(NanoTrackTracker.CLS, List.of(s, s, 2), NanoTrackTracker.LOC, List.of(s, s, 4)), hyper, Map.of());
  }
}
