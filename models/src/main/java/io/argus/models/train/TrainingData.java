package io.argus.models.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Assembles the pair source of a training run from the command line's data choices. */
public final class TrainingData {

  private TrainingData() {}

  /** Generated scenes, sequences from the given folders, or an even mix of both. */
  public static PairSource source(boolean scenes, List<Path> sequences) {
    List<PairSource> parts = new ArrayList<>();
    if (scenes) {
      throw new UnsupportedOperationException("scene pairs: waiting for the data branch");
    }
    if (!sequences.isEmpty()) {
      throw new UnsupportedOperationException("sequence pairs: waiting for the data branch");
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

  /** Each pair from one of the sources, chosen uniformly by the pair's own rng. */
  public static PairSource mix(List<PairSource> sources) {
    if (sources.size() == 1) {
      return sources.get(0);
    }
    List<PairSource> copy = List.copyOf(sources);
    return (SplittableRandom rng) -> copy.get(rng.nextInt(copy.size())).next(rng);
  }
}
