package io.argus.jobs.bench;

import io.argus.models.ModelSpec;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The model alone: one {@code track} call for B targets (B x the tracker's search crops per
 * target: 3 scales for SiamFC, 1 for NanoTrack), timed from Java float arrays to Java float
 * arrays through {@link SavedModelRunner}, i.e. with the tensor copies and output checks the
 * tracker pays. Crops are random pixels (the speed does not depend on content).
 */
public final class ModelThroughput {

  /** One model at one batch size. */
  public record Result(String model, int targets, int crops, double msPerCall, double targetFps, String load) {}

  private ModelThroughput() {}

  public static List<Result> run(String label, Path modelDir, List<Integer> batches, int warmup, int repetitions,
      int intraOp, int interOp, PrintStream log) {
    List<Result> results = new ArrayList<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir, intraOp, interOp)) {
      ModelSpec spec = model.spec();
      int cropsPerTarget = Trackers.forSpec(spec).searchCropsPerTarget();
      Random random = new Random(1);
      int z = spec.exemplarSize();
      int x = spec.instanceSize();
      for (int b : batches) {
        int crops = b * cropsPerTarget;
        float[] exemplars = randomPixels(random, crops * z * z * 3);
        float[] embeddings = model.template(exemplars, crops);
        float[] instances = randomPixels(random, crops * x * x * 3);
        for (int i = 0; i < warmup; i++) {
          model.track(embeddings, instances, crops);
        }
        double[] ms = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
          long t0 = System.nanoTime();
          model.track(embeddings, instances, crops);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double median = Stats.median(ms);
        Result r = new Result(label, b, crops, median, b * 1000 / median, BenchMachine.loadAverage());
        log.printf("  %s B=%d (%d crops): %.1f ms/call, %.0f target-frames/s; load %s%n", label, b, crops, median,
            r.targetFps(), r.load());
        results.add(r);
      }
    }
    return results;
  }

  private static float[] randomPixels(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(256);
    }
    return v;
  }

  public static BenchTable table(List<Result> results, int warmup, int repetitions) {
    BenchTable t = new BenchTable("Model throughput: one batched track call (SavedModelRunner, Java arrays in and out), CPU",
        "model", "targets (B)", "crops", "ms/call", "target-frames/s", "ms/target", "load avg");
    for (Result r : results) {
      t.row(r.model(), r.targets(), r.crops(), r.msPerCall(), r.targetFps(), r.msPerCall() / r.targets(), r.load());
    }
    t.note("median of " + repetitions + " calls after " + warmup + " warm-up calls; crops = targets x search crops per "
        + "target (SiamFC 3 scales, NanoTrack 1)");
    return t;
  }
}
