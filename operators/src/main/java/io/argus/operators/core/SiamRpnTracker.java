package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;
import java.util.Map;

/**
 * SiamRPN (Li et al., CVPR 2018) as pysot's {@code tracker/siamrpn_tracker.py} runs it: one search
 * region per frame, k anchors at every position of the S x S score map, a softmax foreground score
 * and a regressed box per anchor, pysot's size/ratio change penalty, a Hann window tiled over the
 * anchors, and a size update at a learning rate scaled by the chosen anchor's penalised score.
 *
 * <p>Raw outputs ({@code track} signature, per search crop, NHWC, pysot's channel order):
 * {@value #CLS} S x S x 2k, channel a the background and k + a the foreground logit of anchor a;
 * {@value #LOC} S x S x 4k, channel d k + a the delta d (dx, dy, dw, dh) of anchor a. Anchors:
 * {@link Anchors} with the model's stride, {@link Anchors#PYSOT_RATIOS} and scale
 * {@code anchorScale}.
 *
 * <p>Hyper-parameters (model metadata {@code hyper}; defaults pysot's siamrpn_alex_dwxcorr):
 * contextAmount 0.5, penaltyK 0.16, windowInfluence 0.40, lr 0.30, minTargetSide 10, anchorScale 8,
 * lostScoreThreshold (default none, compared with the raw foreground score).
 *
 * <p>Crops are exact sub-pixel regions (the project's {@link SearchRegion}, as NanoTrack's Python
 * arithmetic), where pysot rounds the crop side to whole pixels; the box convention is the
 * project's (centre = x + w / 2), where pysot uses x + (w - 1) / 2. The score of a step is the raw
 * foreground score at the chosen anchor (pysot's {@code best_score}).
 *
 * <p>{@link #choose} and {@link #step} are public so SiamMask, which picks its position the same
 * way, composes them instead of copying them.
 */
public final class SiamRpnTracker implements Tracker {

  /** Classification output: background and foreground logits per anchor. */
  public static final String CLS = "cls";
  /** Box output: dx, dy, dw, dh per anchor. */
  public static final String LOC = "loc";

  private final ModelSpec spec;
  private final int exemplarSize;
  private final int instanceSize;
  private final int scoreSize;
  private final double contextAmount;
  private final double windowInfluence;
  private final ShapeChangePenalty penalty;
  private final double lr;
  private final double minTargetSide;
  private final double lostScoreThreshold;
  private final float[] window;
  private final Anchors anchors;
  private final FrameMeans means = new FrameMeans();

  public SiamRpnTracker(ModelSpec spec) {
    this.spec = spec;
    this.exemplarSize = spec.exemplarSize();
    this.instanceSize = spec.instanceSize();
    this.scoreSize = spec.scoreSize();
    int stride = spec.stride();
    spec.requirePositiveGeometry();
    this.anchors = Anchors.generate(stride, Anchors.PYSOT_RATIOS, new double[] {spec.hyper("anchorScale", 8)},
        scoreSize);
    int k = anchors.count();
    requireOutput(spec, CLS, 2 * k);
    requireOutput(spec, LOC, 4 * k);
    this.contextAmount = spec.hyper("contextAmount", 0.5);
    this.windowInfluence = spec.hyper("windowInfluence", 0.40);
    this.penalty = new ShapeChangePenalty(spec.hyper("penaltyK", 0.16));
    this.lr = spec.hyper("lr", 0.30);
    this.minTargetSide = spec.hyper("minTargetSide", 10);
    this.lostScoreThreshold = spec.hyper("lostScoreThreshold", Double.NEGATIVE_INFINITY);
    if (!(windowInfluence >= 0 && windowInfluence <= 1) || !(lr >= 0 && lr <= 1) || !(contextAmount >= 0)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': windowInfluence and lr must lie in 0..1 and "
          + "contextAmount be non-negative, got " + windowInfluence + ", " + lr + ", " + contextAmount);
    }
    this.window = CosineWindow.outer(scoreSize);
  }

  private static void requireOutput(ModelSpec spec, String name, int channels) {
    int s = spec.scoreSize();
    List<Integer> shape = spec.outputs().get(name);
    if (shape == null || !shape.equals(List.of(s, s, channels))) {
      throw new IllegalArgumentException("model '" + spec.name() + "' (" + spec.family() + ") must declare output '"
          + name + "' of shape [" + s + ", " + s + ", " + channels + "] (scoreSize, " + channels / (name.equals(CLS) ? 2 : 4)
          + " anchors) for the SiamRPN tracker, got outputs " + spec.outputs());
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  public Anchors anchors() {
    return anchors;
  }

  @Override
  public void exemplar(RgbImage frame, Box box, float[] dst, int offset) {
    SearchRegion.exemplar(box.cx(), box.cy(), box.width(), box.height(), contextAmount)
        .crop(frame, exemplarSize, means.of(frame), dst, offset);
  }

  @Override
  public int searchCropsPerTarget() {
    return 1;
  }

  /** The target's search region: the exemplar region scaled by instanceSize / exemplarSize. */
  public SearchRegion searchRegion(TargetState s) {
    return SearchRegion.exemplar(s.cx(), s.cy(), s.width(), s.height(), contextAmount)
        .search(exemplarSize, instanceSize);
  }

  @Override
  public void searchRegions(TargetState state, RgbImage frame, float[] dst, int offset) {
    searchRegion(state).crop(frame, instanceSize, means.of(frame), dst, offset);
  }

  @Override
  public TrackStep locate(TargetState state, Map<String, float[]> outputs, int item, RgbImage frame,
      long frameSequence) {
    float[] cls = outputs.get(CLS);
    float[] loc = outputs.get(LOC);
    if (cls == null || loc == null) {
      throw new IllegalArgumentException("SiamRPN needs outputs '" + CLS + "' and '" + LOC + "', got "
          + outputs.keySet());
    }
    int n = anchors.size();
    if (cls.length < (item + 1) * n * 2 || loc.length < (item + 1) * n * 4) {
      throw new IllegalArgumentException("outputs hold " + cls.length / (n * 2) + " '" + CLS + "' and "
          + loc.length / (n * 4) + " '" + LOC + "' maps; target " + state.targetId() + " needs item " + item);
    }
    double toFrame = searchRegion(state).frameScale(instanceSize);
    Choice c = choose(cls, loc, item, state.width() / toFrame, state.height() / toFrame);
    return step(state, c, toFrame, frame, frameSequence);
  }

  /**
   * The next state from a chosen anchor, as pysot: centre moved by the box's offset, size blended
   * towards the box's at rate {@link Choice#lr()}, then clipped to the frame and to
   * minTargetSide. A score under lostScoreThreshold holds the last box and reports LOST.
   *
   * @param toFrame frame pixels per search-crop pixel
   */
  public TrackStep step(TargetState state, Choice c, double toFrame, RgbImage frame, long frameSequence) {
    if (c.score() < lostScoreThreshold) {
      // Hold the last box: moving on a score this weak would only follow the background.
      TargetState held = state.next(state.cx(), state.cy(), state.width(), state.height(), c.score(), frameSequence,
          state.lowScoreStreak() + 1);
      return new TrackStep(held, held.box(), c.score(), TrackStatus.LOST);
    }
    double cx = FrameClip.centre(state.cx() + c.cx() * toFrame, frame.width());
    double cy = FrameClip.centre(state.cy() + c.cy() * toFrame, frame.height());
    // lr 0 keeps the size exactly, also when the box's exp() overflowed (its penalty is 0 then)
    double w = c.lr() == 0 ? state.width() : state.width() * (1 - c.lr()) + c.width() * toFrame * c.lr();
    double h = c.lr() == 0 ? state.height() : state.height() * (1 - c.lr()) + c.height() * toFrame * c.lr();
    TargetState next = state.next(cx, cy, FrameClip.side(w, minTargetSide, frame.width()),
        FrameClip.side(h, minTargetSide, frame.height()), c.score(), frameSequence, 0);
    return new TrackStep(next, next.box(), c.score(), TrackStatus.TRACKING);
  }

  /**
   * The chosen anchor and its decoded box, in search-crop pixels relative to the crop centre.
   *
   * @param index anchor index in pysot's order ({@link Anchors}: anchor * S * S + position)
   * @param anchor which anchor shape, 0 .. k - 1
   * @param position row-major score-map position, row * S + column
   * @param cx box centre x minus crop centre
   * @param cy box centre y minus crop centre
   * @param width box width
   * @param height box height
   * @param score softmax foreground score of the anchor
   * @param penalty size/ratio change penalty of the anchor
   * @param lr size learning rate: penalty x score x the model's lr
   */
  public record Choice(int index, int anchor, int position, double cx, double cy, double width, double height,
      float score, double penalty, double lr) {}

  /**
   * Decodes one crop's maps and picks the anchor with the best penalised, windowed score, as
   * pysot: {@code pscore = penalty * score * (1 - wi) + window * wi}, first maximum.
   *
   * @param item which search crop of the batched outputs
   * @param targetWidth the current target's width in search-crop pixels (pysot's size * scale_z)
   * @param targetHeight the same for the height
   */
  public Choice choose(float[] cls, float[] loc, int item, double targetWidth, double targetHeight) {
    int k = anchors.count();
    int positions = scoreSize * scoreSize;
    int clsBase = item * positions * 2 * k;
    int locBase = item * positions * 4 * k;
    double targetRatio = targetWidth / targetHeight;
    double targetSize = ShapeChangePenalty.size(targetWidth, targetHeight);
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < positions; p++) {
        int i = a * positions + p;
        int cl = clsBase + p * 2 * k;
        int l = locBase + p * 4 * k;
        float score = NanoTrackTracker.targetProbability(cls[cl + a], cls[cl + k + a]);
        double w = Math.exp(loc[l + 2 * k + a]) * anchors.width(i);
        double h = Math.exp(loc[l + 3 * k + a]) * anchors.height(i);
        double pen = penalty.penaltyAgainst(w, h, targetRatio, targetSize);
        double value = pen * score * (1 - windowInfluence) + window[p] * windowInfluence;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
    }
    if (best < 0) {
      // Only NaN can lose every comparison; the runner rejects NaN outputs, so this is a bug upstream.
      throw new IllegalStateException("no finite SiamRPN score for target item " + item);
    }
    int a = anchors.anchorOf(best);
    int p = anchors.positionOf(best);
    int cl = clsBase + p * 2 * k;
    int l = locBase + p * 4 * k;
    float score = NanoTrackTracker.targetProbability(cls[cl + a], cls[cl + k + a]);
    double[] box = anchors.decode(best, loc[l + a], loc[l + k + a], loc[l + 2 * k + a], loc[l + 3 * k + a]);
    double pen = penalty.penaltyAgainst(box[2], box[3], targetRatio, targetSize);
    return new Choice(best, a, p, box[0], box[1], box[2], box[3], score, pen, pen * score * lr);
  }
}
