package io.argus.models.data;

import io.argus.models.train.PairSource;
import io.argus.models.train.TrainingPair;
import java.util.List;
import java.util.SplittableRandom;

/** Draws each pair from one of several sources with fixed odds (e.g. 70% footage, 30% scenes). */
public final class MixedPairSource implements PairSource {

  private final List<PairSource> sources;
  private final double[] cumulative;

  public MixedPairSource(List<PairSource> sources, List<Double> weights) {
    if (sources.isEmpty() || sources.size() != weights.size()) {
      throw new IllegalArgumentException("need one weight per source, got " + sources.size() + " sources and " + weights.size() + " weights");
    }
    this.sources = List.copyOf(sources);
    this.cumulative = new double[weights.size()];
    double sum = 0;
    for (int i = 0; i < weights.size(); i++) {
      double w = weights.get(i);
      if (!(w >= 0)) {
        throw new IllegalArgumentException("weights must be >= 0, got " + w);
      }
      sum += w;
      cumulative[i] = sum;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("at least one weight must be positive");
    }
  }

  @Override
  public TrainingPair next(SplittableRandom rng) {
    double pick = rng.nextDouble() * cumulative[cumulative.length - 1];
    int i = 0;
    while (i < cumulative.length - 1 && cumulative[i] <= pick) {
      i++;
    }
    return sources.get(i).next(rng);
  }
}
