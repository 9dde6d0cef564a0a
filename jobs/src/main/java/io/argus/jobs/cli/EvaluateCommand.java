package io.argus.jobs.cli;

import io.argus.jobs.evaluate.EvaluationReport;
import io.argus.jobs.evaluate.KafkaEvaluation;
import io.argus.jobs.evaluate.OnePassEvaluation;
import io.argus.jobs.evaluate.OnePassRun;
import io.argus.jobs.evaluate.Plots;
import io.argus.models.ModelSpec;
import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.Trackers;
import io.argus.operators.flink.ModelLocations;
import io.argus.operators.inference.SavedModelRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"One-pass evaluation (OTB protocol) of a model on annotated sequences: start from the first frame's "
        + "ground truth, never re-initialise; report success AUC, precision at 20 px and frames per second.",
        "Each SEQUENCE_DIR is an OTB folder (img/ + groundtruth_rect.txt), a GOT-10k folder (*.jpg + groundtruth.txt), "
            + "or a folder of such folders.",
        "Example: argus evaluate --model default --report out/eval.json --plots out/plots ../shared/data/sequences"})
final class EvaluateCommand implements Callable<Integer> {

  @Option(names = "--model", defaultValue = ModelLocations.DEFAULT, paramLabel = "DIR",
      description = "Model directory (SavedModel + argus-model.json), or 'default' for the packaged model (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--report", paramLabel = "FILE.json", description = "Write the results as JSON here")
  Path report;

  @Option(names = "--plots", paramLabel = "DIR", description = "Write success.png and precision.png here")
  Path plots;

  @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
      description = "Evaluate only the first N frames of each sequence, 0 = all (default: ${DEFAULT-VALUE})")
  int maxFrames;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "TensorFlow intra-op threads, 0 = one per core (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--through-kafka",
      description = "Run the sequences as cameras through a real (embedded) Kafka broker and the Flink job, and score what comes out of the tracks topic")
  boolean throughKafka;

  @Parameters(arity = "1..*", paramLabel = "SEQUENCE_DIR", description = "Sequences to evaluate on")
  List<Path> sequenceDirs;

  @Override
  public Integer call() throws Exception {
    List<Sequence> sequences = new ArrayList<>();
    for (Path dir : sequenceDirs) {
      sequences.addAll(Sequence.openAll(dir));
    }
    Path modelDir = ModelLocations.resolve(model);
    PrintStream out = System.out;
    List<EvaluationReport.SequenceResult> results = new ArrayList<>();
    ModelSpec spec;
    if (throughKafka) {
      spec = ModelSpec.read(modelDir);
      out.printf(Locale.ROOT, "model %s (%s) from %s, %d sequence(s) through Kafka and Flink%n", spec.name(),
          spec.family(), modelDir, sequences.size());
      KafkaEvaluation.Run run = KafkaEvaluation.run(modelDir.toString(), sequences, maxFrames, System.err);
      int totalFrames = run.predicted().stream().mapToInt(List::size).sum();
      for (int i = 0; i < sequences.size(); i++) {
        Sequence s = sequences.get(i);
        List<Box> predicted = run.predicted().get(i);
        OnePassEvaluation e = OnePassEvaluation.of(predicted, s.groundTruth().subList(0, predicted.size()));
        // the cameras run concurrently: each sequence gets its share of the wall time
        results.add(EvaluationReport.SequenceResult.of(s.name(), e, run.seconds() * predicted.size() / totalFrames));
      }
    } else {
      try (SavedModelRunner runner = SavedModelRunner.load(modelDir, threads, 0)) {
        spec = runner.spec();
        BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(spec), runner);
        out.printf(Locale.ROOT, "model %s (%s) from %s, %d sequence(s)%n", spec.name(), spec.family(), modelDir, sequences.size());
        // the first model calls pay for graph optimisation; keep that out of the first sequence's fps
        OnePassRun.run(tracking, sequences.get(0), 2, done -> { });
        for (Sequence s : sequences) {
          int total = maxFrames > 0 ? Math.min(maxFrames, s.size()) : s.size();
          Progress progress = new Progress(s.name(), total);
          OnePassRun.Result run = OnePassRun.run(tracking, s, maxFrames, progress);
          progress.finish();
          OnePassEvaluation e = OnePassEvaluation.of(run.predicted(), s.groundTruth().subList(0, run.predicted().size()));
          results.add(EvaluationReport.SequenceResult.of(s.name(), e, run.seconds()));
        }
      }
    }
    EvaluationReport result = EvaluationReport.of(spec.name(), spec.family(), modelDir.toString(), Instant.now().toString(), results);
    out.println();
    out.print(result.table());
    if (report != null) {
      result.write(report);
      out.println("report: " + report.toAbsolutePath());
    }
    if (plots != null) {
      for (Path p : Plots.write(result, plots)) {
        out.println("plot:   " + p.toAbsolutePath());
      }
    }
    return 0;
  }

  /** A progress line on stderr, rewritten in place at most a few times a second. */
  private static final class Progress implements java.util.function.IntConsumer {
    private final String name;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPrint;

    Progress(String name, int total) {
      this.name = name;
      this.total = total;
    }

    @Override
    public void accept(int done) {
      long now = System.nanoTime();
      if (now - lastPrint > 250_000_000L || done == total) {
        lastPrint = now;
        double fps = done / Math.max(1e-9, (now - start) / 1e9);
        System.err.printf(Locale.ROOT, "\r  %-24s %6d/%-6d frames  %7.1f fps", name, done, total, fps);
      }
    }

    void finish() {
      System.err.println();
    }
  }
}
