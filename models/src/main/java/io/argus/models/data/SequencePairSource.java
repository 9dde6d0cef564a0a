package io.argus.models.data;

import io.argus.models.image.RgbImage;
import io.argus.models.train.PairSource;
import io.argus.models.train.TrainingPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training pairs from annotated footage (OTB or GOT-10k folders): an exemplar frame and a search
 * frame of the same sequence at most {@code maxGap} frames apart, both with a valid box.
 * Frames are read and decoded on demand, so memory stays flat whatever the dataset size.
 */
public final class SequencePairSource implements PairSource {

  private final List<Sequence> sequences;
  private final int[][] validFrames;
  private final long[] cumulative;
  private final int maxGap;
  private final PairSettings settings;

  public SequencePairSource(List<Sequence> sequences, int maxGap, PairSettings settings) {
    if (maxGap < 1) {
      throw new IllegalArgumentException("maxGap must be >= 1, got " + maxGap);
    }
    this.maxGap = maxGap;
    this.settings = settings;
    List<Sequence> usable = new ArrayList<>();
    List<int[]> valid = new ArrayList<>();
    for (Sequence s : sequences) {
      int[] v = java.util.stream.IntStream.range(0, s.size()).filter(i -> s.truth(i).isValid()).toArray();
      if (v.length >= 2) {
        usable.add(s);
        valid.add(v);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no sequence has two or more annotated frames to pair (got " + sequences.size() + " sequences)");
    }
    this.sequences = List.copyOf(usable);
    this.validFrames = valid.toArray(new int[0][]);
    this.cumulative = new long[validFrames.length];
    long sum = 0;
    for (int i = 0; i < validFrames.length; i++) {
      sum += validFrames[i].length;
      cumulative[i] = sum;
    }
  }

  /** Every sequence under each path (a sequence folder or a folder of them), gaps up to 100 frames. */
  public static SequencePairSource open(List<Path> paths) {
    List<Sequence> all = new ArrayList<>();
    for (Path p : paths) {
      all.addAll(Sequence.openAll(p));
    }
    return new SequencePairSource(all, 100, PairSettings.siamfc());
  }

  public List<Sequence> sequences() {
    return sequences;
  }

  @Override
  public TrainingPair next(SplittableRandom rng) {
    // long sequences weigh more: each annotated frame is equally likely to be the exemplar
    long pick = rng.nextLong(cumulative[cumulative.length - 1]);
    int si = 0;
    while (cumulative[si] <= pick) {
      si++;
    }
    Sequence s = sequences.get(si);
    int[] valid = validFrames[si];
    int a = rng.nextInt(valid.length);
    int t = valid[a];
    int t2 = partner(s, valid, a, rng);
    RgbImage z = s.image(t);
    RgbImage x = t2 == t ? z : s.image(t2);
    return SiamesePairs.cut(z, s.truth(t), x, s.truth(t2), settings, rng);
  }

  /** A valid frame within maxGap of valid[a], other than it when the sequence allows. */
  private int partner(Sequence s, int[] valid, int a, SplittableRandom rng) {
    int t = valid[a];
    for (int tries = 0; tries < 16; tries++) {
      int gap = 1 + rng.nextInt(maxGap);
      int t2 = rng.nextBoolean() ? t + gap : t - gap;
      if (t2 >= 0 && t2 < s.size() && s.truth(t2).isValid()) {
        return t2;
      }
    }
    // sparse annotation: fall back to the nearest annotated neighbour
    return a + 1 < valid.length ? valid[a + 1] : valid[a - 1];
  }
}
