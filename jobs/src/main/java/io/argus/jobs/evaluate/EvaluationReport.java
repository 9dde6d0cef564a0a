package io.argus.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code argus evaluate}: one row per sequence and their mean, written as JSON
 * so runs of different models can be compared and plotted later.
 *
 * @param model model name from its metadata
 * @param family tracker family (siamfc, nanotrack, ...)
 * @param modelDir where the model was loaded from
 * @param protocol how it was run ("OPE": first frame from ground truth, never re-initialised)
 * @param createdAt ISO-8601 instant of the run
 * @param sequences per-sequence results, in the order run
 * @param mean per-sequence average of AUC, precision and curves; fps is total frames / total time
 */
public record EvaluationReport(String model, String family, String modelDir, String protocol, String createdAt,
    List<SequenceResult> sequences, Summary mean) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One sequence.
   *
   * @param fps frames per second of the whole loop (decode, crop, model, post-processing)
   */
  public record SequenceResult(String sequence, int frames, int evaluatedFrames, double auc, double precision20, double fps,
      double seconds, double[] successCurve, double[] precisionCurve) {

    public static SequenceResult of(String sequence, OnePassEvaluation e, double seconds) {
      return new SequenceResult(sequence, e.frames(), e.evaluatedFrames(), e.auc(), e.precision20(),
          seconds > 0 ? e.frames() / seconds : 0, seconds, e.success(), e.precision());
    }

    OnePassEvaluation evaluation() {
      return new OnePassEvaluation(frames, evaluatedFrames, successCurve, auc, precisionCurve, precision20);
    }
  }

  /** The mean row. */
  public record Summary(int sequences, int frames, double auc, double precision20, double fps, double[] successCurve,
      double[] precisionCurve) {}

  public EvaluationReport {
    sequences = List.copyOf(sequences);
  }

  /** A report whose mean is computed from the sequences. */
  public static EvaluationReport of(String model, String family, String modelDir, String createdAt,
      List<SequenceResult> sequences) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one sequence");
    }
    List<OnePassEvaluation> runs = new ArrayList<>();
    double seconds = 0;
    int frames = 0;
    for (SequenceResult s : sequences) {
      runs.add(s.evaluation());
      seconds += s.seconds();
      frames += s.frames();
    }
    OnePassEvaluation m = OnePassEvaluation.mean(runs);
    Summary mean = new Summary(sequences.size(), frames, m.auc(), m.precision20(), seconds > 0 ? frames / seconds : 0,
        m.success(), m.precision());
    return new EvaluationReport(model, family, modelDir, "OPE", createdAt, sequences, mean);
  }

  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + file, e);
    }
  }

  public static EvaluationReport read(Path file) {
    try {
      return JSON.readValue(file.toFile(), EvaluationReport.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report " + file + ": " + e.getMessage(), e);
    }
  }

  /** A plain-text table: one line per sequence and the mean. */
  public String table() {
    int width = Math.max(8, sequences.stream().mapToInt(s -> s.sequence().length()).max().orElse(8));
    String row = "%-" + width + "s %7s %7s %7s %9s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, row, "sequence", "frames", "AUC", "P@20", "fps"));
    for (SequenceResult s : sequences) {
      out.append(String.format(Locale.ROOT, row, s.sequence(), s.frames(), f3(s.auc()), f3(s.precision20()), f1(s.fps())));
    }
    out.append(String.format(Locale.ROOT, row, "mean", mean.frames(), f3(mean.auc()), f3(mean.precision20()), f1(mean.fps())));
    return out.toString();
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
