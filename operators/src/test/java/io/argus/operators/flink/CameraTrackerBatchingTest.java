package io.argus.operators.flink;

import static io.argus.operators.flink.CameraTrackerTest.frame;
import static io.argus.operators.flink.CameraTrackerTest.iou;
import static io.argus.operators.flink.CameraTrackerTest.start;
import static io.argus.operators.flink.CameraTrackerTest.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.operators.inference.TinyXcorrModel;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-camera batching and load shedding of the keyed operator, in Flink's two-input harness on
 * a real (tiny) SavedModel: frames of several cameras share one model call and give exactly the
 * boxes each camera gets alone; a camera's next frame, a command, a checkpoint barrier send the
 * batch; a camera that has fallen behind skips frames by policy, and a START naming a skipped
 * frame still starts on it.
 */
class CameraTrackerBatchingTest {

  @TempDir static Path tmp;
  static Path modelDir;

  static final List<String> CAMERAS = List.of("a", "b", "c");

  KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> harness;
  CameraTracker tracker;

  @BeforeAll
  static void exportModel() throws Exception {
    modelDir = TinyXcorrModel.export(tmp.resolve("tiny"), Map.of());
  }

  @AfterEach
  void closeHarness() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  void open(TrackerSettings settings) throws Exception {
    harness = harness(settings);
    harness.setProcessingTime(0);
    harness.open();
  }

  KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> harness(
      TrackerSettings settings) throws Exception {
    tracker = new CameraTracker(settings);
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(tracker, FrameEvent::cameraId, CommandEvent::cameraId,
        Types.STRING);
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return h;
  }

  static TrackerSettings plain() {
    return TrackerSettings.defaults(modelDir.toString()).withIdleTimeoutMs(0);
  }

  /** Each camera's object moves its own way, so a mixed-up slice would show. */
  static double[] centre(String camera, long seq) {
    int k = CAMERAS.indexOf(camera);
    return new double[] {80 + (3 + k) * seq + 40 * k, 70 + (2 - k) * seq + 30 * k};
  }

  static FrameEvent cameraFrame(String camera, long seq) {
    double[] c = centre(camera, seq);
    return frame(camera, seq, c[0], c[1]);
  }

  static Box truth(String camera, long seq) {
    double[] c = centre(camera, seq);
    return Box.fromCentre(c[0], c[1], 40, 40);
  }

  static FrameEvent captured(FrameEvent f, long captureTimeMs) {
    return new FrameEvent(f.cameraId(), f.sequence(), captureTimeMs, f.encoding(), f.width(), f.height(), f.data(),
        f.source());
  }

  void frameIn(FrameEvent f) throws Exception {
    harness.processElement1(new StreamRecord<>(f));
  }

  void command(CommandEvent c) throws Exception {
    harness.processElement2(new StreamRecord<>(c));
  }

  List<TrackUpdate> updates() {
    return harness.extractOutputValues();
  }

  List<DeadLetter> deadLetters() {
    var q = harness.getSideOutput(DeadLetters.TAG);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  static Map<String, TrackUpdate> byKey(List<TrackUpdate> updates) {
    Map<String, TrackUpdate> out = new LinkedHashMap<>();
    for (TrackUpdate u : updates) {
      out.put(u.getCameraId() + "/" + u.getTargetId() + "@" + u.getFrameSequence() + ":" + u.getState(), u);
    }
    return out;
  }

  /** Three cameras, one target each, frames 0..frames-1 round-robin; the updates. */
  List<TrackUpdate> runThreeCameras(TrackerSettings settings, int frames) throws Exception {
    open(settings);
    for (String c : CAMERAS) {
      command(start(c, "t", 0, truth(c, 0)));
    }
    for (long seq = 0; seq < frames; seq++) {
      for (String c : CAMERAS) {
        frameIn(cameraFrame(c, seq));
      }
    }
    harness.setProcessingTime(10_000); // the last batch's wait ends
    List<TrackUpdate> out = updates();
    harness.close();
    harness = null;
    return out;
  }

  @Test
  void framesOfSeveralCamerasShareOneModelCallAndGetExactlyTheBoxesOfPerCameraTracking() throws Exception {
    List<TrackUpdate> alone = runThreeCameras(plain(), 8);
    long callsAlone = tracker.metrics().modelCalls.getCount();

    List<TrackUpdate> batched = runThreeCameras(plain().withBatching(1000, 50), 8);
    var m = tracker.metrics();
    // frame 0 starts the targets (template calls); frames 1..7 of the three cameras: one track call each round
    assertThat(callsAlone).isEqualTo(7 * 3);
    assertThat(m.modelCalls.getCount()).isEqualTo(7);
    assertThat(m.batchFrames.getStatistics().getMin()).isEqualTo(3);
    assertThat(m.batchCrops.getStatistics().getMax()).isEqualTo(3 * 3); // 3 targets x 3 scales

    assertThat(batched).hasSize(3 * 8);
    Map<String, TrackUpdate> expected = byKey(alone);
    Map<String, TrackUpdate> actual = byKey(batched);
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    actual.forEach((key, u) -> {
      assertThat(u.getBox()).as(key).isEqualTo(expected.get(key).getBox());
      assertThat(u.getScore()).as(key).isEqualTo(expected.get(key).getScore());
    });
    // per camera, frames in order; and the tracker follows each camera's own object
    for (String c : CAMERAS) {
      List<TrackUpdate> mine = batched.stream().filter(u -> u.getCameraId().equals(c)).toList();
      assertThat(mine).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
      assertThat(iou(mine.get(7), truth(c, 7))).as("camera %s at frame 7", c).isGreaterThan(0.5);
    }
  }

  @Test
  void aBatchWaitsAtMostTheMaximumWaitAndAtMostTheMaximumCrops() throws Exception {
    open(plain().withBatching(6, 50)); // two targets' worth of SiamFC crops
    for (String c : CAMERAS) {
      command(start(c, "t", 0, truth(c, 0)));
      frameIn(cameraFrame(c, 0));
    }
    assertThat(updates()).hasSize(3); // the starts answer at once
    frameIn(cameraFrame("a", 1));
    assertThat(updates()).as("a's frame waits for company").hasSize(3);
    harness.setProcessingTime(49);
    assertThat(updates()).hasSize(3);
    harness.setProcessingTime(50);
    assertThat(updates()).as("the wait is over").hasSize(4);

    frameIn(cameraFrame("a", 2));
    frameIn(cameraFrame("b", 1));
    assertThat(updates()).as("6 crops reached: sent without waiting").hasSize(6);
    frameIn(cameraFrame("c", 1));
    assertThat(updates()).hasSize(6);
    harness.setProcessingTime(200);
    assertThat(updates()).hasSize(7);
    assertThat(tracker.metrics().modelCalls.getCount()).isEqualTo(3);
  }

  @Test
  void aCamerasCommandOrCheckpointSendsTheBatchFirst() throws Exception {
    open(plain().withBatching(1000, 10_000));
    command(start("a", "t", 0, truth("a", 0)));
    command(start("b", "t", 0, truth("b", 0)));
    frameIn(cameraFrame("a", 0));
    frameIn(cameraFrame("b", 0));
    frameIn(cameraFrame("a", 1));
    frameIn(cameraFrame("b", 1));
    assertThat(updates()).hasSize(2);
    // a STOP must come after the update of the frame before it
    command(stop("a", "t"));
    assertThat(updates()).extracting(u -> u.getCameraId() + u.getFrameSequence() + u.getState())
        .containsExactly("a0TRACKING", "b0TRACKING", "a1TRACKING", "b1TRACKING", "a1STOPPED");

    frameIn(cameraFrame("b", 2));
    assertThat(updates()).hasSize(5);
    harness.prepareSnapshotPreBarrier(1); // what the task does before it forwards a barrier
    assertThat(updates()).as("the barrier sent the waiting frame").hasSize(6);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    // restored: nothing was waiting in the checkpoint, b goes on from its frame 2
    harness = harness(plain().withBatching(1000, 10_000));
    harness.setProcessingTime(0);
    harness.initializeState(snapshot);
    harness.open();
    frameIn(cameraFrame("b", 3));
    assertThat(updates()).isEmpty();
    harness.endInput1(); // the end of a bounded input sends it too
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(3L);
    assertThat(iou(updates().get(0), truth("b", 3))).isGreaterThan(0.5);
  }

  @Test
  void aFrameThatMakesTheModelFailCostsOnlyItsOwnCamera() throws Exception {
    Path poisoned = TinyXcorrModel.exportNanOnBlack(tmp.resolve("nan-on-black"));
    open(TrackerSettings.defaults(poisoned.toString()).withIdleTimeoutMs(0).withBatching(1000, 50));
    for (String c : List.of("a", "b")) {
      command(start(c, "t", 0, truth(c, 0)));
      frameIn(cameraFrame(c, 0));
    }
    frameIn(cameraFrame("a", 1));
    java.awt.image.BufferedImage black = new java.awt.image.BufferedImage(320, 240,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    var png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(black, "png", png);
    frameIn(new FrameEvent("b", 1, 1001, "PNG", 320, 240, png.toByteArray(), "test/0@b1"));
    for (long seq = 2; seq < 4; seq++) {
      frameIn(cameraFrame("a", seq));
      frameIn(cameraFrame("b", seq));
    }
    harness.setProcessingTime(10_000);

    assertThat(deadLetters()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(io.argus.schemas.DeadLetterReason.MODEL_OUTPUT_INVALID);
      assertThat(d.getCameraId()).isEqualTo("b");
      assertThat(d.getMessage()).contains("frame 1", "keep their previous state");
    });
    List<TrackUpdate> a = updates().stream().filter(u -> u.getCameraId().equals("a")).toList();
    List<TrackUpdate> b = updates().stream().filter(u -> u.getCameraId().equals("b")).toList();
    assertThat(a).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L, 3L);
    assertThat(b).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 2L, 3L);
    assertThat(iou(a.get(3), truth("a", 3))).isGreaterThan(0.5);
    assertThat(iou(b.get(2), truth("b", 3))).isGreaterThan(0.5);
  }

  @Test
  void aFrameWhosePostProcessingFailsCostsOnlyItsOwnCameraToo() throws Exception {
    // finite outputs pass the runner's check; the SiamRPN tracker then finds no finite score
    Path absurd = io.argus.operators.inference.AbsurdBoxModel.export(tmp.resolve("absurd-box"));
    open(TrackerSettings.defaults(absurd.toString()).withIdleTimeoutMs(0).withBatching(1000, 50));
    for (String c : List.of("a", "b")) {
      command(start(c, "t", 0, truth(c, 0)));
      frameIn(cameraFrame(c, 0));
    }
    frameIn(cameraFrame("a", 1));
    java.awt.image.BufferedImage black = new java.awt.image.BufferedImage(320, 240,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    var png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(black, "png", png);
    frameIn(new FrameEvent("b", 1, 1001, "PNG", 320, 240, png.toByteArray(), "test/0@b1"));
    frameIn(cameraFrame("a", 2));
    frameIn(cameraFrame("b", 2));
    harness.setProcessingTime(10_000);

    assertThat(deadLetters()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(io.argus.schemas.DeadLetterReason.MODEL_OUTPUT_INVALID);
      assertThat(d.getCameraId()).isEqualTo("b");
      assertThat(d.getMessage()).contains("frame 1", "IllegalStateException", "keep their previous state");
    });
    assertThat(updates().stream().filter(u -> u.getCameraId().equals("a")))
        .extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L);
    assertThat(updates().stream().filter(u -> u.getCameraId().equals("b")))
        .extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 2L);
  }

  // ---- load shedding --------------------------------------------------------------------------

  @Test
  void latestSkipsEveryFrameOlderThanTheLagAndCountsIt() throws Exception {
    open(plain().withShedding(new LoadShedding(LoadShedding.Policy.LATEST, 1000, 5)));
    command(start("a", "t", 0, truth("a", 0)));
    for (long seq = 0; seq < 4; seq++) {
      harness.setProcessingTime(seq * 100 + 300);
      frameIn(captured(cameraFrame("a", seq), seq * 100)); // 300 ms behind: fine
    }
    harness.setProcessingTime(5000);
    for (long seq = 4; seq < 8; seq++) {
      frameIn(captured(cameraFrame("a", seq), seq * 100)); // over 4 s behind
    }
    for (long seq = 8; seq < 10; seq++) {
      frameIn(captured(cameraFrame("a", seq), 4900 + seq)); // fresh again
    }
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L, 3L, 8L, 9L);
    assertThat(iou(updates().get(5), truth("a", 9))).isGreaterThan(0.5);
    var camera = tracker.metrics().camera("a");
    assertThat(camera.framesSkippedLag.getCount()).isEqualTo(4);
    assertThat(camera.framesSkippedStale.getCount()).isZero();
    assertThat(camera.framesIn.getCount()).isEqualTo(10);
    assertThat(tracker.metrics().framesSkipped.getCount()).isEqualTo(4);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void maxFpsThinsABehindCameraToThatRate() throws Exception {
    open(plain().withShedding(new LoadShedding(LoadShedding.Policy.MAX_FPS, 1000, 4)));
    command(start("a", "t", 0, truth("a", 0)));
    harness.setProcessingTime(60_000); // every frame a minute behind: captured every 100 ms
    for (long seq = 0; seq < 12; seq++) {
      frameIn(captured(cameraFrame("a", seq), seq * 100));
    }
    // at most 4 fps of capture time: one frame in every 250 ms tracked. Frame 0 is the START's
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 3L, 6L, 9L);
    assertThat(updates()).extracting(TrackUpdate::getState).containsOnly(TrackState.TRACKING);
    assertThat(tracker.metrics().camera("a").framesSkippedLag.getCount()).isEqualTo(8);
  }

  @Test
  void aStartNamingASkippedFrameStartsOnItAndOtherTargetsStillSkipIt() throws Exception {
    open(plain().withShedding(new LoadShedding(LoadShedding.Policy.LATEST, 1000, 5)));
    command(start("a", "old", 0, truth("a", 0)));
    harness.setProcessingTime(0);
    frameIn(captured(cameraFrame("a", 0), 0));
    frameIn(captured(cameraFrame("a", 1), 0));
    command(start("a", "waits", 3, truth("a", 3)));
    harness.setProcessingTime(10_000);
    frameIn(captured(cameraFrame("a", 2), 0)); // behind: skipped
    frameIn(captured(cameraFrame("a", 3), 0)); // behind: skipped for 'old', but 'waits' starts on it
    command(start("a", "late", 2, truth("a", 2))); // names a buffered, skipped frame
    frameIn(captured(cameraFrame("a", 4), 10_000));
    assertThat(updates().subList(0, 5)).extracting(u -> u.getTargetId() + "@" + u.getFrameSequence())
        .containsExactly("old@0", "old@1", "waits@3", "late@2", "late@3");
    assertThat(updates().subList(5, updates().size())).extracting(u -> u.getTargetId() + "@" + u.getFrameSequence())
        .containsExactlyInAnyOrder("old@4", "waits@4", "late@4");
    assertThat(deadLetters()).isEmpty();
    for (TrackUpdate u : updates().subList(5, 8)) {
      assertThat(iou(u, truth("a", 4))).as(u.getTargetId()).isGreaterThan(0.5);
    }
  }
}
