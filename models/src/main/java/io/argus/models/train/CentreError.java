package io.argus.models.train;

import io.argus.models.ModelSpec;
import io.argus.models.siamfc.FloatTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * How far a SiamFC model's response peak lands from the true target centre on held-out pairs,
 * in search-crop pixels: a quick check that training helped, not the tracking benchmark (that
 * is the one-pass evaluation on real sequences). The peak is the response argmax refined by a
 * parabola through its neighbours on each axis; its displacement from the map centre times the
 * stride is the predicted offset.
 */
public final class CentreError {

  /**
   * @param pairs pairs measured
   * @param mean mean centre error in pixels
   * @param median median centre error in pixels
   * @param within8 fraction of pairs with error at most 8 px (one score cell)
   * @param within16 fraction within 16 px (the positive radius of the loss)
   */
  public record Stats(int pairs, double mean, double median, double within8, double within16) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d pairs: mean %.2f px, median %.2f px, <=8px %.1f%%, <=16px %.1f%%",
          pairs, mean, median, 100 * within8, 100 * within16);
    }
  }

  private CentreError() {}

  /**
   * Prints the centre error of each model on the same held-out pairs. Usage:
   * {@code CentreError [--pairs N] [--seed S] [--scenes] [--sequences DIR] MODEL_DIR...}
   */
  public static void main(String[] args) {
    int pairs = 200;
    long seed = 0x4E1DL;
    boolean scenes = false;
    java.util.List<Path> sequences = new java.util.ArrayList<>();
    java.util.List<Path> models = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pairs" -> pairs = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--scenes" -> scenes = true;
        case "--sequences" -> sequences.add(Path.of(args[++i]));
        default -> models.add(Path.of(args[i]));
      }
    }
    if (models.isEmpty() || (!scenes && sequences.isEmpty())) {
      System.err.println("usage: CentreError [--pairs N] [--seed S] [--scenes] [--sequences DIR]... MODEL_DIR...");
      System.exit(2);
    }
    PairSource source = TrainingData.source(scenes, sequences, seed);
    for (Path m : models) {
      System.out.println(m + " on " + TrainingData.describe(scenes, sequences) + ": " + measure(m, source, seed, pairs));
    }
  }

  /** Measures the model in {@code modelDir} on n pairs drawn from source with seed. */
  public static Stats measure(Path modelDir, PairSource source, long seed, int n) {
    ModelSpec spec = ModelSpec.read(modelDir);
    int s = spec.scoreSize();
    double[] errors = new double[n];
    SplittableRandom rng = new SplittableRandom(seed);
    try (SavedModelBundle b = SavedModelBundle.loader(modelDir.toString()).withTags("serve").load()) {
      for (int k = 0; k < n; k++) {
        TrainingPair p = source.next(rng.split());
        float[] response;
        try (TFloat32 ex = FloatTensors.of(p.exemplar(), 1, spec.exemplarSize(), spec.exemplarSize(), 3);
            TFloat32 in = FloatTensors.of(p.instance(), 1, spec.instanceSize(), spec.instanceSize(), 3);
            Result e = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ex))) {
          Tensor emb = e.get(ModelSpec.EMBEDDING).orElseThrow();
          try (Result r = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, emb, ModelSpec.INSTANCE, in))) {
            response = FloatTensors.read(r.get("response").orElseThrow());
          }
        }
        double[] peak = peak(response, s);
        double c = (s - 1) / 2.0;
        double dx = (peak[0] - c) * spec.stride();
        double dy = (peak[1] - c) * spec.stride();
        errors[k] = Math.hypot(dx - p.offsetX(), dy - p.offsetY());
      }
    }
    double[] sorted = errors.clone();
    Arrays.sort(sorted);
    double median = n == 0 ? Double.NaN : (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    return new Stats(n, Arrays.stream(errors).average().orElse(Double.NaN), median,
        Arrays.stream(errors).filter(e -> e <= 8).count() / (double) n,
        Arrays.stream(errors).filter(e -> e <= 16).count() / (double) n);
  }

  /** Sub-cell peak (x, y) of a row-major s x s map. */
  static double[] peak(float[] map, int s) {
    int best = 0;
    for (int i = 1; i < s * s; i++) {
      if (map[i] > map[best]) {
        best = i;
      }
    }
    int py = best / s;
    int px = best % s;
    double x = px + (px > 0 && px < s - 1 ? parabola(map[best - 1], map[best], map[best + 1]) : 0);
    double y = py + (py > 0 && py < s - 1 ? parabola(map[best - s], map[best], map[best + s]) : 0);
    return new double[] {x, y};
  }

  private static double parabola(double left, double centre, double right) {
    double d = left - 2 * centre + right;
    return d >= 0 ? 0 : 0.5 * (left - right) / d;
  }
}
