package io.argus.models.siammask;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the second per-frame call costs: SiamMask at pysot's widths (ResNet-50 to layer3, 256
 * adjust/hidden), random weights, timing {@code template}, {@code track} (cls + loc), {@code mask}
 * (search branch again + refine at a given cell) and, as the floor a one-call design could reach,
 * cls + loc + mask fetched in one run. A benchmark, not a test: runs only with
 * {@code -Dargus.bench=true}, e.g. {@code mvn -pl models test -Dtest=SiamMaskBenchmark -Dargus.bench=true}
 * (add {@code -Dargus.bench.batches=1,4,16} for other batch sizes).
 */
class SiamMaskBenchmark {

  @Test
  void trackAndMaskTimings() {
    Assumptions.assumeTrue(Boolean.getBoolean("argus.bench"), "benchmark: run with -Dargus.bench=true");
    int[] batches = Arrays.stream(System.getProperty("argus.bench.batches", "1,4").split(","))
        .mapToInt(Integer::parseInt).toArray();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SiamMaskGraph n = SiamMaskNet.build(Ops.create(g), SiamMaskConfig.pysot(), 1);
      for (int b : batches) {
        int[] cells = new int[2 * b];
        Arrays.fill(cells, 12);
        try (TFloat32 z = random(b, 127, 127, 3); TFloat32 x = random(b, 255, 255, 3);
            TInt32 pos = TInt32.tensorOf(Shape.of(b, 2), DataBuffers.of(cells, true, false))) {
          TFloat32 emb;
          try (Result r = s.runner().feed(n.exemplar(), z).fetch(n.embedding()).run()) {
            emb = copy((TFloat32) r.get(0));
          }
          try (TFloat32 e = emb) {
            double tMs = median(() -> run(s.runner().feed(n.exemplar(), z).fetch(n.embedding())));
            double kMs = median(() -> run(s.runner().feed(n.embeddingIn(), e).feed(n.instance(), x).fetch(n.cls())
                .fetch(n.loc())));
            double mMs = median(() -> run(s.runner().feed(n.embeddingIn(), e).feed(n.instance(), x)
                .feed(n.position(), pos).fetch(n.mask())));
            double bothMs = median(() -> run(s.runner().feed(n.embeddingIn(), e).feed(n.instance(), x)
                .feed(n.position(), pos).fetch(n.cls()).fetch(n.loc()).fetch(n.mask())));
            // the alternative: track also returns the refine's features (copied out to Java), and a
            // second call feeds them back and runs the refine only
            SiamMaskGraph.Search f = n.search();
            double featuresOutMs = median(() -> {
              float[][] copies = new float[4][];
              try (Result r = s.runner().feed(n.embeddingIn(), e).feed(n.instance(), x).fetch(n.cls()).fetch(n.loc())
                  .fetch(f.f0()).fetch(f.f1()).fetch(f.f2()).fetch(f.corr()).run()) {
                for (int i = 0; i < 4; i++) {
                  TFloat32 t = (TFloat32) r.get(2 + i);
                  copies[i] = new float[(int) t.size()];
                  t.copyTo(DataBuffers.of(copies[i], false, false));
                }
              }
              try (TFloat32 f0 = back(copies[0], f.f0()); TFloat32 f1 = back(copies[1], f.f1());
                  TFloat32 f2 = back(copies[2], f.f2()); TFloat32 corr = back(copies[3], f.corr());
                  Result r = s.runner().feed(f.f0(), f0).feed(f.f1(), f1).feed(f.f2(), f2).feed(f.corr(), corr)
                      .feed(n.position(), pos).fetch(n.mask()).run()) {
                r.get(0);
              }
            });
            System.out.printf("siammask r50 B=%2d: template %7.1f ms, track %7.1f ms, mask %7.1f ms (track + mask"
                + " %7.1f ms = %.2fx track; one run fetching all three %7.1f ms; features out to Java and back into"
                + " a refine-only run %7.1f ms = %.2fx track)%n",
                b, tMs, kMs, mMs, kMs + mMs, (kMs + mMs) / kMs, bothMs, featuresOutMs, featuresOutMs / kMs);
          }
        }
      }
    }
  }

  private static TFloat32 back(float[] v, org.tensorflow.Operand<TFloat32> like) {
    long[] s = like.shape().asArray();
    s[0] = v.length / (s[1] * s[2] * s[3]);
    return TFloat32.tensorOf(Shape.of(s), DataBuffers.of(v, true, false));
  }

  private static void run(Session.Runner r) {
    try (Result res = r.run()) {
      res.get(0);
    }
  }

  private static double median(Runnable call) {
    call.run(); // warm-up: Grappler and allocation
    double[] t = new double[3];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      call.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static TFloat32 random(long... shape) {
    Random r = new Random(3);
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, c) -> a * c)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextFloat() * 255;
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }

  private static TFloat32 copy(TFloat32 t) {
    try (t) {
      float[] v = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return TFloat32.tensorOf(t.shape(), DataBuffers.of(v, true, false));
    }
  }
}
