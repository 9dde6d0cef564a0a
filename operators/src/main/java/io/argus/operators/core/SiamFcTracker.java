package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;
import java.util.Map;

/**
 * SiamFC (Bertinetto et al., ECCV 2016 workshops) as in siamfc-pytorch's {@code TrackerSiamFC}:
 * a pyramid of search regions around the last centre, each scored by cross-correlation with the
 * template; the response map upsampled bicubically, non-centre scales penalised, the best scale's
 * response normalised and mixed with a Hann window; the peak's displacement moves the centre and
 * the chosen scale updates the size with a learning rate.
 *
 * <p>Hyper-parameters (model metadata {@code hyper}, with siamfc-pytorch's defaults):
 * contextAmount 0.5, scaleNum 3, scaleStep 1.0375, scalePenalty 0.9745, scaleLr 0.59,
 * windowInfluence 0.176, responseUpsample 16, lostScoreThreshold (default none), minTargetSide 10,
 * templateLr 0 (no online template update).
 *
 * <p>Two deliberate differences from siamfc-pytorch: padding is the mean colour of the current
 * frame (pysot) rather than of the first one, since state carries no colour; and the box is
 * clipped to the frame (pysot's {@code _bbox_clip}) instead of the scale being kept within
 * 0.2..5 times the initial size (MATLAB SiamFC), since state carries no initial size. The score
 * is the peak of the chosen scale's raw response map, before upsampling, penalty and window.
 *
 * <p>CFNet's tracker ({@code tracker.m} of bertinetto/cfnet) is the same procedure with its own
 * hyper-parameters, so "cfnet" models use this class too; its embedding is the learned correlation
 * filter, and with {@code templateLr} (CFNet's {@code zLR}) &gt; 0 the filter is averaged online:
 * filter = (1 − templateLr) filter + templateLr · filter(exemplar crop at the new box), as
 * {@code tracker.m} averages its exemplar branch's outputs. tracker.m crops that exemplar with the
 * size before the frame's scale update; here it is the updated box.
 */
public final class SiamFcTracker implements Tracker {

  /** The single raw output of the SiamFC {@code track} signature. */
  public static final String RESPONSE = "response";

  private final ModelSpec spec;
  private final int exemplarSize;
  private final int instanceSize;
  private final int scoreSize;
  private final int stride;
  private final double contextAmount;
  private final ScalePyramid pyramid;
  private final double[] scaleFactors;
  private final double scaleLr;
  private final float windowInfluence;
  private final int upsample;
  private final int upscaleSize;
  private final Bicubic upsampler;
  private final float[] window;
  private final double lostScoreThreshold;
  private final double minTargetSide;
  private final double templateLr;
  private final FrameMeans means = new FrameMeans();

  public SiamFcTracker(ModelSpec spec) {
    this.spec = spec;
    this.exemplarSize = spec.exemplarSize();
    this.instanceSize = spec.instanceSize();
    this.scoreSize = spec.scoreSize();
    this.stride = spec.stride();
    List<Integer> responseShape = spec.outputs().get(RESPONSE);
    if (responseShape == null || !responseShape.equals(List.of(scoreSize, scoreSize))) {
      throw new IllegalArgumentException("model '" + spec.name() + "' (" + spec.family() + ") must declare output '"
          + RESPONSE + "' of shape [" + scoreSize + ", " + scoreSize + "] (scoreSize) for the SiamFC tracker, got outputs "
          + spec.outputs());
    }
    spec.requirePositiveGeometry();
    this.contextAmount = spec.hyper("contextAmount", 0.5);
    this.pyramid = new ScalePyramid((int) spec.hyper("scaleNum", 3), spec.hyper("scaleStep", 1.0375),
        spec.hyper("scalePenalty", 0.9745));
    this.scaleFactors = pyramid.factors();
    this.scaleLr = spec.hyper("scaleLr", 0.59);
    this.windowInfluence = (float) spec.hyper("windowInfluence", 0.176);
    this.upsample = (int) spec.hyper("responseUpsample", 16);
    if (upsample < 1) {
      throw new IllegalArgumentException("responseUpsample must be at least 1, got " + upsample);
    }
    this.upscaleSize = upsample * scoreSize;
    this.upsampler = new Bicubic(scoreSize, upscaleSize);
    this.window = CosineWindow.normalisedOuter(upscaleSize);
    this.lostScoreThreshold = spec.hyper("lostScoreThreshold", Double.NEGATIVE_INFINITY);
    this.minTargetSide = spec.hyper("minTargetSide", 10);
    this.templateLr = spec.hyper("templateLr", 0);
    if (!(templateLr >= 0 && templateLr <= 1)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': templateLr must be in [0, 1], got " + templateLr);
    }
  }

  @Override
  public double templateLearningRate() {
    return templateLr;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void exemplar(RgbImage frame, Box box, float[] dst, int offset) {
    SearchRegion.exemplar(box.cx(), box.cy(), box.width(), box.height(), contextAmount)
        .crop(frame, exemplarSize, means.of(frame), dst, offset);
  }

  @Override
  public int searchCropsPerTarget() {
    return pyramid.count();
  }

  /** The unscaled search region of a target (scale factor 1). */
  SearchRegion searchRegion(TargetState s) {
    return SearchRegion.exemplar(s.cx(), s.cy(), s.width(), s.height(), contextAmount)
        .search(exemplarSize, instanceSize);
  }

  @Override
  public void searchRegions(TargetState state, RgbImage frame, float[] dst, int offset) {
    SearchRegion region = searchRegion(state);
    float[] pad = means.of(frame);
    int crop = instanceSize * instanceSize * 3;
    for (int i = 0; i < scaleFactors.length; i++) {
      region.scaled(scaleFactors[i]).crop(frame, instanceSize, pad, dst, offset + i * crop);
    }
  }

  @Override
  public TrackStep locate(TargetState state, Map<String, float[]> outputs, int item, RgbImage frame,
      long frameSequence) {
    float[] responses = outputs.get(RESPONSE);
    if (responses == null) {
      throw new IllegalArgumentException("SiamFC needs output '" + RESPONSE + "', got " + outputs.keySet());
    }
    int mapSize = scoreSize * scoreSize;
    int n = scaleFactors.length;
    if (responses.length < (item + n) * mapSize) {
      throw new IllegalArgumentException("output '" + RESPONSE + "' holds " + responses.length / mapSize
          + " maps; target " + state.targetId() + " needs items " + item + ".." + (item + n - 1));
    }

    // The peak of each scale's upsampled map decides the scale (siamfc-pytorch penalises the upsampled maps).
    // One scratch map serves every scale, and the chosen one is upsampled again: a 272x272 resize costs
    // less than keeping a map per scale alive for every target of every frame.
    float[] up = new float[upscaleSize * upscaleSize];
    float[] peaks = new float[n];
    for (int i = 0; i < n; i++) {
      upsampler.resize(responses, (item + i) * mapSize, up, 0);
      peaks[i] = max(up, 0, up.length);
    }
    int best = pyramid.best(peaks);
    if (best != n - 1) {
      upsampler.resize(responses, (item + best) * mapSize, up, 0);
    }
    float score = max(responses, (item + best) * mapSize, mapSize);

    if (score < lostScoreThreshold) {
      // Hold the last box: moving on a response this weak would only follow the background.
      TargetState held = state.next(state.cx(), state.cy(), state.width(), state.height(), score, frameSequence,
          state.lowScoreStreak() + 1);
      return new TrackStep(held, held.box(), score, TrackStatus.LOST);
    }

    int peak = windowedPeak(up);
    double half = (upscaleSize - 1) / 2.0;
    double dispX = peak % upscaleSize - half;
    double dispY = peak / upscaleSize - half;
    // response pixels -> instance-crop pixels -> frame pixels of the chosen scale's search region
    double toFrame = (double) stride / upsample * searchRegion(state).scaled(scaleFactors[best]).frameScale(instanceSize);
    double cx = state.cx() + dispX * toFrame;
    double cy = state.cy() + dispY * toFrame;

    double scale = (1 - scaleLr) + scaleLr * scaleFactors[best];
    double w = FrameClip.side(state.width() * scale, minTargetSide, frame.width());
    double h = FrameClip.side(state.height() * scale, minTargetSide, frame.height());
    cx = FrameClip.centre(cx, frame.width());
    cy = FrameClip.centre(cy, frame.height());

    TargetState next = state.next(cx, cy, w, h, score, frameSequence, 0);
    return new TrackStep(next, next.box(), score, TrackStatus.TRACKING);
  }

  /**
   * Index of the peak of the response normalised to sum 1 and mixed with the Hann window, as
   * siamfc-pytorch: {@code r -= min; r /= sum + 1e-16; r = (1 - wi) r + wi window}. Modifies r.
   */
  int windowedPeak(float[] r) {
    float min = Float.POSITIVE_INFINITY;
    for (float v : r) {
      min = Math.min(min, v);
    }
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      r[i] -= min;
      sum += r[i];
    }
    float norm = (float) (sum + 1e-16);
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < r.length; i++) {
      float v = (1 - windowInfluence) * (r[i] / norm) + windowInfluence * window[i];
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }

  int upscaleSize() {
    return upscaleSize;
  }

  private static float max(float[] a, int from, int length) {
    float m = Float.NEGATIVE_INFINITY;
    for (int i = from; i < from + length; i++) {
      m = Math.max(m, a[i]);
    }
    return m;
  }
}
