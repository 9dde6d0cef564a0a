package io.argus.jobs.bench;

import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.video.TrackerNano;
import org.opencv.video.TrackerNano_Params;

/**
 * Argus against OpenCV 4.9's TrackerNano on the same decoded frames, the same NanoTrack v2 ONNX
 * weights and the same start boxes, for N targets per frame.
 *
 * <ul>
 *   <li>Argus: {@link BatchedTracking} with the imported v2 SavedModel, ONE call per frame for all
 *       N targets (crops, the batched {@code track} call, per-target post-processing).
 *   <li>OpenCV: one {@code TrackerNano} per target, {@code update(frame)} on each in turn, as an
 *       OpenCV application tracks N objects.
 * </ul>
 * Frames are decoded once, before timing (Java's decoder; OpenCV gets the same pixels as a BGR
 * Mat), so neither side pays for decoding; {@code argus bench decode} measures decoding. Start-up
 * (templates, {@code init}) is not timed either. Each pass runs both sides over the same frames,
 * interleaved frame by frame, so load from other processes falls on both alike; the ratio is
 * taken between the medians of the passes of the same run.
 */
public final class OpenCvSideBySide {

  /** What to run. */
  public record Options(Path sequence, int frames, int warmup, int repetitions, List<Integer> targets,
      int intraOpThreads, int interOpThreads) {}

  /** One N: per-frame times and throughput of both sides. */
  public record Result(int targets, double argusMsPerFrame, double openCvMsPerFrame, double argusTargetFps,
      double openCvTargetFps, double argusCpuMsPerFrame, double openCvCpuMsPerFrame, int timedFrames, String load) {
    public double ratio() {
      return argusTargetFps / openCvTargetFps;
    }
  }

  private OpenCvSideBySide() {}

  /** Loads OpenCV's native library, or says how to get it on the classpath. */
  public static void loadOpenCv() {
    try {
      nu.pattern.OpenCV.loadLocally();
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("OpenCV (org.openpnp:opencv 4.9.0-0) is not on the classpath: run the benchmark "
          + "from the build tree (bin/argus bench opencv), not from the job jar, which leaves OpenCV out");
    }
  }

  public static List<Result> run(Options o, Path modelDir, Path data, PrintStream log) {
    loadOpenCv();
    Sequence seq = Sequence.open(o.sequence());
    int frames = Math.min(o.frames(), seq.size());
    if (frames < o.warmup() + 2) {
      throw new IllegalArgumentException("sequence " + seq.name() + " has " + seq.size() + " frames; need more than the "
          + "warm-up (" + o.warmup() + ") + 1");
    }
    log.printf("decoding %d frames of %s once (Java ImageIO), for both sides%n", frames, seq.name());
    List<RgbImage> images = new ArrayList<>(frames);
    List<Mat> mats = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      RgbImage img = seq.image(f);
      images.add(img);
      mats.add(bgr(img));
    }
    Path backbone = BenchModels.nanoTrackWeights(data, BenchModels.V2_BACKBONE);
    Path head = BenchModels.nanoTrackWeights(data, BenchModels.V2_HEAD);
    log.printf("OpenCV %s, %d threads; TensorFlow intra-op %d, inter-op %d (0 = TensorFlow's choice)%n",
        Core.VERSION, Core.getNumThreads(), o.intraOpThreads(), o.interOpThreads());
    List<Result> results = new ArrayList<>();
    try (SavedModelRunner model = SavedModelRunner.load(modelDir, o.intraOpThreads(), o.interOpThreads())) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      for (int n : o.targets()) {
        List<Box> boxes = TargetLayout.place(seq.truth(0), n, images.get(0).width(), images.get(0).height());
        double[] argus = new double[o.repetitions()];
        double[] cv = new double[o.repetitions()];
        double[] argusCpu = new double[o.repetitions()];
        double[] cvCpu = new double[o.repetitions()];
        for (int r = 0; r < o.repetitions(); r++) {
          Pass[] p = pass(tracking, images, mats, boxes, backbone, head, o.warmup());
          argus[r] = p[0].wallMs();
          cv[r] = p[1].wallMs();
          argusCpu[r] = p[0].cpuMs();
          cvCpu[r] = p[1].cpuMs();
          log.printf("  %2d targets, pass %d/%d: Argus %.1f ms/frame (CPU %.1f), OpenCV %.1f ms/frame (CPU %.1f); load %s%n",
              n, r + 1, o.repetitions(), argus[r], argusCpu[r], cv[r], cvCpu[r], BenchMachine.loadAverage());
        }
        double a = Stats.median(argus);
        double c = Stats.median(cv);
        results.add(new Result(n, a, c, n * 1000 / a, n * 1000 / c, Stats.median(argusCpu), Stats.median(cvCpu),
            frames - 1 - o.warmup(), BenchMachine.loadAverage()));
      }
    } finally {
      mats.forEach(Mat::release);
    }
    return results;
  }

  /** Wall and process-CPU milliseconds per frame of one side, after the warm-up frames. */
  record Pass(double wallMs, double cpuMs) {}

  /**
   * One pass over the frames with both sides, interleaved frame by frame (Argus's step, then every
   * OpenCV tracker's update, on the same frame), so a shared machine's load falls on both alike.
   */
  static Pass[] pass(BatchedTracking tracking, List<RgbImage> images, List<Mat> mats, List<Box> boxes, Path backbone,
      Path head, int warmup) {
    List<StartRequest> requests = new ArrayList<>();
    List<TrackerNano> trackers = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      Box b = boxes.get(i);
      requests.add(new StartRequest("t" + i, b, null));
      TrackerNano_Params p = new TrackerNano_Params();
      p.set_backbone(backbone.toString());
      p.set_neckhead(head.toString());
      TrackerNano t = TrackerNano.create(p);
      t.init(mats.get(0), new Rect((int) b.x(), (int) b.y(), (int) b.width(), (int) b.height()));
      trackers.add(t);
    }
    List<TargetState> states = tracking.start(images.get(0), requests, 0);
    Rect r = new Rect();
    long argusWall = 0;
    long cvWall = 0;
    double argusCpu = 0;
    double cvCpu = 0;
    for (int f = 1; f < images.size(); f++) {
      boolean timed = f > warmup;
      double c0 = BenchMachine.processCpuSeconds();
      long t0 = System.nanoTime();
      List<TrackStep> steps = tracking.track(images.get(f), states, f);
      long t1 = System.nanoTime();
      double c1 = BenchMachine.processCpuSeconds();
      List<TargetState> next = new ArrayList<>(steps.size());
      for (TrackStep s : steps) {
        next.add(s.state());
      }
      states = next;
      Mat m = mats.get(f);
      double c2 = BenchMachine.processCpuSeconds();
      long t2 = System.nanoTime();
      for (TrackerNano t : trackers) {
        t.update(m, r);
      }
      long t3 = System.nanoTime();
      double c3 = BenchMachine.processCpuSeconds();
      if (timed) {
        argusWall += t1 - t0;
        cvWall += t3 - t2;
        argusCpu += c1 - c0;
        cvCpu += c3 - c2;
      }
    }
    int n = images.size() - 1 - warmup;
    return new Pass[] {new Pass(argusWall / 1e6 / n, argusCpu * 1000 / n), new Pass(cvWall / 1e6 / n, cvCpu * 1000 / n)};
  }

  /** The same pixels as an OpenCV BGR image. */
  public static Mat bgr(RgbImage img) {
    byte[] rgb = img.rgb();
    byte[] bgr = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    Mat m = new Mat(img.height(), img.width(), CvType.CV_8UC3);
    m.put(0, 0, bgr);
    return m;
  }

  public static BenchTable table(Options o, List<Result> results) {
    BenchTable t = new BenchTable("Argus (BatchedTracking, NanoTrack v2 SavedModel, one call per frame) vs OpenCV "
        + Core.VERSION + " TrackerNano (one per target), same decoded frames of "
        + o.sequence().getFileName() + ", decode not timed",
        "targets", "Argus ms/frame", "OpenCV ms/frame", "Argus target-fps", "OpenCV target-fps", "ratio",
        "Argus CPU ms/frame", "OpenCV CPU ms/frame", "load avg");
    for (Result r : results) {
      t.row(r.targets(), r.argusMsPerFrame(), r.openCvMsPerFrame(), r.argusTargetFps(), r.openCvTargetFps(), r.ratio(),
          r.argusCpuMsPerFrame(), r.openCvCpuMsPerFrame(), r.load());
    }
    t.note(String.format("medians of %d passes x %d timed frames (after %d warm-up frames); both sides interleaved frame by "
        + "frame in each pass; ratio = Argus / OpenCV target-frames per second (wall clock); CPU = process CPU time "
        + "(all threads) per frame", o.repetitions(), results.isEmpty() ? 0 : results.get(0).timedFrames(), o.warmup()));
    return t;
  }
}
