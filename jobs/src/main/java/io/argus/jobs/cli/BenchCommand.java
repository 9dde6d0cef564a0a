package io.argus.jobs.cli;

import io.argus.jobs.bench.BenchMachine;
import io.argus.jobs.bench.BenchModels;
import io.argus.jobs.bench.BenchTable;
import io.argus.jobs.bench.DecodeAndCrop;
import io.argus.jobs.bench.ModelThroughput;
import io.argus.jobs.bench.OpenCvSideBySide;
import io.argus.jobs.bench.PipelineBench;
import io.argus.jobs.config.Setting;
import io.argus.models.data.Sequence;
import java.util.LinkedHashMap;
import java.util.Map;
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
    subcommands = {BenchCommand.Model.class, BenchCommand.OpenCv.class, BenchCommand.Decode.class,
        BenchCommand.Pipeline.class})
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

  /** The command as typed: picocli's original arguments already start with "bench SUBCOMMAND". */
  static String commandLine(String sub, String[] args) {
    String typed = String.join(" ", args);
    return "bin/argus " + (typed.startsWith("bench ") ? typed : "bench " + sub + (typed.isEmpty() ? "" : " " + typed));
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
      int reps = Math.max(common.repetitions, 20);
      List<DecodeAndCrop.Result> r = DecodeAndCrop.run(seq, 0, targets, common.warmup, reps, System.err);
      BenchTable t = DecodeAndCrop.table(seq, r, common.warmup, reps);
      System.out.print(t.format());
      t.write(common.out, "decode-" + seq.getFileName(), commandLine("decode", args(spec)));
      System.err.println("wrote " + common.out.resolve("decode-" + seq.getFileName()) + ".{csv,json}");
      return 0;
    }
  }

  @Command(name = "pipeline", mixinStandardHelpOptions = true,
      description = {"Cameras x targets through an embedded Kafka broker and the tracking job on a local Flink:",
          "sustained frames/s (a backlog drained), end-to-end latency p50/p95/p99 at a paced load, process CPU",
          "and resident memory. Every camera replays the same sequence with the targets placed on it.",
          "Job settings go through --set (e.g. --set job.parallelism=2); --variant labels the run."})
  static final class Pipeline implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin SettingsOptions settings;

    @Option(names = "--configs", split = ",", defaultValue = "1x1,4x4,8x16",
        description = "CAMERASxTARGETS configurations (default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--sequence", defaultValue = "Crossing", description = "Sequence every camera replays (default: ${DEFAULT-VALUE})")
    String sequence;

    @Option(names = "--model", defaultValue = "nanotrack", description = "nanotrack, siamfc or a model folder (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--frames", defaultValue = "0",
        description = "Backlog frames per camera for the throughput phase; 0: 3000 target-frames' worth, 40..300 (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "Length of the paced latency phase (default: ${DEFAULT-VALUE})")
    double latencySeconds;

    @Option(names = "--latency-load", defaultValue = "0.5", description = "Paced rate as a fraction of the sustained one (default: ${DEFAULT-VALUE})")
    double latencyLoad;

    @Option(names = "--checkpoint-ms", defaultValue = "1000", description = "Checkpoint interval of the job (default: ${DEFAULT-VALUE})")
    long checkpointMs;

    @Option(names = "--flink", paramLabel = "KEY=VALUE",
        description = "A Flink option for the local cluster, e.g. execution.buffer-timeout.interval=5ms; repeatable")
    Map<String, String> flink = new LinkedHashMap<>();

    @Option(names = "--variant", defaultValue = "main", description = "Label of this run in the table and file names (default: ${DEFAULT-VALUE})")
    String variant;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      common.check();
      List<int[]> parsed = new ArrayList<>();
      for (String c : configs) {
        String[] p = c.toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 2) {
          throw new IllegalArgumentException("--configs takes CAMERASxTARGETS, e.g. 4x16; got " + c);
        }
        parsed.add(new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())});
      }
      Path data = BenchModels.data(common.data);
      Path modelDir = switch (model) {
        case "siamfc" -> BenchModels.siamFc();
        case "nanotrack" -> BenchModels.nanoTrackV2(data, common.cache(), System.err);
        default -> Path.of(model);
      };
      Sequence seq = Sequence.open(sequencePath(data, sequence));
      header();
      PipelineBench.Options o = new PipelineBench.Options(seq, parsed, frames, latencySeconds, latencyLoad, checkpointMs, flink);
      List<PipelineBench.Result> results = PipelineBench.run(variant, o, (bootstrap, suffix) -> {
        Map<String, String> over = new LinkedHashMap<>(settings.overrides);
        over.put(Setting.BOOTSTRAP_SERVERS.key(), bootstrap);
        over.put(Setting.MODEL_PATH.key(), modelDir.toString());
        over.putIfAbsent(Setting.CHECKPOINT_INTERVAL_MS.key(), Long.toString(checkpointMs));
        over.put(Setting.GROUP_ID.key(), "argus-bench-" + suffix);
        over.put(Setting.TOPIC_FRAMES.key(), "bench.frames." + suffix);
        over.put(Setting.TOPIC_COMMANDS.key(), "bench.commands." + suffix);
        over.put(Setting.TOPIC_TRACKS.key(), "bench.tracks." + suffix);
        over.put(Setting.TOPIC_DEAD_LETTERS.key(), "bench.dead-letters." + suffix);
        SettingsOptions withOverrides = settings;
        withOverrides.overrides = over;
        return withOverrides.resolve();
      }, System.err);
      BenchTable t = PipelineBench.table(results, o, seq.name(), modelDir.getFileName().toString());
      System.out.print(t.format());
      String base = "pipeline-" + variant;
      t.write(common.out, base, commandLine("pipeline", args(spec)));
      System.err.println("wrote " + common.out.resolve(base) + ".{csv,json}");
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
