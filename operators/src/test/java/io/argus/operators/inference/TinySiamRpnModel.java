package io.argus.operators.inference;

import io.argus.models.siamrpn.SiamRpnConfig;
import io.argus.models.siamrpn.SiamRpnNet;
import io.argus.models.siamrpn.SiamRpnWeights;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small seeded SiamRPN (pysot alex geometry, every width 8, 5 anchors) exported as a real
 * SavedModel. Untrained: it exercises the plumbing, it does not track.
 */
public final class TinySiamRpnModel {

  public static final long SEED = 11;

  private TinySiamRpnModel() {}

  public static Path export(Path dir) {
    SiamRpnNet.export(dir, "tiny-siamrpn", SiamRpnConfig.TINY, SiamRpnWeights.random(SiamRpnConfig.TINY, SEED),
        Map.of("made-by", "TinySiamRpnModel (test), seed " + SEED));
    return dir;
  }
}
