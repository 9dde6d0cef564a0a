package io.argus.jobs.cli;

import io.argus.jobs.bench.BenchMachine;
import io.argus.jobs.bench.BenchModels;
import io.argus.jobs.bench.BenchTable;
import io.argus.jobs.bench.DecodeAndCrop;
import io.argus.jobs.bench.ModelThroughput;
import io.argus.jobs.bench.OpenCvSideBySide;
import io.argus.jobs.bench.ThroughputPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmarks that print tables and write CSV, JSON and PNG plots (see BENCHMARKS.md):",
        "  model     model throughput (target-frames/s) against batch size, SiamFC and NanoTrack",
        "  opencv    Argus vs OpenCV 4.9 TrackerNano side by side, 1..64 targets per frame",
        "  decode    decode + crops per frame: in Java vs in the TensorFlow graph",
        "  pipeline  cameras x targets through a real broker and the Flink job",
        "Progress goes to stderr, tables to stdout."},
    subcommands = {BenchCommand.Model.class, BenchCommand.OpenCv.class, BenchCommand.Decode.class})
final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Options every benchmark shares. */
  static class Common {
    @Option(names = "--out", defaultValue = "docs/results/bench", description = "Folder for CSV, JSON and PNG (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--data", description = "Reference data folder (default: ../shared/data)")
    Path data;

    @Option(names = "--models-cache", description = "Where imported models are kept (default: <tmp>/argus-bench-models)")
    Path modelsCache;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed warm-up frames or calls (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repetitions", defaultValue = "3", description = "Timed repetitions; medians are reported (default: ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--intra-op", defaultValue = "0", description = "TensorFlow intra-op threads, 0 = TensorFlow's choice (default: ${DEFAULT-VALUE})")
    int intraOp;

    @Option(names = "--inter-op", defaultValue = "0", description = "TensorFlow inter-op threads, 0 = TensorFlow's choice (default: ${DEFAULT-VALUE})")
    int interOp;

    Path cache() {
      return modelsCache != null ? modelsCache : BenchModels.defaultCache();
    }

    void check() {
      if (warmup < 0 || repetitions < 1) {
        throw new IllegalArgumentException("--warmup must be >= 0 and --repetitions >= 1, got " + warmup + " and " + repetitions);
      }
    }
  }

  static String commandLine(String sub, String[] args) {
    return "bin/argus bench " + sub + (args.length == 0 ? "" : " " + String.join(" ", args));
  }

  static void header() {
    System.out.println("machine: " + BenchMachine.describe() + "; load average " + BenchMachine.loadAverage());
  }

  @Command(name = "opencv", mixinStandardHelpOptions = true,
      description = {"Argus (BatchedTracking, one batched call per frame for all targets) against OpenCV 4.9 TrackerNano",
          "(one tracker per target), same NanoTrack v2 ONNX weights, same decoded frames, same start boxes",
          "(the ground-truth box and shifted copies). Decoding is not timed on either side."})
  static final class OpenCv implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();

    @Option(names = "--sequence", defaultValue = "Crossing", description = "Sequence under <data>/sequences, or a folder (default: ${DEFAULT-VALUE})")
    String sequence;

    @Option(names = "--frames", defaultValue = "60", description = "Frames per pass, warm-up included (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--targets", split = ",", defaultValue = "1,4,16,64", description = "Targets per frame (default: ${DEFAULT-VALUE})")
    List<Integer> targets;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      common.check();
      Path data = BenchModels.data(common.data);
      Path seq = sequencePath(data, sequence);
      Path model = BenchModels.nanoTrackV2(data, common.cache(), System.err);
      header();
      OpenCvSideBySide.Options o = new OpenCvSideBySide.Options(seq, frames, common.warmup, common.repetitions, targets,
          common.intraOp, common.interOp);
      List<OpenCvSideBySide.Result> results = OpenCvSideBySide.run(o, model, data, System.err);
      BenchTable t = OpenCvSideBySide.table(o, results);
      System.out.print(t.format());
      String base = "opencv-" + seq.getFileName();
      t.write(common.out, base, commandLine("opencv", args(spec)));
      double[] x = results.stream().mapToDouble(OpenCvSideBySide.Result::targets).toArray();
      List<ThroughputPlot.Series> series = new ArrayList<>();
      series.add(new ThroughputPlot.Series("Argus, one batched call per frame",
          x, results.stream().mapToDouble(OpenCvSideBySide.Result::argusTargetFps).toArray()));
      series.add(new ThroughputPlot.Series("OpenCV 4.9 TrackerNano, one per target",
          x, results.stream().mapToDouble(OpenCvSideBySide.Result::openCvTargetFps).toArray()));
      ThroughputPlot.write(series, "NanoTrack v2 on " + seq.getFileName() + ": throughput against targets per frame",
          "targets per frame", "target-frames per second", common.out.resolve(base + ".png"));
      System.err.println("wrote " + common.out.resolve(base) + ".{csv,json,png}");
      return 0;
    }
  }

  @Command(name = "model", mixinStandardHelpOptions = true,
      description = {"Model throughput on this machine: one batched track call for B targets, SiamFC (the packaged",
          "default model, 3 scales per target) and NanoTrack v2, target-frames per second against B."})
  static final class Model implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();

    @Option(names = "--batches", split = ",", defaultValue = "1,2,4,8,16,32,64", description = "Targets per call (default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--models", split = ",", defaultValue = "siamfc,nanotrack", description = "siamfc, nanotrack or model folders (default: ${DEFAULT-VALUE})")
    List<String> models;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      common.check();
      header();
      List<ModelThroughput.Result> all = new ArrayList<>();
      List<ThroughputPlot.Series> series = new ArrayList<>();
      for (String m : models) {
        Path dir = switch (m) {
          case "siamfc" -> BenchModels.siamFc();
          case "nanotrack" -> BenchModels.nanoTrackV2(BenchModels.data(common.data), common.cache(), System.err);
          default -> Path.of(m);
        };
        String label = switch (m) {
          case "siamfc" -> "SiamFC (default, slim)";
          case "nanotrack" -> "NanoTrack v2";
          default -> dir.getFileName().toString();
        };
        System.err.println(label + " from " + dir);
        List<ModelThroughput.Result> r = ModelThroughput.run(label, dir, batches, Math.max(1, common.warmup / 2),
            Math.max(common.repetitions, 5), common.intraOp, common.interOp, System.err);
        all.addAll(r);
        series.add(new ThroughputPlot.Series(label, r.stream().mapToDouble(ModelThroughput.Result::targets).toArray(),
            r.stream().mapToDouble(ModelThroughput.Result::targetFps).toArray()));
      }
      BenchTable t = ModelThroughput.table(all, Math.max(1, common.warmup / 2), Math.max(common.repetitions, 5));
      System.out.print(t.format());
      t.write(common.out, "model", commandLine("model", args(spec)));
      ThroughputPlot.write(series, "Model throughput on CPU (" + Runtime.getRuntime().availableProcessors() + " cores)",
          "targets per call (batch)", "target-frames per second", common.out.resolve("model.png"));
      System.err.println("wrote " + common.out.resolve("model") + ".{csv,json,png}");
      return 0;
    }
  }

  @Command(name = "decode", mixinStandardHelpOptions = true,
      description = {"Decode + search crops per frame, JPEG bytes to the model's input tensor: Java (ImageIO + Java",
          "crops), TensorFlow's DecodeJpeg + Java crops, or all in one TensorFlow graph (DecodeJpeg + CropAndResize)."})
  static final class Decode implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();

    @Option(names = "--sequence", defaultValue = "uav123_boat1", description = "Sequence (its first frame is used), default a 720p one: ${DEFAULT-VALUE}")
    String sequence;

    @Option(names = "--targets", split = ",", defaultValue = "1,4,16,64", description = "Search crops per frame (default: ${DEFAULT-VALUE})")
    List<Integer> targets;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      common.check();
      Path seq = sequencePath(BenchModels.data(common.data), sequence);
      header();
      int reps = Math.max(common.repetitions, 10);
      List<DecodeAndCrop.Result> r = DecodeAndCrop.run(seq, 0, targets, common.warmup, reps, System.err);
      BenchTable t = DecodeAndCrop.table(seq, r, common.warmup, reps);
      System.out.print(t.format());
      t.write(common.out, "decode-" + seq.getFileName(), commandLine("decode", args(spec)));
      System.err.println("wrote " + common.out.resolve("decode-" + seq.getFileName()) + ".{csv,json}");
      return 0;
    }
  }

  static Path sequencePath(Path data, String sequence) {
    Path p = Path.of(sequence);
    return p.toFile().isDirectory() ? p : data.resolve("sequences").resolve(sequence);
  }

  static String[] args(CommandLine.Model.CommandSpec spec) {
    return spec.commandLine().getParseResult().originalArgs().toArray(String[]::new);
  }
}
