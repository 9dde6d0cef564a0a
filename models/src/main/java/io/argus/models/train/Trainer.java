package io.argus.models.train;

import io.argus.models.ModelSpec;
import io.argus.models.siamfc.Layer;
import io.argus.models.siamfc.SiamFcModel;
import io.argus.models.siamfc.SiamFcWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trains SiamFC on a {@link PairSource} and exports the inference model: seeded initial
 * weights, SGD with momentum on the balanced logistic loss, checkpoints every K steps (a rerun
 * with the same checkpoint directory resumes from the latest), batch-norm population statistics
 * measured after training, then the folded inference graph written as a model directory.
 */
public final class Trainer {

  /** What a run produced. */
  public record Outcome(Path modelDir, ModelSpec spec, int stepsRun, double finalLoss, double secondsPerStep) {}

  private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d+)\\.weights");
  private static final String STEP = "step";
  /** Loss reported as final: the mean over this many last steps (one step's loss is noisy). */
  private static final int LOSS_WINDOW = 50;

  private final TrainOptions options;
  private final PairSource source;
  private final String sourceDescription;
  private final PrintStream out;

  public Trainer(TrainOptions options, PairSource source, String sourceDescription, PrintStream out) {
    this.options = options;
    this.source = source;
    this.sourceDescription = sourceDescription;
    this.out = out;
  }

  public Outcome run() {
    TrainOptions o = options;
    SiamFcWeights weights = SiamFcWeights.initial(o.backbone(), o.seed());
    int start = 0;
    Path latest = o.checkpointDir() == null ? null : latestCheckpoint(o.checkpointDir());
    if (latest != null) {
      weights = SiamFcWeights.load(latest);
      start = (int) weights.require(STEP).values()[0];
      out.printf("resuming from %s (step %d of %d)%n", latest, start, o.steps());
    }
    Deque<Float> recent = new ArrayDeque<>();
    double seconds = 0;
    try (SiamFcTrainingGraph g = new SiamFcTrainingGraph(o.backbone(), o.momentum(), o.weightDecay())) {
      g.load(weights);
      Progress progress = new Progress(out, o.steps(), o.batch());
      try (PairBatches batches = new PairBatches(source, o.batch(), o.seed(), start, o.workers())) {
        long t0 = System.nanoTime();
        for (int step = start; step < o.steps(); step++) {
          float loss = g.step(batches.next(), o.learningRate(step));
          if (!Float.isFinite(loss)) {
            throw new IllegalStateException("loss became " + loss + " at step " + step
                + ": lower the learning rate (--lr-start)");
          }
          recent.addLast(loss);
          if (recent.size() > LOSS_WINDOW) {
            recent.removeFirst();
          }
          seconds = (System.nanoTime() - t0) / 1e9;
          progress.update(step + 1, mean(recent), step + 1 - start, seconds);
          boolean last = step + 1 == o.steps();
          if (o.checkpointDir() != null && ((step + 1) % o.checkpointEvery() == 0 || last)) {
            checkpoint(g, step + 1);
          }
        }
        progress.done();
      }
      SiamFcWeights trained = g.read(false);
      populationStatistics(g, trained);
      int run = o.steps() - start;
      double finalLoss = recent.isEmpty() ? Double.NaN : mean(recent);
      Map<String, String> prov = provenance(finalLoss, run, seconds);
      SiamFcModel.export(o.outputDir(), o.backbone(), trained, o.modelName(), prov);
      out.printf("exported %s to %s%n", o.modelName(), o.outputDir());
      return new Outcome(o.outputDir(), ModelSpec.read(o.outputDir()), run, finalLoss,
          run == 0 ? Double.NaN : seconds / run);
    }
  }

  /**
   * Population mean and variance of every batch-norm layer over {@code bnBatches} fresh batches,
   * both branches weighted alike (as the running averages of siamfc-pytorch are): the mean of
   * the batch means, and by the law of total variance mean(var + mean^2) - mean^2.
   */
  private void populationStatistics(SiamFcTrainingGraph g, SiamFcWeights into) {
    Map<String, double[]> sumMean = new LinkedHashMap<>();
    Map<String, double[]> sumSq = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (PairBatches batches = new PairBatches(source, options.batch(), options.seed() ^ 0x5EEDB47C4L, 0,
        options.workers())) {
      for (int k = 0; k < options.bnBatches(); k++) {
        for (Map.Entry<String, List<float[][]>> e : g.batchStatistics(batches.next()).entrySet()) {
          for (float[][] mv : e.getValue()) {
            double[] m = sumMean.computeIfAbsent(e.getKey(), n -> new double[mv[0].length]);
            double[] s = sumSq.computeIfAbsent(e.getKey(), n -> new double[mv[0].length]);
            for (int c = 0; c < m.length; c++) {
              m[c] += mv[0][c];
              s[c] += mv[1][c] + (double) mv[0][c] * mv[0][c];
            }
            counts.merge(e.getKey(), 1, Integer::sum);
          }
        }
      }
    }
    for (Layer l : Layer.of(options.backbone())) {
      if (!l.batchNorm()) {
        continue;
      }
      double[] m = sumMean.get(l.name());
      double[] s = sumSq.get(l.name());
      int n = counts.get(l.name());
      float[] mean = new float[m.length];
      float[] var = new float[m.length];
      for (int c = 0; c < m.length; c++) {
        double mu = m[c] / n;
        mean[c] = (float) mu;
        var[c] = (float) Math.max(0, s[c] / n - mu * mu);
      }
      into.put(l.mean(), new SiamFcWeights.Tensor(new long[] {m.length}, mean));
      into.put(l.variance(), new SiamFcWeights.Tensor(new long[] {m.length}, var));
    }
  }

  private void checkpoint(SiamFcTrainingGraph g, int step) {
    SiamFcWeights w = g.read(true);
    w.put(STEP, new SiamFcWeights.Tensor(new long[] {1}, new float[] {step}));
    Path file = options.checkpointDir().resolve(String.format(Locale.ROOT, "step-%07d.weights", step));
    w.save(file);
    // keep the newest two: the last one may be what a crash interrupted
    try (Stream<Path> s = Files.list(options.checkpointDir())) {
      List<Path> old = s.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches()).sorted().toList();
      for (int i = 0; i < old.size() - 2; i++) {
        Files.deleteIfExists(old.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkpoint with the highest step in dir, or null. */
  public static Path latestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
          .max((a, b) -> Integer.compare(stepOf(a), stepOf(b))).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int stepOf(Path p) {
    Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  private Map<String, String> provenance(double finalLoss, int run, double seconds) {
    TrainOptions o = options;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", o.commandLine());
    p.put("trainer", "io.argus.models.train.Trainer (TensorFlow Java 1.1.0, graph mode, CPU)");
    p.put("pairs", sourceDescription);
    p.put("seed", Long.toString(o.seed()));
    p.put("steps", Integer.toString(o.steps()));
    p.put("batch", Integer.toString(o.batch()));
    p.put("learningRate", o.lrStart() + " -> " + o.lrEnd() + " (exponential decay)");
    p.put("momentum", Double.toString(o.momentum()));
    p.put("weightDecay", Double.toString(o.weightDecay()));
    p.put("batchNormStatistics", o.bnBatches() + " batches after training, folded into the convolutions");
    p.put("finalLoss", Double.isNaN(finalLoss) ? (o.steps() == 0 ? "n/a (untrained)" : "n/a (no steps this run)")
        : String.format(Locale.ROOT, "%.4f (mean of the last %d steps)", finalLoss, Math.min(LOSS_WINDOW, run)));
    p.put("trainSeconds", String.format(Locale.ROOT, "%.0f (%d steps this run)", seconds, run));
    p.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return p;
  }

  private static double mean(Deque<Float> d) {
    return d.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
  }

  /** A one-line progress bar redrawn in place with a carriage return. */
  static final class Progress {
    private final PrintStream out;
    private final int steps;
    private final int batch;
    private long lastDraw;

    Progress(PrintStream out, int steps, int batch) {
      this.out = out;
      this.steps = steps;
      this.batch = batch;
    }

    void update(int step, double loss, int stepsThisRun, double seconds) {
      long now = System.nanoTime();
      if (step != steps && now - lastDraw < 250_000_000L) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) ((long) width * step / Math.max(1, steps));
      double perStep = seconds / Math.max(1, stepsThisRun);
      long eta = Math.round(perStep * (steps - step));
      out.printf(Locale.ROOT, "\r[%s%s] %d/%d loss %.4f %.1f pairs/s %.2f s/step ETA %d:%02d:%02d ",
          "=".repeat(filled), " ".repeat(width - filled), step, steps, loss, batch / perStep, perStep,
          eta / 3600, eta / 60 % 60, eta % 60);
      out.flush();
    }

    void done() {
      out.println();
    }
  }
}
