package io.argus.operators.core;

import io.argus.models.ModelSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Registry from a model's family (its metadata) to the tracker that reads its outputs. Adding a
 * family means one Tracker class and one line here; nothing in the Flink code changes.
 */
public final class Trackers {

  private static final Map<String, Function<ModelSpec, Tracker>> FAMILIES = new TreeMap<>(Map.of(
      "siamfc", SiamFcTracker::new,
      // CFNet tracks exactly like SiamFC (scale pyramid, upsampled response, cosine window)
      "cfnet", SiamFcTracker::new,
      "nanotrack", NanoTrackTracker::new,
      "siamrpn", SiamRpnTracker::new));

  private Trackers() {}

  /** The families a tracker exists for. */
  public static Set<String> families() {
    return FAMILIES.keySet();
  }

  public static Tracker forSpec(ModelSpec spec) {
    String family = spec.family() == null ? "" : spec.family().toLowerCase(Locale.ROOT);
    Function<ModelSpec, Tracker> make = FAMILIES.get(family);
    if (make == null) {
      throw new IllegalArgumentException("no tracker for model family '" + spec.family() + "' of model '" + spec.name()
          + "'; known families: " + FAMILIES.keySet() + " (the family comes from " + ModelSpec.FILE_NAME + ")");
    }
    return make.apply(spec);
  }
}
