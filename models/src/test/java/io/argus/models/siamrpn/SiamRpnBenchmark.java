package io.argus.models.siamrpn;

import io.argus.models.onnx.OnnxModel;
import io.argus.models.nanotrack.NetworkInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Speed of SiamRPN at pysot's alex widths (random weights): template and track calls at several
 * batch sizes, for the graph built here and for the same weights imported from pysot-style ONNX.
 * A benchmark, not a test: runs only with {@code -Dargus.bench=true}, e.g.
 * {@code mvn -pl models test -Dtest=SiamRpnBenchmark -Dargus.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SiamRpnBenchmark {

  @Test
  void templateAndTrackTimings() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("argus.bench"), "benchmark: run with -Dargus.bench=true");
    SiamRpnConfig config = SiamRpnConfig.ALEX;
    SiamRpnWeights w = SiamRpnWeights.random(config, 1);
    Path dir = Files.createTempDirectory("siamrpn-bench");
    Path t = PysotOnnx.writeTemplate(dir.resolve("t.onnx"), w);
    Path s = PysotOnnx.writeSearch(dir.resolve("s.onnx"), w, config);
    for (String kind : new String[] {"built", "imported"}) {
      try (Graph g = new Graph(); Session session = new Session(g)) {
        SiamRpnNet.Endpoints n = kind.equals("built") ? SiamRpnNet.build(Ops.create(g), config, w)
            : SiamRpnImport.build(Ops.create(g), OnnxModel.read(t), OnnxModel.read(s), NetworkInput.BGR).endpoints();
        for (int b : new int[] {1, 4, 16}) {
          try (TFloat32 z = random(b, 127, 127, 3); TFloat32 x = random(b, 287, 287, 3);
              TFloat32 e = random(b, 6, 6, config.conv5())) {
            double tMs = median(() -> {
              try (Result r = session.runner().feed(n.exemplar(), z).fetch(n.embedding()).run()) {
                r.get(0);
              }
            });
            double kMs = median(() -> {
              try (Result r = session.runner().feed(n.embeddingIn(), e).feed(n.instance(), x).fetch(n.cls())
                  .fetch(n.loc()).run()) {
                r.get(0);
              }
            });
            System.out.printf("siamrpn alex %-8s B=%2d: template %7.1f ms (%5.1f ms/target), track %7.1f ms"
                + " (%5.1f ms/target)%n", kind, b, tMs, tMs / b, kMs, kMs / b);
          }
        }
      }
    }
  }

  private static double median(Runnable r) {
    r.run(); // warm-up: Grappler and kernel selection on the first call
    double[] ms = new double[5];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static TFloat32 random(long... shape) {
    Random r = new Random(5);
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(256);
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }
}
