package io.argus.models.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SiamFC's balanced logistic loss (siamfc-pytorch {@code _create_labels} + {@code BalancedLoss}):
 * score-map cells within block distance {@code rPos / stride} of the target centre are positives
 * (label 1), all others negatives (label 0); positives and negatives each carry half of an
 * example's weight, and the loss is the weighted binary cross-entropy on the response logits,
 * averaged over the batch. Unlike siamfc-pytorch, whose pairs are always centred, the label
 * centre moves with the pair's target offset.
 */
public final class BalancedLoss {

  /** Positive radius in search-crop pixels (siamfc-pytorch r_pos). */
  public static final double R_POS = 16;

  private BalancedLoss() {}

  /** Labels (1 / 0) and weights of one example, row-major scoreSize x scoreSize, into dst at offset. */
  public static void labels(float offsetX, float offsetY, int scoreSize, int stride, float[] labels,
      float[] weights, int offset) {
    double c = (scoreSize - 1) / 2.0;
    double r = R_POS / stride;
    double ox = offsetX / (double) stride;
    double oy = offsetY / (double) stride;
    int n = scoreSize * scoreSize;
    int pos = 0;
    for (int i = 0; i < scoreSize; i++) {
      for (int j = 0; j < scoreSize; j++) {
        boolean p = Math.abs(j - c - ox) + Math.abs(i - c - oy) <= r;
        labels[offset + i * scoreSize + j] = p ? 1f : 0f;
        pos += p ? 1 : 0;
      }
    }
    int neg = n - pos;
    // an example whose target lies off the map has no positives: its negatives take all the weight
    float wPos = pos == 0 ? 0f : (neg == 0 ? 1f : 0.5f) / pos;
    float wNeg = neg == 0 ? 0f : (pos == 0 ? 1f : 0.5f) / neg;
    for (int k = 0; k < n; k++) {
      weights[offset + k] = labels[offset + k] > 0 ? wPos : wNeg;
    }
  }

  /**
   * The loss in the graph: sum over cells of w * BCE(logit, label), averaged over the batch; the
   * numerically stable form max(x, 0) - x z + log(1 + exp(-|x|)).
   */
  public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels,
      Operand<TFloat32> weights) {
    Operand<TFloat32> bce = tf.math.add(
        tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, labels)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    Operand<TFloat32> perExample = tf.sum(tf.math.mul(bce, weights), tf.constant(new int[] {1, 2}));
    return tf.math.mean(perExample, tf.constant(0));
  }

  /** The same loss in Java, for checks. */
  public static double lossOf(float[] logits, float[] labels, float[] weights, int batch) {
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      double x = logits[k];
      double z = labels[k];
      sum += weights[k] * (-z * Math.log(sigmoid(x)) - (1 - z) * Math.log(1 - sigmoid(x)));
    }
    return sum / batch;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
