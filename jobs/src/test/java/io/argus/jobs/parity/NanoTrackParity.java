package io.argus.jobs.parity;

import io.argus.jobs.bench.OpenCvSideBySide;
import io.argus.jobs.evaluate.OnePassEvaluation;
import io.argus.models.ModelSpec;
import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.nanotrack.NanoTrackHyper;
import io.argus.models.nanotrack.NanoTrackImport;
import io.argus.models.nanotrack.NetworkInput;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.NanoTrackTracker;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.video.TrackerNano;
import org.opencv.video.TrackerNano_Params;

/**
 * NanoTrack in this project against OpenCV 4.9's {@code TrackerNano}, side by side on the same
 * sequences with the same ONNX weights: one-pass evaluation (start on frame 1 from the ground
 * truth, never restart), success AUC and precision@20px for each, frames per second of one
 * target including reading and decoding the image.
 *
 * <p>A benchmark main for the full table (OpenCV 4.9 cannot run v3: its score map size is a
 * constant 16, v3's is 15); {@link NanoTrackParityTest} asserts the v2 requirement. From the
 * repository root:
 * <pre>
 *   mvn -B -q -pl jobs -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 *   cd jobs &amp;&amp; java -cp target/test-classes:target/classes:$(cat cp.txt) io.argus.jobs.parity.NanoTrackParity \
 *       v2,v1,v3 [--sequences=Crossing,Girl] [--hyper=NANOTRACK_V2] [--python-arithmetic] [--opencv-our-pixels]
 * </pre>
 */
public final class NanoTrackParity {

  /** One NanoTrack release: its ONNX files in data/weights/nanotrack. */
  public record Version(String name, String backbone, String head, boolean openCvRuns) {
    public static final Version V1 = new Version("v1", "nanotrack_v1_backbone_sim.onnx", "nanotrack_v1_head_sim.onnx", true);
    public static final Version V2 = new Version("v2", "nanotrack_v2_backbone_sim.onnx", "nanotrack_v2_head_sim.onnx", true);
    public static final Version V3 = new Version("v3", "nanotrack_v3_backbone.onnx", "nanotrack_v3_head.onnx", false);
  }

  /** One tracker's run on one sequence. */
  public record Run(List<Box> boxes, OnePassEvaluation evaluation, double fps) {}

  /** Both trackers on one sequence; {@code openCv} is null where OpenCV cannot run the version. */
  public record Row(String sequence, Run ours, Run openCv, double meanIouBetween) {}

  private NanoTrackParity() {}

  /** {@code ../shared/data} from the working directory or its parent (Maven runs tests in the module). */
  public static Path sharedData() {
    for (Path p : new Path[] {Path.of("../shared/data"), Path.of("../../shared/data")}) {
      if (Files.isDirectory(p.resolve("sequences")) && Files.isDirectory(p.resolve("weights/nanotrack"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  /** The start box both trackers get: OpenCV takes an integer Rect, so ours starts from the same one. */
  static Rect startRect(Box truth) {
    return new Rect((int) Math.round(truth.x()), (int) Math.round(truth.y()), (int) Math.round(truth.width()),
        (int) Math.round(truth.height()));
  }

  static Box box(Rect r) {
    return new Box(r.x, r.y, r.width, r.height);
  }

  /** This project's tracker: one target through BatchedTracking, exactly as the operator and evaluate run it. */
  public static Run runOurs(Sequence seq, SavedModelRunner model) {
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    List<Box> boxes = new ArrayList<>(seq.size());
    Box start = box(startRect(seq.truth(0)));
    RgbImage first = seq.image(0);
    TargetState state = tracking.start(first, List.of(new StartRequest("target", start, null)), 0).get(0);
    boxes.add(start);
    long t0 = System.nanoTime();
    for (int f = 1; f < seq.size(); f++) {
      RgbImage frame = seq.image(f);
      var step = tracking.track(frame, List.of(state), f).get(0);
      state = step.state();
      boxes.add(step.box());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(boxes, OnePassEvaluation.of(boxes, seq.groundTruth()), (seq.size() - 1) / seconds);
  }

  /**
   * OpenCV 4.9 TrackerNano on the same sequence, frames read with imread (BGR, libjpeg) as an
   * OpenCV application would; {@code ourPixels} feeds it this project's decoded frames instead,
   * to tell the trackers' differences from the JPEG decoders'.
   */
  public static Run runOpenCv(Sequence seq, Path backbone, Path head, boolean ourPixels) {
    TrackerNano_Params params = new TrackerNano_Params();
    params.set_backbone(backbone.toString());
    params.set_neckhead(head.toString());
    TrackerNano tracker = TrackerNano.create(params);
    List<Box> boxes = new ArrayList<>(seq.size());
    Rect start = startRect(seq.truth(0));
    Mat first = read(seq, 0, ourPixels);
    tracker.init(first, start);
    first.release();
    boxes.add(box(start));
    Rect r = new Rect();
    long t0 = System.nanoTime();
    for (int f = 1; f < seq.size(); f++) {
      Mat frame = read(seq, f, ourPixels);
      tracker.update(frame, r);
      frame.release();
      boxes.add(box(r));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(boxes, OnePassEvaluation.of(boxes, seq.groundTruth()), (seq.size() - 1) / seconds);
  }

  private static Mat read(Sequence seq, int f, boolean ourPixels) {
    if (!ourPixels) {
      Mat m = Imgcodecs.imread(seq.frames().get(f).toString(), Imgcodecs.IMREAD_COLOR);
      if (m.empty()) {
        throw new IllegalStateException("OpenCV cannot read " + seq.frames().get(f));
      }
      return m;
    }
    return OpenCvSideBySide.bgr(seq.image(f));
  }

  static double meanIou(List<Box> a, List<Box> b) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += a.get(i).iou(b.get(i));
    }
    return sum / a.size();
  }

  /**
   * How the model is imported for a comparison.
   *
   * @param hyper hyper-parameter preset (OPENCV is the product default)
   * @param opencvArithmetic the tracker's {@code opencvArithmetic} (1, the default: OpenCV 4.9's; 0: the Python tracker's)
   * @param openCvOurPixels feed OpenCV this project's decoded frames instead of imread's
   */
  public record Setup(NanoTrackHyper hyper, double opencvArithmetic, boolean openCvOurPixels) {
    public static final Setup PRODUCT = new Setup(NanoTrackHyper.OPENCV, 1, false);
  }

  /** Imports a version's ONNX pair (RGB input, as OpenCV feeds it) with the setup's hyper-parameters. */
  public static ModelSpec importModel(Path data, Version v, Setup setup, Path modelDir) {
    Path w = data.resolve("weights/nanotrack");
    ModelSpec spec = NanoTrackImport.export(w.resolve(v.backbone()), w.resolve(v.head()), modelDir,
        new NanoTrackImport.Options("nanotrack-" + v.name(), NetworkInput.RGB, setup.hyper()));
    if (spec.hyper().getOrDefault(NanoTrackTracker.OPENCV_ARITHMETIC, 1.0) != setup.opencvArithmetic()) {
      Map<String, Double> hyper = new TreeMap<>(spec.hyper());
      hyper.put(NanoTrackTracker.OPENCV_ARITHMETIC, setup.opencvArithmetic());
      spec = new ModelSpec(spec.family(), spec.name(), spec.exemplarSize(), spec.instanceSize(), spec.scoreSize(),
          spec.stride(), spec.embeddingShape(), spec.outputs(), hyper, spec.provenance());
      spec.write(modelDir);
    }
    return spec;
  }

  /** Runs both trackers on each sequence with one version of the weights. */
  public static List<Row> compare(Path data, Version v, Setup setup, List<String> sequences, Path workDir) {
    nu.pattern.OpenCV.loadLocally();
    Path modelDir = workDir.resolve("nanotrack-" + v.name());
    importModel(data, v, setup, modelDir);
    Path w = data.resolve("weights/nanotrack");
    List<Row> rows = new ArrayList<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir)) {
      for (String name : sequences) {
        Sequence seq = Sequence.open(data.resolve("sequences").resolve(name));
        Run ours = runOurs(seq, model);
        Run cv = v.openCvRuns()
            ? runOpenCv(seq, w.resolve(v.backbone()), w.resolve(v.head()), setup.openCvOurPixels())
            : null;
        rows.add(new Row(name, ours, cv, cv == null ? Double.NaN : meanIou(ours.boxes(), cv.boxes())));
      }
    }
    return rows;
  }

  public static String table(Version v, Setup setup, List<Row> rows) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "NanoTrack %s, hyper %s, opencvArithmetic %.0f%s: ours vs OpenCV 4.9 TrackerNano"
        + " (one-pass from frame 1; fps of one target incl. reading the frame)%n", v.name(), setup.hyper(),
        setup.opencvArithmetic(), setup.openCvOurPixels() ? ", OpenCV fed our decoded frames" : ""));
    s.append(String.format(Locale.ROOT, "%-14s %8s %8s %8s | %8s %8s %8s | %7s %9s%n", "sequence", "AUC", "P@20",
        "fps", "AUC cv", "P@20 cv", "fps cv", "dAUC", "IoU(o,cv)"));
    for (Row r : rows) {
      OnePassEvaluation o = r.ours().evaluation();
      if (r.openCv() == null) {
        s.append(String.format(Locale.ROOT, "%-14s %8.3f %8.3f %8.1f | %8s %8s %8s | %7s %9s%n", r.sequence(), o.auc(),
            o.precision20(), r.ours().fps(), "-", "-", "-", "-", "-"));
      } else {
        OnePassEvaluation c = r.openCv().evaluation();
        s.append(String.format(Locale.ROOT, "%-14s %8.3f %8.3f %8.1f | %8.3f %8.3f %8.1f | %+7.3f %9.3f%n",
            r.sequence(), o.auc(), o.precision20(), r.ours().fps(), c.auc(), c.precision20(), r.openCv().fps(),
            o.auc() - c.auc(), r.meanIouBetween()));
      }
    }
    return s.toString();
  }

  public static final List<String> SEQUENCES = List.of("Crossing", "Girl", "bag", "uav123_boat1");

  /**
   * Arguments: {@code [v1,v2,v3] [--sequences=A,B] [--hyper=PRESET] [--python-arithmetic]
   * [--opencv-our-pixels]}; without versions v2, v1, v3. Models are imported under
   * {@code target/parity-models}.
   */
  public static void main(String[] args) throws IOException {
    Path data = sharedData();
    if (data == null) {
      System.out.println("NanoTrackParity skipped: ../shared/data (sequences + weights/nanotrack) absent");
      return;
    }
    List<Version> versions = new ArrayList<>();
    List<String> sequences = SEQUENCES;
    NanoTrackHyper hyper = NanoTrackHyper.OPENCV;
    double arithmetic = 1;
    boolean ourPixels = false;
    for (String a : args) {
      if (a.equals("--opencv-our-pixels")) {
        ourPixels = true;
      } else if (a.equals("--python-arithmetic")) {
        arithmetic = 0;
      } else if (a.startsWith("--hyper=")) {
        hyper = NanoTrackHyper.valueOf(a.substring("--hyper=".length()));
      } else if (a.startsWith("--sequences=")) {
        sequences = List.of(a.substring("--sequences=".length()).split(","));
      } else {
        for (String n : a.split(",")) {
          versions.add(switch (n.trim()) {
            case "v1" -> Version.V1;
            case "v2" -> Version.V2;
            case "v3" -> Version.V3;
            default -> throw new IllegalArgumentException("unknown argument '" + n + "': versions v1, v2, v3; "
                + "--sequences=A,B --hyper=PRESET --python-arithmetic --opencv-our-pixels");
          });
        }
      }
    }
    if (versions.isEmpty()) {
      versions = List.of(Version.V2, Version.V1, Version.V3);
    }
    Path work = Files.createDirectories(Path.of("target/parity-models"));
    Setup setup = new Setup(hyper, arithmetic, ourPixels);
    for (Version v : versions) {
      System.out.print(table(v, setup, compare(data, v, setup, sequences, work)));
    }
  }
}
