package io.argus.jobs.evaluate;

import io.argus.models.image.Box;
import java.util.List;

/**
 * One-pass evaluation (OPE) of one tracker run on one sequence, by the OTB protocol: the tracker
 * starts from the first frame's ground truth and is never re-initialised; every frame counts.
 *
 * <ul>
 *   <li>success curve: for 21 IoU thresholds 0, 0.05, ..., 1, the fraction of frames whose IoU
 *       with the ground truth is strictly greater than the threshold; the success AUC is the
 *       mean of the curve (OTB's "AUC");
 *   <li>precision curve: for thresholds 0..50 px, the fraction of frames whose centre error is
 *       at most the threshold; precision@20 is the value at 20 px.
 * </ul>
 *
 * Frames whose ground truth is missing or invalid (NaN, zero or negative size: target absent or
 * not annotated) are left out of both numerator and denominator, as the got10k toolkit's OTB
 * experiment does. A missing or invalid prediction on a valid frame counts as a failure
 * (IoU 0, infinite centre error).
 *
 * @param frames frames given
 * @param evaluatedFrames frames with valid ground truth
 * @param success 21 values, the success curve
 * @param auc success AUC, 0..1
 * @param precision 51 values, the precision curve at 0..50 px
 * @param precision20 precision at 20 px, 0..1
 */
public record OnePassEvaluation(int frames, int evaluatedFrames, double[] success, double auc, double[] precision,
    double precision20) {

  public static final int IOU_STEPS = 21;
  public static final int MAX_CENTRE_ERROR = 50;
  public static final int PRECISION_THRESHOLD = 20;

  /** IoU threshold i of the success curve: i / 20. */
  public static double iouThreshold(int i) {
    return i / (double) (IOU_STEPS - 1);
  }

  /** Scores predictions against ground truth, frame by frame (both lists start at the first frame). */
  public static OnePassEvaluation of(List<Box> predicted, List<Box> truth) {
    if (predicted.size() != truth.size()) {
      throw new IllegalArgumentException("need one prediction per ground-truth frame, got " + predicted.size()
          + " predictions for " + truth.size() + " frames");
    }
    int[] successCount = new int[IOU_STEPS];
    int[] precisionCount = new int[MAX_CENTRE_ERROR + 1];
    int evaluated = 0;
    for (int f = 0; f < truth.size(); f++) {
      Box gt = truth.get(f);
      if (gt == null || !gt.isValid()) {
        continue;
      }
      evaluated++;
      Box p = predicted.get(f);
      boolean ok = p != null && p.isValid();
      double iou = ok ? gt.iou(p) : 0;
      double error = ok ? gt.centreDistance(p) : Double.POSITIVE_INFINITY;
      for (int i = 0; i < IOU_STEPS; i++) {
        if (iou > iouThreshold(i)) {
          successCount[i]++;
        }
      }
      for (int t = 0; t <= MAX_CENTRE_ERROR; t++) {
        if (error <= t) {
          precisionCount[t]++;
        }
      }
    }
    if (evaluated == 0) {
      throw new IllegalArgumentException("no frame of the " + truth.size() + " has a valid ground-truth box: nothing to evaluate");
    }
    double[] success = new double[IOU_STEPS];
    double sum = 0;
    for (int i = 0; i < IOU_STEPS; i++) {
      success[i] = successCount[i] / (double) evaluated;
      sum += success[i];
    }
    double[] precision = new double[MAX_CENTRE_ERROR + 1];
    for (int t = 0; t <= MAX_CENTRE_ERROR; t++) {
      precision[t] = precisionCount[t] / (double) evaluated;
    }
    return new OnePassEvaluation(truth.size(), evaluated, success, sum / IOU_STEPS, precision, precision[PRECISION_THRESHOLD]);
  }

  /** Per-sequence average (every sequence weighs the same, as in the OTB and pysot tables). */
  public static OnePassEvaluation mean(List<OnePassEvaluation> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("nothing to average");
    }
    double[] success = new double[IOU_STEPS];
    double[] precision = new double[MAX_CENTRE_ERROR + 1];
    int frames = 0;
    int evaluated = 0;
    for (OnePassEvaluation r : runs) {
      frames += r.frames;
      evaluated += r.evaluatedFrames;
      for (int i = 0; i < IOU_STEPS; i++) {
        success[i] += r.success[i] / runs.size();
      }
      for (int t = 0; t <= MAX_CENTRE_ERROR; t++) {
        precision[t] += r.precision[t] / runs.size();
      }
    }
    double auc = 0;
    for (double s : success) {
      auc += s / IOU_STEPS;
    }
    return new OnePassEvaluation(frames, evaluated, success, auc, precision, precision[PRECISION_THRESHOLD]);
  }
}
