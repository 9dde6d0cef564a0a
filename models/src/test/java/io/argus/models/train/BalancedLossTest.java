package io.argus.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.siamfc.FloatTensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class BalancedLossTest {

  @Test
  void centredLabelsAreTheDiamondOfRadiusTwoCells() {
    float[] l = new float[17 * 17];
    float[] w = new float[17 * 17];
    BalancedLoss.labels(0, 0, 17, 8, l, w, 0);
    int pos = 0;
    for (float v : l) {
      pos += v > 0 ? 1 : 0;
    }
    assertThat(pos).isEqualTo(13); // |dx| + |dy| <= 2
    assertThat(l[8 * 17 + 8]).isEqualTo(1f);
    assertThat(l[8 * 17 + 10]).isEqualTo(1f);
    assertThat(l[9 * 17 + 10]).isEqualTo(0f);
    assertThat(w[8 * 17 + 8]).isCloseTo(0.5f / 13, within(1e-7f));
    assertThat(w[0]).isCloseTo(0.5f / (289 - 13), within(1e-7f));
  }

  @Test
  void labelCentreFollowsTheOffset() {
    float[] l = new float[17 * 17];
    float[] w = new float[17 * 17];
    BalancedLoss.labels(24, -16, 17, 8, l, w, 0); // 3 cells right, 2 up
    assertThat(l[6 * 17 + 11]).isEqualTo(1f);
    assertThat(l[8 * 17 + 8]).isEqualTo(0f);
    double sum = 0;
    for (float v : w) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void graphLossMatchesJavaOnAHandCase() {
    int b = 2;
    int n = 17 * 17;
    float[] labels = new float[b * n];
    float[] weights = new float[b * n];
    BalancedLoss.labels(0, 0, 17, 8, labels, weights, 0);
    BalancedLoss.labels(-8, 8, 17, 8, labels, weights, n);
    float[] logits = new float[b * n];
    Random rng = new Random(2);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rng.nextGaussian() * 3);
    }
    logits[0] = 15f; // saturated: the graph must use the stable form to agree
    double expected = BalancedLoss.lossOf(logits, labels, weights, b);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 17, 17)));
      Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 17, 17)));
      Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 17, 17)));
      Operand<TFloat32> loss = BalancedLoss.loss(tf, x, z, w);
      try (TFloat32 xt = FloatTensors.of(logits, b, 17, 17); TFloat32 zt = FloatTensors.of(labels, b, 17, 17);
          TFloat32 wt = FloatTensors.of(weights, b, 17, 17);
          Result r = s.runner().feed(x, xt).feed(z, zt).feed(w, wt).fetch(loss).run()) {
        assertThat((double) ((TFloat32) r.get(0)).getFloat()).isCloseTo(expected, within(1e-5));
      }
    }
    // all-zero logits: every cell costs log 2 and the weights sum to 1 per example
    assertThat(BalancedLoss.lossOf(new float[b * n], labels, weights, b)).isCloseTo(Math.log(2), within(1e-6));
  }
}
