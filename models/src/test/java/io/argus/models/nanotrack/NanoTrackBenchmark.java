package io.argus.models.nanotrack;

import io.argus.models.onnx.OnnxModel;
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
 * Speed of the imported NanoTrack graphs: template and track calls at B = 1 and B = 16. A
 * benchmark, not a test: runs only with {@code -Dargus.bench=true}, e.g.
 * {@code mvn -pl models test -Dtest=NanoTrackBenchmark -Dargus.bench=true}.
 */
class NanoTrackBenchmark {

  @Test
  void templateAndTrackTimings() {
    Assumptions.assumeTrue(Boolean.getBoolean("argus.bench"), "benchmark: run with -Dargus.bench=true");
    Path data = NanoTrackImportTest.sharedData();
    Assumptions.assumeTrue(data != null, "skipped: ../shared/data absent");
    Path w = data.resolve("weights/nanotrack");
    String[][] versions = {
        {"v1", "nanotrack_v1_backbone_sim.onnx", "nanotrack_v1_head_sim.onnx"},
        {"v2", "nanotrack_v2_backbone_sim.onnx", "nanotrack_v2_head_sim.onnx"},
        {"v3", "nanotrack_v3_backbone.onnx", "nanotrack_v3_head.onnx"}};
    for (String[] v : versions) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        NanoTrackGraph n = NanoTrackGraph.build(Ops.create(g), OnnxModel.read(w.resolve(v[1])),
            OnnxModel.read(w.resolve(v[2])), NetworkInput.RGB);
        for (int b : new int[] {1, 16}) {
          try (TFloat32 z = random(b, 127, 127, 3); TFloat32 x = random(b, 255, 255, 3)) {
            TFloat32 emb;
            try (Result r = s.runner().feed(n.exemplar(), z).fetch(n.embedding()).run()) {
              emb = (TFloat32) r.get(0);
              emb = copy(emb);
            }
            try (TFloat32 e = emb) {
              double tMs = median(() -> {
                try (Result r = s.runner().feed(n.exemplar(), z).fetch(n.embedding()).run()) {
                  r.get(0);
                }
              });
              double kMs = median(() -> {
                try (Result r = s.runner().feed(n.embeddingIn(), e).feed(n.instance(), x).fetch(n.cls()).fetch(n.loc()).run()) {
                  r.get(0);
                }
              });
              System.out.printf("nanotrack %s B=%2d: template %7.1f ms (%5.1f ms/target), track %7.1f ms (%5.1f ms/target)%n",
                  v[0], b, tMs, tMs / b, kMs, kMs / b);
            }
          }
        }
      }
    }
  }

  private static double median(Runnable call) {
    for (int i = 0; i < 3; i++) {
      call.run();
    }
    double[] t = new double[9];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      call.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static TFloat32 random(long... shape) {
    Random r = new Random(1);
    float[] d = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat() * 255;
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(d, true, false));
  }

  private static TFloat32 copy(TFloat32 t) {
    float[] d = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(d);
    return TFloat32.tensorOf(t.shape(), DataBuffers.of(d, true, false));
  }
}
