package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;
import java.util.Map;

/**
 * NanoTrack (HonglinChu, a light SiamBAN/LightTrack-style tracker) as its reference tracker
 * ({@code nano_tracker.py} of SiamTrackers) and OpenCV's {@code TrackerNano} run it: one search
 * region per frame, an anchor-free head giving a foreground score and a box (distances to the
 * four sides) at every point of an S x S grid, pysot's size/ratio change penalty, a Hann window,
 * and a size update at a learning rate scaled by the chosen point's penalised score.
 *
 * <p>Raw outputs ({@code track} signature, per search crop, NHWC): {@value #CLS} S x S x 2
 * (background, target logits; softmax channel 1 is the target score) and {@value #LOC} S x S x 4
 * (left, top, right, bottom distances in search-crop pixels from the grid point). Grid point
 * (row, col) sits {@code ((col - S/2) stride, (row - S/2) stride)} from the crop centre, integer
 * S/2 as both references, so for the even S = 16 of v1/v2 the zero displacement is point 8, and
 * for v3's S = 15 it is point 7. S comes from the model's {@code scoreSize}.
 *
 * <p>Hyper-parameters (model metadata {@code hyper}; defaults are OpenCV's TrackerNano, the
 * project's reference): contextAmount 0.5, windowInfluence 0.455, penaltyK 0.055, lr 0.37,
 * minTargetSide 10, lostScoreThreshold (default none, compared with the raw target score), and
 * {@value #OPENCV_ARITHMETIC} (default 1).
 *
 * <p>{@value #OPENCV_ARITHMETIC} = 1 reproduces OpenCV 4.9's {@code TrackerNano} step by step,
 * since the project's reference figures come from it and this tracker is chaotic enough that
 * half-pixel differences move a sequence's success AUC by a few hundredths:
 * <ul>
 *   <li>crops snapped to whole pixels: exemplar side {@code int(s_z)}; search side
 *       {@code int(s_z * (instanceSize / exemplarSize))} with an integer quotient (2, not 255/127),
 *       and {@code s_z} from {@code int(w + h)}; the crop starts at {@code int(c) - (side + 1) / 2}
 *       on each axis; displacements still convert with {@code s_z / exemplarSize};
 *   <li>the Hann window is the square root of the outer product ({@code cv::createHanningWindow});
 *   <li>the size change is measured against {@code sz(cx, cy)} of the target's position (OpenCV
 *       4.9 passes the position where the Python tracker passes the scaled size);
 *   <li>the published box is truncated to whole pixels like its {@code cv::Rect} result (the state
 *       keeps the fractional box, as OpenCV's does).
 * </ul>
 * {@value #OPENCV_ARITHMETIC} = 0 is the Python reference tracker's arithmetic on exact sub-pixel
 * crops: side {@code s_x = s_z * instanceSize / exemplarSize}, bilinear over the exact region,
 * {@code np.hanning} outer-product window, size change against the target's size in the crop,
 * fractional boxes.
 *
 * <p>The score of a step is the raw softmax target score at the chosen point (as the Python
 * tracker's {@code best_score}), not the penalised and windowed value OpenCV reports.
 */
public final class NanoTrackTracker implements Tracker {

  /** Classification output: background and target logits per grid point. */
  public static final String CLS = "cls";
  /** Box output: left, top, right, bottom distances per grid point, in search-crop pixels. */
  public static final String LOC = "loc";
  /** Hyper-parameter: 1 reproduces OpenCV 4.9 TrackerNano's arithmetic, 0 the Python tracker's on exact crops. */
  public static final String OPENCV_ARITHMETIC = "opencvArithmetic";

  private final ModelSpec spec;
  private final int exemplarSize;
  private final int instanceSize;
  private final int scoreSize;
  private final double contextAmount;
  private final float windowInfluence;
  private final ShapeChangePenalty penalty;
  private final double lr;
  private final double minTargetSide;
  private final double lostScoreThreshold;
  private final boolean openCv;
  private final float[] window;
  /** Grid point offsets from the crop centre along one axis, in crop pixels. */
  private final float[] points;
  private final FrameMeans means = new FrameMeans();

  public NanoTrackTracker(ModelSpec spec) {
    this.spec = spec;
    this.exemplarSize = spec.exemplarSize();
    this.instanceSize = spec.instanceSize();
    this.scoreSize = spec.scoreSize();
    int stride = spec.stride();
    spec.requirePositiveGeometry();
    requireOutput(spec, CLS, 2);
    requireOutput(spec, LOC, 4);
    this.contextAmount = spec.hyper("contextAmount", 0.5);
    this.windowInfluence = (float) spec.hyper("windowInfluence", 0.455);
    this.penalty = new ShapeChangePenalty(spec.hyper("penaltyK", 0.055));
    this.lr = spec.hyper("lr", 0.37);
    this.minTargetSide = spec.hyper("minTargetSide", 10);
    this.lostScoreThreshold = spec.hyper("lostScoreThreshold", Double.NEGATIVE_INFINITY);
    if (!(windowInfluence >= 0 && windowInfluence <= 1) || !(lr >= 0 && lr <= 1) || !(contextAmount >= 0)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': windowInfluence and lr must lie in 0..1 and "
          + "contextAmount be non-negative, got " + windowInfluence + ", " + lr + ", " + contextAmount);
    }
    double openCvFlag = spec.hyper(OPENCV_ARITHMETIC, 1);
    if (openCvFlag != 0 && openCvFlag != 1) {
      throw new IllegalArgumentException("model '" + spec.name() + "': " + OPENCV_ARITHMETIC
          + " is 1 (OpenCV TrackerNano's arithmetic) or 0 (the Python tracker's), got " + openCvFlag);
    }
    this.openCv = openCvFlag == 1;
    this.window = CosineWindow.outer(scoreSize);
    if (openCv) {
      for (int i = 0; i < window.length; i++) {
        window[i] = (float) Math.sqrt(window[i]);
      }
    }
    this.points = new float[scoreSize];
    for (int i = 0; i < scoreSize; i++) {
      points[i] = (i - scoreSize / 2) * stride;
    }
  }

  private static void requireOutput(ModelSpec spec, String name, int channels) {
    int s = spec.scoreSize();
    List<Integer> shape = spec.outputs().get(name);
    if (shape == null || !shape.equals(List.of(s, s, channels))) {
      throw new IllegalArgumentException("model '" + spec.name() + "' (" + spec.family() + ") must declare output '"
          + name + "' of shape [" + s + ", " + s + ", " + channels + "] (scoreSize) for the NanoTrack tracker, got outputs "
          + spec.outputs());
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void exemplar(RgbImage frame, Box box, float[] dst, int offset) {
    SearchRegion region = SearchRegion.exemplar(box.cx(), box.cy(), box.width(), box.height(), contextAmount);
    if (openCv) {
      region = wholePixels(box.cx(), box.cy(), (int) region.side());
    }
    region.crop(frame, exemplarSize, means.of(frame), dst, offset);
  }

  @Override
  public int searchCropsPerTarget() {
    return 1;
  }

  /**
   * Where a target's search crop is taken, and how many frame pixels one crop pixel spans when
   * the outputs are decoded (the two differ slightly in OpenCV's arithmetic).
   */
  record Search(SearchRegion region, double frameScale) {}

  Search search(TargetState s) {
    if (!openCv) {
      SearchRegion region = SearchRegion.exemplar(s.cx(), s.cy(), s.width(), s.height(), contextAmount)
          .search(exemplarSize, instanceSize);
      return new Search(region, region.frameScale(instanceSize));
    }
    double sum = (int) (s.width() + s.height());
    double sz = Math.sqrt((s.width() + contextAmount * sum) * (s.height() + contextAmount * sum));
    return new Search(wholePixels(s.cx(), s.cy(), (int) (sz * (instanceSize / exemplarSize))), sz / exemplarSize);
  }

  /** OpenCV's getSubwindow: pixels int(c) - (side + 1) / 2 onwards, side of them, on both axes. */
  static SearchRegion wholePixels(double cx, double cy, int side) {
    int left = (int) cx - (side + 1) / 2;
    int top = (int) cy - (side + 1) / 2;
    return new SearchRegion(left + side / 2.0, top + side / 2.0, side);
  }

  @Override
  public void searchRegions(TargetState state, RgbImage frame, float[] dst, int offset) {
    search(state).region().crop(frame, instanceSize, means.of(frame), dst, offset);
  }

  @Override
  public TrackStep locate(TargetState state, Map<String, float[]> outputs, int item, RgbImage frame,
      long frameSequence) {
    float[] cls = outputs.get(CLS);
    float[] loc = outputs.get(LOC);
    if (cls == null || loc == null) {
      throw new IllegalArgumentException("NanoTrack needs outputs '" + CLS + "' and '" + LOC + "', got "
          + outputs.keySet());
    }
    int points = scoreSize * scoreSize;
    if (cls.length < (item + 1) * points * 2 || loc.length < (item + 1) * points * 4) {
      throw new IllegalArgumentException("outputs hold " + cls.length / (points * 2) + " '" + CLS + "' and "
          + loc.length / (points * 4) + " '" + LOC + "' maps; target " + state.targetId() + " needs item " + item);
    }

    // Everything in search-crop pixels: the crop is the exemplar region scaled to instanceSize,
    // so the target measures (w, h) * exemplarSize / s_z there.
    double toFrame = search(state).frameScale();
    // OpenCV's reference size is sz(cx, cy); at least one pixel, so a centre clipped to the
    // frame's corner cannot divide by zero.
    double targetSize = openCv
        ? Math.max(1, ShapeChangePenalty.size(state.cx(), state.cy()))
        : ShapeChangePenalty.size(state.width() / toFrame, state.height() / toFrame);
    Choice c = choose(cls, loc, item, state.width() / state.height(), targetSize);

    if (c.score() < lostScoreThreshold) {
      // Hold the last box: moving on a score this weak would only follow the background.
      TargetState held = state.next(state.cx(), state.cy(), state.width(), state.height(), c.score(), frameSequence,
          state.lowScoreStreak() + 1);
      return new TrackStep(held, published(held), c.score(), TrackStatus.LOST);
    }

    double cx = FrameClip.centre(state.cx() + c.dx() * toFrame, frame.width());
    double cy = FrameClip.centre(state.cy() + c.dy() * toFrame, frame.height());
    double w = FrameClip.side(state.width() * (1 - c.lr()) + c.width() * toFrame * c.lr(), minTargetSide,
        frame.width());
    double h = FrameClip.side(state.height() * (1 - c.lr()) + c.height() * toFrame * c.lr(), minTargetSide,
        frame.height());
    TargetState next = state.next(cx, cy, w, h, c.score(), frameSequence, 0);
    return new TrackStep(next, published(next), c.score(), TrackStatus.TRACKING);
  }

  /** The box to publish: OpenCV's TrackerNano truncates to a cv::Rect, its state stays fractional. */
  private Box published(TargetState s) {
    Box b = s.box();
    return openCv ? new Box((int) b.x(), (int) b.y(), (int) b.width(), (int) b.height()) : b;
  }

  /**
   * The chosen grid point and its box, in search-crop pixels relative to the crop centre.
   *
   * @param index row-major grid index of the chosen point
   * @param dx box centre x minus crop centre
   * @param dy box centre y minus crop centre
   * @param width box width
   * @param height box height
   * @param score softmax target score at the point
   * @param penalty size/ratio change penalty at the point
   * @param lr size learning rate: penalty x score x the model's lr
   */
  record Choice(int index, double dx, double dy, double width, double height, float score, double penalty, double lr) {}

  /**
   * Decodes one crop's maps and picks the point with the best penalised, windowed score, as
   * both references: {@code pscore = penalty * score * (1 - wi) + window * wi}, first maximum.
   *
   * @param targetRatio the current target's width / height
   * @param targetSize the size ({@link ShapeChangePenalty#size}) candidates are compared with, in
   *     search-crop pixels
   */
  Choice choose(float[] cls, float[] loc, int item, double targetRatio, double targetSize) {
    int n = scoreSize * scoreSize;
    int clsBase = item * n * 2;
    int locBase = item * n * 4;
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    float bestScore = 0;
    double bestPenalty = 0;
    for (int i = 0; i < n; i++) {
      float score = targetProbability(cls[clsBase + 2 * i], cls[clsBase + 2 * i + 1]);
      int l = locBase + 4 * i;
      double w = (double) loc[l] + loc[l + 2];
      double h = (double) loc[l + 1] + loc[l + 3];
      double p = penalty.penaltyAgainst(w, h, targetRatio, targetSize);
      double value = p * score * (1 - windowInfluence) + window[i] * windowInfluence;
      if (value > bestValue) {
        bestValue = value;
        best = i;
        bestScore = score;
        bestPenalty = p;
      }
    }
    if (best < 0) {
      // Only NaN can lose every comparison; the runner rejects NaN outputs, so this is a bug upstream.
      throw new IllegalStateException("no finite NanoTrack score for target item " + item);
    }
    int l = locBase + 4 * best;
    double px = points[best % scoreSize];
    double py = points[best / scoreSize];
    double x1 = px - loc[l];
    double y1 = py - loc[l + 1];
    double x2 = px + loc[l + 2];
    double y2 = py + loc[l + 3];
    return new Choice(best, (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, bestScore, bestPenalty,
        bestPenalty * bestScore * lr);
  }

  /** Softmax over (background, target), channel 1: written as a logistic of the difference, which cannot overflow. */
  static float targetProbability(float background, float target) {
    return (float) (1 / (1 + Math.exp((double) background - target)));
  }
}
