package io.argus.models.data;

/**
 * How SiamFC training pairs are cut: both crops use the exemplar context rule around their own
 * frame's target, so the target has the same size in both; the search crop is
 * instanceSize/exemplarSize times wider and shifted at random so the target is not always
 * central (the network must not learn "the answer is in the middle").
 *
 * @param exemplarSize exemplar crop side in pixels (127)
 * @param instanceSize search crop side in pixels (255)
 * @param context context amount of the exemplar region (0.5: side = sqrt((w+p)(h+p)), p = 0.5(w+h))
 * @param maxShift largest random offset of the target from the search crop centre, in crop pixels
 * @param scaleJitter relative jitter of each crop's side (0.05 = +/-5%)
 * @param greyProbability probability that both crops are turned grey
 * @param colourJitter relative per-channel gain jitter applied to the search crop only
 */
public record PairSettings(
    int exemplarSize, int instanceSize, double context, double maxShift, double scaleJitter, double greyProbability,
    double colourJitter) {

  public PairSettings {
    if (exemplarSize < 8 || instanceSize < exemplarSize) {
      throw new IllegalArgumentException("need 8 <= exemplarSize <= instanceSize, got " + exemplarSize + ", " + instanceSize);
    }
    if (!(context >= 0) || !(maxShift >= 0) || !(scaleJitter >= 0 && scaleJitter < 0.5)
        || !(greyProbability >= 0 && greyProbability <= 1) || !(colourJitter >= 0 && colourJitter < 1)) {
      throw new IllegalArgumentException("pair settings out of range: context >= 0, maxShift >= 0, scaleJitter in [0, 0.5), "
          + "greyProbability in [0, 1], colourJitter in [0, 1); got " + context + ", " + maxShift + ", " + scaleJitter + ", "
          + greyProbability + ", " + colourJitter);
    }
  }

  /** siamfc-pytorch-like defaults: 127/255, context 0.5, shift up to 12 px, +/-5% scale, 10% grey. */
  public static PairSettings siamfc() {
    return new PairSettings(127, 255, 0.5, 12, 0.05, 0.1, 0.1);
  }

  /** No randomness: centred search crop, exact scale, colour untouched (for tests and debugging). */
  public PairSettings exact() {
    return new PairSettings(exemplarSize, instanceSize, context, 0, 0, 0, 0);
  }

  public PairSettings withMaxShift(double px) {
    return new PairSettings(exemplarSize, instanceSize, context, px, scaleJitter, greyProbability, colourJitter);
  }
}
