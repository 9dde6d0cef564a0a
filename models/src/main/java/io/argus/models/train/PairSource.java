package io.argus.models.train;

import java.util.SplittableRandom;

/** Where training pairs come from: generated scenes, OTB or GOT-10k sequences, or a mix. */
public interface PairSource {

  /** A fresh pair; implementations must be safe to call from several threads with their own rng. */
  TrainingPair next(SplittableRandom rng);
}
