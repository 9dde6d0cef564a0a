package io.argus.models.cfnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.matconvnet.Graphs;
import io.argus.models.matconvnet.Reference;
import io.argus.models.matconvnet.Reference.Map3;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class CorrelationFilterTest {

  /** The Fourier-domain filter equals the spatial ridge-regression solution (a linear solve). */
  private static void checkAgainstLinearSolve(int h, int w, int c, double lambda, long seed) {
    Random rng = new Random(seed);
    int batch = 2;
    float[] x = Graphs.random(rng, batch * h * w * c, -1, 2);
    float[] y = new float[h * w];
    for (int r = 0; r < h; r++) {
      for (int q = 0; q < w; q++) {
        // a Gaussian peaked at (0, 0) on the torus, as CFNet's join_cf_target, plus a little noise
        int dr = Math.min(r, h - r);
        int dq = Math.min(q, w - q);
        y[r * w + q] = (float) Math.exp(-(dr * dr + dq * dq) / 2.0) + 0.05f * rng.nextFloat();
      }
    }
    float[] got;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = Graphs.input(tf, "x", h, w, c);
      Operand<TFloat32> filter = CorrelationFilter.solve(tf, in, h, w, y, lambda);
      Graphs.Fetched f = Graphs.run(g, filter, Map.of(in, x), Map.of(in, new long[] {batch, h, w, c}));
      assertThat(f.shape()).containsExactly(batch, h, w, c);
      got = f.values();
    }
    for (int b = 0; b < batch; b++) {
      Map3 expected = Reference.correlationFilter(Map3.item(x, b, h, w, c), y, lambda);
      double scale = Graphs.maxAbs(expected.v());
      assertThat(scale).isGreaterThan(1e-3);
      assertThat(Graphs.maxAbsDiff(Map3.item(got, b, h, w, c).v(), expected.v()) / scale)
          .as("item %d of a %dx%dx%d filter, lambda %s", b, h, w, c, lambda).isLessThan(2e-4);
    }
  }

  @Test
  void oddSidesMatchTheSpatialSolution() {
    checkAgainstLinearSolve(5, 7, 3, 0.7, 1);
  }

  @Test
  void evenSidesMatchTheSpatialSolution() {
    // the half-spectrum of an even side has a Nyquist column that must not be counted twice
    checkAgainstLinearSolve(6, 4, 2, 0.3, 2);
  }

  @Test
  void strongRegularisationShrinksTheFilter() {
    checkAgainstLinearSolve(4, 5, 2, 10, 3);
  }
}
