package io.argus.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.jobs.feed.FeedFrame;
import io.argus.jobs.feed.FramePublisher;
import io.argus.models.data.ImageEncoding;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.proto.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix against the real broker and the running job: ONE broker and ONE job for
 * every case, each case on its own camera so its outcome is attributable, and a healthy camera
 * alongside whose tracks must be complete and equal to the tracker run directly on its frames.
 *
 * <p>The run is phased so every outcome is deterministic even though frames and commands come
 * from two topics: (1) all commands, each camera's followed by a "probe" STOP whose UNKNOWN_TARGET
 * dead letter proves the camera's commands were processed (commands of one camera stay in order);
 * (2) all frames, until every expected update is committed; (3) the commands that must come after
 * the frames (a START naming a frame that has left the buffer).
 */
class BadInputMatrixTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final int FRAMES = 24;
  static final int BAD = 8; // the frame a frame-level case spoils
  static final int MAX_FRAME_BYTES = 200_000;

  @TempDir static Path tmp;
  static Rig rig;
  static JobClient job;
  static MiniCluster cluster;
  static Reference reference;
  static final Map<String, SquaresFeed> feeds = new LinkedHashMap<>();
  static final List<String> table = new ArrayList<>();

  // ---- the run ------------------------------------------------------------------------------

  /** Runs in the test factory, after the extension has made the MiniCluster the context environment. */
  static void run(MiniCluster miniCluster) throws Exception {
    long t0 = System.nanoTime();
    cluster = miniCluster;
    Path model = ProbeModel.export(tmp.resolve("probe-model"));
    reference = new Reference(model);
    rig = new Rig("matrix", Map.of(
        Setting.MODEL_PATH.key(), model.toString(),
        Setting.MAX_FRAME_BYTES.key(), String.valueOf(MAX_FRAME_BYTES),
        Setting.MAX_TARGETS.key(), "3",
        Setting.MAX_PENDING_STARTS.key(), "3"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(rig.flinkConfiguration());
    TrackingJob.build(env, rig.settings);
    job = env.executeAsync("bad-input-matrix");

    int seed = 0;
    for (String camera : List.of("healthy", "truncated-jpeg", "not-an-image", "empty-record", "too-large",
        "unknown-encoding", "not-a-frame", "no-camera-id", "negative-sequence", "size-lie", "model-nan",
        "out-of-order", "duplicates", "resolution-change", "never-arrives", "too-old", "duplicate-start",
        "nan-box", "negative-box", "zero-area-box", "outside-box", "stop-unknown")) {
      feeds.put(camera, new SquaresFeed(camera, 320, 240, camera.equals("healthy") ? 2 : 1, seed++, FRAMES));
    }
    feeds.put("too-many-targets", new SquaresFeed("too-many-targets", 320, 240, 4, seed, FRAMES));

    // (1) commands
    SquaresFeed healthy = feeds.get("healthy");
    rig.command(Rig.start("healthy", "A", 0, healthy.truth(0, 0)));
    rig.command(Rig.start("healthy", "B", 0, healthy.truth(1, 0)));
    for (String camera : feeds.keySet()) {
      if (!camera.equals("healthy") && !camera.equals("too-many-targets") && !camera.equals("stop-unknown")) {
        rig.command(Rig.start(camera, "t", 0, feeds.get(camera).truth(0, 0)));
      }
    }
    rig.command(Rig.start("duplicate-start", "t", 0, feeds.get("duplicate-start").truth(0, 0)));
    rig.command(Rig.start("nan-box", "bad", 0, new Box(Double.NaN, 10, 40, 40)));
    rig.command(Rig.start("negative-box", "bad", 0, new Box(10, 10, -40, 40)));
    rig.command(Rig.start("zero-area-box", "bad", 0, new Box(10, 10, 0, 40)));
    rig.command(Rig.start("outside-box", "bad", 0, new Box(1000, 1000, 40, 40)));
    rig.command(Rig.stop("stop-unknown", "ghost"));
    rig.command(Rig.start("never-arrives", "late", 10, feeds.get("never-arrives").truth(0, 10)));
    rig.command(Rig.start("resolution-change", "t2", 14, feeds.get("resolution-change").resized(640, 480).truth(0, 14)));
    for (int i = 0; i < 4; i++) {
      rig.command(Rig.start("too-many-targets", "t" + i, 0, feeds.get("too-many-targets").truth(i, 0)));
    }
    byte[] command = AvroCodec.trackCommands().encode(Rig.start("unknown-schema", "t", 0, new Box(1, 1, 9, 9)));
    command[2] ^= 0x5A; // a fingerprint no known schema version has
    rig.commandRecord("unknown-schema", command);
    rig.commandRecord("not-avro", "START cam t 0 1,1,9,9".getBytes(StandardCharsets.UTF_8));
    for (String camera : feeds.keySet()) {
      rig.command(Rig.stop(camera, Rig.PROBE));
    }
    rig.flush();
    Outputs.await("the probe STOP of every camera", Duration.ofSeconds(90),
        () -> rig.outputs.deadLetters(Rig::isProbe).size() >= feeds.size());
    long t1 = System.nanoTime();

    // (2) frames
    for (long seq = 0; seq < FRAMES; seq++) {
      for (Map.Entry<String, SquaresFeed> e : feeds.entrySet()) {
        sendFrame(e.getKey(), e.getValue(), seq);
      }
    }
    rig.flush();
    Outputs.await("every expected update", Duration.ofSeconds(120), () -> missingUpdates() == 0);
    long t2 = System.nanoTime();

    // (3) commands that must come after the frames
    rig.command(Rig.start("too-old", "old", 2, feeds.get("too-old").truth(0, 2)));
    rig.command(Rig.stop("too-old", Rig.PROBE));
    rig.flush();
    Outputs.await("the too-old START's answer", Duration.ofSeconds(60),
        () -> rig.outputs.deadLetters(d -> d.getCameraId().equals("too-old") && Rig.isProbe(d)).size() == 2);
    Thread.sleep(1500); // a few more checkpoints: anything extra would be a duplicate
    System.out.printf("matrix run: commands %.1f s, frames %.1f s, late commands %.1f s%n", (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
  }

  /** A camera's frame as the case wants it on the wire. */
  static void sendFrame(String camera, SquaresFeed feed, long seq) {
    FeedFrame f = feed.frame(seq);
    Frame normal = FramePublisher.toFrame(camera, seq, System.currentTimeMillis(), f);
    boolean bad = seq == BAD;
    switch (camera) {
      case "truncated-jpeg" -> rig.frame(camera, bad ? normal.toBuilder()
          .setData(ByteString.copyFrom(Arrays.copyOf(f.encoded(), f.encoded().length / 2))).build() : normal);
      case "not-an-image" -> rig.frame(camera, bad ? normal.toBuilder()
          .setData(ByteString.copyFromUtf8("this is not an image")).build() : normal);
      case "too-large" -> {
        byte[] big = new byte[MAX_FRAME_BYTES + 50_000];
        new Random(seq).nextBytes(big);
        rig.frame(camera, bad ? normal.toBuilder().setData(ByteString.copyFrom(big)).build() : normal);
      }
      case "unknown-encoding" -> rig.frame(camera, bad ? normal.toBuilder().setEncodingValue(7).build() : normal);
      case "size-lie" -> rig.frame(camera, bad ? normal.toBuilder().setData(ByteString.copyFrom(ImageEncoding.jpeg(
          new SquaresFeed(camera, 400, 300, 1, 0, FRAMES).image(seq), 0.9f))).build() : normal);
      case "model-nan" -> rig.frame(camera, bad ? FramePublisher.toFrame(camera, seq, System.currentTimeMillis(),
          feed.blackFrame()) : normal);
      case "empty-record" -> {
        rig.frame(camera, normal);
        if (bad) {
          rig.frameRecord(camera, new byte[0]);
        }
      }
      case "not-a-frame" -> {
        rig.frame(camera, normal);
        if (bad) {
          rig.frameRecord(camera, "{\"camera\": \"not-a-frame\", \"frame\": 8}".getBytes(StandardCharsets.UTF_8));
        }
      }
      case "no-camera-id" -> {
        rig.frame(camera, normal);
        if (bad) {
          rig.frame(camera, normal.toBuilder().setCameraId("").setSequence(seq + 1).build());
        }
      }
      case "negative-sequence" -> {
        rig.frame(camera, normal);
        if (bad) {
          rig.frame(camera, normal.toBuilder().setSequence(-5).build());
        }
      }
      case "out-of-order" -> {
        // 9, 12, 10, 11, 13: frames 10 and 11 arrive after 12
        if (seq == 10 || seq == 11) {
          return;
        }
        rig.frame(camera, normal);
        if (seq == 12) {
          rig.frame(camera, FramePublisher.toFrame(camera, 10, System.currentTimeMillis(), feed.frame(10)));
          rig.frame(camera, FramePublisher.toFrame(camera, 11, System.currentTimeMillis(), feed.frame(11)));
        }
      }
      case "duplicates" -> {
        rig.frame(camera, normal);
        if (seq == 5 || seq == 6) {
          rig.frame(camera, normal);
        }
        if (seq == 9) {
          rig.frame(camera, FramePublisher.toFrame(camera, 3, System.currentTimeMillis(), feed.frame(3)));
        }
      }
      case "resolution-change" -> rig.frame(camera, seq < 12 ? normal
          : FramePublisher.toFrame(camera, seq, System.currentTimeMillis(), feed.resized(640, 480).frame(seq)));
      case "never-arrives" -> {
        if (seq != 10) {
          rig.frame(camera, normal);
        }
      }
      default -> rig.frame(camera, normal);
    }
  }

  // ---- what each camera should show ---------------------------------------------------------

  static List<Long> frames(long from, long to, long... except) {
    return LongStream.range(from, to).filter(s -> Arrays.stream(except).noneMatch(e -> e == s)).boxed().toList();
  }

  /** Frames each (camera, target) must have exactly one TRACKING/LOST update for. */
  static Map<String, List<Long>> expected() {
    Map<String, List<Long>> e = new LinkedHashMap<>();
    List<Long> all = frames(0, FRAMES);
    e.put("healthy/A", all);
    e.put("healthy/B", all);
    for (String camera : List.of("truncated-jpeg", "not-an-image", "too-large", "unknown-encoding", "size-lie",
        "model-nan")) {
      e.put(camera + "/t", frames(0, FRAMES, BAD));
    }
    for (String camera : List.of("empty-record", "not-a-frame", "no-camera-id", "negative-sequence", "too-old",
        "duplicate-start", "nan-box", "negative-box", "zero-area-box", "outside-box", "duplicates")) {
      e.put(camera + "/t", all);
    }
    e.put("out-of-order/t", frames(0, FRAMES, 10, 11));
    e.put("never-arrives/t", frames(0, FRAMES, 10));
    e.put("resolution-change/t", frames(0, 12));
    e.put("resolution-change/t2", frames(14, FRAMES));
    for (int i = 0; i < 3; i++) {
      e.put("too-many-targets/t" + i, all);
    }
    return e;
  }

  static long missingUpdates() {
    long missing = 0;
    for (Map.Entry<String, List<Long>> e : expected().entrySet()) {
      String[] ct = e.getKey().split("/");
      List<Long> seen = rig.outputs.positions(ct[0], ct[1]).stream().map(TrackUpdate::getFrameSequence).toList();
      missing += e.getValue().stream().filter(s -> !seen.contains(s)).count();
    }
    return missing;
  }

  static List<DeadLetterReason> reasons(String camera) {
    return rig.outputs.deadLetters(d -> camera.equals(d.getCameraId()) && !Rig.isProbe(d)).stream()
        .map(DeadLetter::getReason).toList();
  }

  /**
   * The target's updates: exactly one per expected frame, in frame order, boxes equal to the
   * tracker run directly on the frames it should have tracked.
   */
  static void tracksAsExpected(String camera, String target, SquaresFeed feed, Map<String, Box> starts) {
    List<Long> want = expected().get(camera + "/" + target);
    List<TrackUpdate> got = rig.outputs.positions(camera, target);
    assertThat(got).extracting(TrackUpdate::getFrameSequence).as("frames of %s/%s", camera, target)
        .containsExactlyElementsOf(want);
    Map<Long, Box> ref = reference.run(starts, want, s -> feed.frame(s).encoded()).get(target);
    for (TrackUpdate u : got) {
      assertThat(Reference.difference(u, ref.get(u.getFrameSequence())))
          .as("%s/%s frame %d against the reference", camera, target, u.getFrameSequence())
          .isLessThan(Reference.TOLERANCE);
    }
  }

  static void oneTargetTracksAsExpected(String camera) {
    SquaresFeed feed = feeds.get(camera);
    tracksAsExpected(camera, "t", feed, Map.of("t", feed.truth(0, 0)));
  }

  static Executable frameCase(String camera, DeadLetterReason reason, String messagePart) {
    return () -> {
      assertThat(reasons(camera)).containsExactly(reason);
      assertThat(rig.outputs.deadLetters(d -> camera.equals(d.getCameraId()) && !Rig.isProbe(d)).get(0).getMessage())
          .contains(messagePart);
      oneTargetTracksAsExpected(camera);
    };
  }

  static Executable skippedFrames(String camera) {
    return () -> {
      assertThat(reasons(camera)).as("skipped and counted, never dead-lettered").isEmpty();
      oneTargetTracksAsExpected(camera);
    };
  }

  static Executable commandCase(String camera, DeadLetterReason reason, String messagePart) {
    return () -> {
      assertThat(reasons(camera)).containsExactly(reason);
      DeadLetter d = rig.outputs.deadLetters(x -> camera.equals(x.getCameraId()) && !Rig.isProbe(x)).get(0);
      assertThat(d.getMessage()).contains(messagePart);
      assertThat(d.getPayload().remaining()).as("the original command rides along").isPositive();
      if (feeds.containsKey(camera)) {
        oneTargetTracksAsExpected(camera);
      }
    };
  }

  // ---- the cases ----------------------------------------------------------------------------

  record Case(String name, String input, String outcome, Executable check) {}

  static List<Case> cases() {
    return List.of(
        new Case("truncated JPEG", "frame 8 cut to half its bytes", "UNREADABLE_IMAGE; t skips frame 8",
            frameCase("truncated-jpeg", DeadLetterReason.UNREADABLE_IMAGE, "truncated")),
        new Case("non-image bytes", "frame 8 data is text, encoding JPEG", "UNREADABLE_IMAGE; t skips frame 8",
            frameCase("not-an-image", DeadLetterReason.UNREADABLE_IMAGE, "not a JPEG")),
        new Case("zero-length payload", "an empty record on the frames topic", "UNREADABLE_FRAME (camera from the key)",
            frameCase("empty-record", DeadLetterReason.UNREADABLE_FRAME, "empty message")),
        new Case("frame over the size limit", "frame 8 with 250 kB data, limit 200 kB", "FRAME_TOO_LARGE; t skips 8",
            frameCase("too-large", DeadLetterReason.FRAME_TOO_LARGE, "exceeds the limit")),
        new Case("unknown encoding", "frame 8 with encoding number 7", "UNSUPPORTED_ENCODING; t skips frame 8",
            frameCase("unknown-encoding", DeadLetterReason.UNSUPPORTED_ENCODING, "number 7")),
        new Case("bytes that are not a Frame", "JSON text on the frames topic", "UNREADABLE_FRAME",
            frameCase("not-a-frame", DeadLetterReason.UNREADABLE_FRAME, "argus.v1.Frame")),
        new Case("frame without camera id", "a Frame with camera_id \"\"", "UNREADABLE_FRAME (camera from the key)",
            frameCase("no-camera-id", DeadLetterReason.UNREADABLE_FRAME, "camera_id is empty")),
        new Case("negative sequence", "a Frame with sequence -5", "UNREADABLE_FRAME",
            frameCase("negative-sequence", DeadLetterReason.UNREADABLE_FRAME, "sequence is negative")),
        new Case("image not the declared size", "frame 8 declares 320x240, holds 400x300", "UNREADABLE_IMAGE; t skips 8",
            frameCase("size-lie", DeadLetterReason.UNREADABLE_IMAGE, "declares 320x240 but its image is 400x300")),
        new Case("model output with NaN", "frame 8 all black: the probe model answers NaN",
            "MODEL_OUTPUT_INVALID; t keeps its state, skips 8",
            frameCase("model-nan", DeadLetterReason.MODEL_OUTPUT_INVALID, "NaN")),
        new Case("out-of-order frames", "9, 12, 10, 11, 13", "10 and 11 skipped and counted; no dead letter",
            skippedFrames("out-of-order")),
        new Case("duplicate frames", "5 and 6 twice, 3 again after 9", "duplicates skipped and counted; one update per frame",
            skippedFrames("duplicates")),
        new Case("resolution change", "320x240 until frame 11, 640x480 from 12", "RESOLUTION_CHANGED; t STOPPED at 11; "
            + "t2 (START for frame 14, new pixels) tracks 14..23", BadInputMatrixTest::resolutionChange),
        new Case("unknown Avro fingerprint", "a TrackCommand with a changed fingerprint", "UNKNOWN_SCHEMA",
            commandCase("unknown-schema", DeadLetterReason.UNKNOWN_SCHEMA, "")),
        new Case("bytes that are not a command", "text on the commands topic", "UNREADABLE_COMMAND",
            commandCase("not-avro", DeadLetterReason.UNREADABLE_COMMAND, "")),
        new Case("NaN box", "START with x = NaN", "INVALID_BOX; t on the same camera unaffected",
            commandCase("nan-box", DeadLetterReason.INVALID_BOX, "invalid box")),
        new Case("negative box", "START with width -40", "INVALID_BOX", commandCase("negative-box",
            DeadLetterReason.INVALID_BOX, "invalid box")),
        new Case("zero-area box", "START with width 0", "INVALID_BOX", commandCase("zero-area-box",
            DeadLetterReason.INVALID_BOX, "invalid box")),
        new Case("box wholly outside the frame", "START at (1000, 1000) on 320x240", "BOX_OUTSIDE_FRAME",
            commandCase("outside-box", DeadLetterReason.BOX_OUTSIDE_FRAME, "outside the 320x240 frame")),
        new Case("START for an existing target", "START t twice", "DUPLICATE_TARGET; the first t tracks on",
            commandCase("duplicate-start", DeadLetterReason.DUPLICATE_TARGET, "already exists")),
        new Case("STOP for an unknown target", "STOP ghost", "UNKNOWN_TARGET",
            () -> assertThat(rig.outputs.deadLetters(d -> "stop-unknown".equals(d.getCameraId()) && !Rig.isProbe(d)))
                .extracting(DeadLetter::getReason, d -> d.getMessage().contains("'ghost'"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DeadLetterReason.UNKNOWN_TARGET, true))),
        new Case("command for a frame too old for the buffer", "START naming frame 2 after frame 23",
            "FRAME_NOT_BUFFERED; t on the same camera unaffected",
            commandCase("too-old", DeadLetterReason.FRAME_NOT_BUFFERED, "names frame 2")),
        new Case("command for a frame that never arrives", "START naming frame 10; the camera skips 10",
            "FRAME_NEVER_ARRIVED when 11 comes; t skips 10",
            commandCase("never-arrives", DeadLetterReason.FRAME_NEVER_ARRIVED, "never arrived")),
        new Case("too many targets", "4 STARTs, limit 3", "TOO_MANY_TARGETS for the 4th; 3 track",
            BadInputMatrixTest::tooManyTargets),
        new Case("healthy camera alongside", "2 targets, 24 clean frames", "complete, equal to the direct run",
            BadInputMatrixTest::healthy),
        new Case("the job keeps running", "all of the above", "RUNNING, never restarted, nothing duplicated",
            BadInputMatrixTest::jobKeptRunning));
  }

  static void resolutionChange() {
    String camera = "resolution-change";
    SquaresFeed small = feeds.get(camera);
    SquaresFeed large = small.resized(640, 480);
    assertThat(reasons(camera)).containsExactly(DeadLetterReason.RESOLUTION_CHANGED);
    assertThat(rig.outputs.deadLetters(d -> camera.equals(d.getCameraId()) && !Rig.isProbe(d)).get(0).getMessage())
        .contains("320x240 to 640x480 at frame 12", "[t]");
    List<Long> want = expected().get(camera + "/t");
    Map<Long, Box> ref = reference.run(Map.of("t", small.truth(0, 0)), want, s -> small.frame(s).encoded()).get("t");
    List<TrackUpdate> t = rig.outputs.positions(camera, "t");
    assertThat(t).extracting(TrackUpdate::getFrameSequence).containsExactlyElementsOf(want);
    t.forEach(u -> assertThat(Reference.difference(u, ref.get(u.getFrameSequence()))).isLessThan(Reference.TOLERANCE));
    List<TrackUpdate> stopped = rig.outputs.tracks(u -> u.getCameraId().equals(camera)
        && u.getState() == TrackState.STOPPED);
    assertThat(stopped).extracting(TrackUpdate::getTargetId, TrackUpdate::getFrameSequence)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("t", 11L));
    tracksAsExpected(camera, "t2", large, Map.of("t2", large.truth(0, 14)));
  }

  static void tooManyTargets() throws Exception {
    String camera = "too-many-targets";
    SquaresFeed feed = feeds.get(camera);
    assertThat(reasons(camera)).containsExactly(DeadLetterReason.TOO_MANY_TARGETS);
    DeadLetter d = rig.outputs.deadLetters(x -> camera.equals(x.getCameraId()) && !Rig.isProbe(x)).get(0);
    assertThat(AvroCodecs.targetOf(d)).isEqualTo("t3");
    Map<String, Box> starts = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      starts.put("t" + i, feed.truth(i, 0));
    }
    for (int i = 0; i < 3; i++) {
      tracksAsExpected(camera, "t" + i, feed, starts);
    }
    assertThat(rig.outputs.positions(camera, "t3")).isEmpty();
  }

  static void healthy() {
    SquaresFeed feed = feeds.get("healthy");
    Map<String, Box> starts = new LinkedHashMap<>();
    starts.put("A", feed.truth(0, 0));
    starts.put("B", feed.truth(1, 0));
    tracksAsExpected("healthy", "A", feed, starts);
    tracksAsExpected("healthy", "B", feed, starts);
    assertThat(reasons("healthy")).isEmpty();
    // the probe model follows the squares: the comparison above is not between two wrong answers
    for (String target : List.of("A", "B")) {
      int object = target.equals("A") ? 0 : 1;
      double meanIou = rig.outputs.positions("healthy", target).stream()
          .mapToDouble(u -> Reference.iou(u, feed.truth(object, u.getFrameSequence()))).average().orElse(0);
      assertThat(meanIou).as("mean IoU of healthy/%s", target).isGreaterThan(0.6);
    }
  }

  static void jobKeptRunning() throws Exception {
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
        .as("time of the job's last restart (0: never)").isZero();
    List<TrackUpdate> all = rig.outputs.tracks(u -> u.getState() != TrackState.STOPPED);
    assertThat(all.stream().map(u -> u.getCameraId() + "/" + u.getTargetId() + "@" + u.getFrameSequence()).distinct()
        .count()).as("distinct (camera, target, frame) among %d updates", all.size()).isEqualTo(all.size());
    long expectedUpdates = expected().values().stream().mapToLong(List::size).sum();
    assertThat(all).hasSize((int) expectedUpdates);
  }

  @TestFactory
  Stream<DynamicTest> matrix(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
    run(miniCluster);
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + c.input() + " -> " + c.outcome(), () -> {
      String observed;
      try {
        c.check().execute();
        observed = "as expected";
      } catch (Throwable t) {
        observed = "FAILED: " + t.getMessage().lines().findFirst().orElse("");
        synchronized (table) {
          table.add(String.format("| %s | %s | %s | %s |", c.name(), c.input(), c.outcome(), observed));
        }
        throw t;
      }
      synchronized (table) {
        table.add(String.format("| %s | %s | %s | %s |", c.name(), c.input(), c.outcome(), observed));
      }
    }));
  }

  @AfterAll
  static void stop() throws Exception {
    System.out.println("| case | input | expected | observed |\n|---|---|---|---|");
    table.forEach(System.out::println);
    if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
      job.cancel().get();
    }
    if (reference != null) {
      reference.close();
    }
    if (rig != null) {
      rig.close();
    }
  }
}
