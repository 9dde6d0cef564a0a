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
}
