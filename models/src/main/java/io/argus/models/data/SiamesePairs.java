package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.image.Crops;
import io.argus.models.image.RgbImage;
import io.argus.models.train.TrainingPair;
import java.util.SplittableRandom;

/** Cuts one exemplar/search pair from two annotated frames; shared by every pair source. */
final class SiamesePairs {

  private SiamesePairs() {}

  static TrainingPair cut(RgbImage exemplarFrame, Box exemplarBox, RgbImage searchFrame, Box searchBox, PairSettings s,
      SplittableRandom rng) {
    int ez = s.exemplarSize();
    int iz = s.instanceSize();
    double zSide = Crops.contextSide(exemplarBox.width(), exemplarBox.height(), s.context()) * jitter(rng, s.scaleJitter());
    float[] exemplar = Crops.cropAndResize(exemplarFrame, exemplarBox.cx(), exemplarBox.cy(), zSide, ez,
        exemplarFrame.meanColour());
    double xSide = Crops.contextSide(searchBox.width(), searchBox.height(), s.context()) * jitter(rng, s.scaleJitter())
        * iz / ez;
    float offsetX = (float) uniform(rng, s.maxShift());
    float offsetY = (float) uniform(rng, s.maxShift());
    // the crop centre moves opposite to where the target should appear in the crop
    double cropCx = searchBox.cx() - offsetX * xSide / iz;
    double cropCy = searchBox.cy() - offsetY * xSide / iz;
    float[] instance = Crops.cropAndResize(searchFrame, cropCx, cropCy, xSide, iz, searchFrame.meanColour());
    if (rng.nextDouble() < s.greyProbability()) {
      grey(exemplar);
      grey(instance);
    } else if (s.colourJitter() > 0) {
      gain(instance, 1 + uniform(rng, s.colourJitter()), 1 + uniform(rng, s.colourJitter()), 1 + uniform(rng, s.colourJitter()));
    }
    return new TrainingPair(exemplar, instance, offsetX, offsetY);
  }

  private static double jitter(SplittableRandom rng, double amount) {
    return amount == 0 ? 1 : 1 + uniform(rng, amount);
  }

  /** Uniform in [-amount, amount]. */
  static double uniform(SplittableRandom rng, double amount) {
    return amount == 0 ? 0 : (rng.nextDouble() * 2 - 1) * amount;
  }

  private static void grey(float[] crop) {
    for (int i = 0; i < crop.length; i += 3) {
      float y = 0.299f * crop[i] + 0.587f * crop[i + 1] + 0.114f * crop[i + 2];
      crop[i] = y;
      crop[i + 1] = y;
      crop[i + 2] = y;
    }
  }

  private static void gain(float[] crop, double r, double g, double b) {
    float[] k = {(float) r, (float) g, (float) b};
    for (int i = 0; i < crop.length; i++) {
      crop[i] = Math.min(255f, crop[i] * k[i % 3]);
    }
  }
}
