package io.argus.models.train;

import io.argus.models.data.MixedPairSource;
import io.argus.models.data.ScenePairSource;
import io.argus.models.data.SequencePairSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Assembles the pair source of a training run from the command line's data choices. */
public final class TrainingData {

  private TrainingData() {}

  /**
   * Generated scenes (a pool seeded by {@code sceneSeed}: another seed gives other scenes, i.e.
   * held-out data), sequences from the given folders, or an even mix of both.
   */
  public static PairSource source(boolean scenes, List<Path> sequences, long sceneSeed) {
    List<PairSource> parts = new ArrayList<>();
    if (scenes) {
      parts.add(ScenePairSource.hard(sceneSeed));
    }
    if (!sequences.isEmpty()) {
      parts.add(SequencePairSource.open(sequences));
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no training data: give generated scenes, sequence folders, or both");
    }
    return mix(parts);
  }

  public static String describe(boolean scenes, List<Path> sequences) {
    List<String> d = new ArrayList<>();
    if (scenes) {
      d.add("generated scenes");
    }
    if (!sequences.isEmpty()) {
      d.add("sequences " + sequences);
    }
    return String.join(" + ", d);
  }

  /** Each pair from one of the sources, chosen with equal probability. */
  public static PairSource mix(List<PairSource> sources) {
    if (sources.size() == 1) {
      return sources.get(0);
    }
    return new MixedPairSource(sources, sources.stream().map(s -> 1.0).toList());
  }
}
