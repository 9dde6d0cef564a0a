package io.argus.operators.inference;

import io.argus.models.siammask.SiamMaskConfig;
import io.argus.models.siammask.SiamMaskNet;
import java.nio.file.Path;

/**
 * A tiny seeded SiamMask (pysot's siammask_r50_l3 geometry, widths 2 to 8) exported as a real
 * SavedModel with its template, track and mask signatures. Untrained: plumbing, not tracking.
 */
public final class TinySiamMaskModel {

  public static final long SEED = 23;

  private TinySiamMaskModel() {}

  public static Path export(Path dir) {
    SiamMaskNet.export(dir, SiamMaskConfig.tiny(), SEED, "tiny-siammask");
    return dir;
  }
}
