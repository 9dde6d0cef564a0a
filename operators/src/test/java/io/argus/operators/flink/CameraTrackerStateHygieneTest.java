package io.argus.operators.flink;

import static io.argus.operators.flink.CameraTrackerTest.iou;
import static io.argus.operators.flink.CameraTrackerTest.movingFrame;
import static io.argus.operators.flink.CameraTrackerTest.start;
import static io.argus.operators.flink.CameraTrackerTest.truth;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.operators.inference.TinyXcorrModel;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's rules for state over time: silent cameras are forgotten after the idle timeout
 * with a final STOPPED update, a resolution change restarts the camera, a frame that lies about its
 * size is refused, and targets whose template does not fit a new model are stopped instead of
 * failing the task.
 */
class CameraTrackerStateHygieneTest {

  static final long TIMEOUT = 60_000;

  @TempDir static Path tmp;
  static Path modelDir;

  KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> harness;

  @BeforeAll
  static void exportModel() throws IOException {
    modelDir = TinyXcorrModel.export(tmp.resolve("tiny"), Map.of());
  }

  @AfterEach
  void closeHarness() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  static KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> harness(
      TrackerSettings settings) throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(new CameraTracker(settings),
        FrameEvent::cameraId, CommandEvent::cameraId, Types.STRING);
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return h;
  }

  void open(TrackerSettings settings) throws Exception {
    harness = harness(settings);
    harness.setProcessingTime(0);
    harness.open();
  }

  TrackerSettings settings() {
    return TrackerSettings.defaults(modelDir.toString()).withIdleTimeoutMs(TIMEOUT);
  }

  void frame(FrameEvent f) throws Exception {
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

  /** A width x height PNG with a bright square of side 40 * scale centred at (cx, cy). */
  static FrameEvent sizedFrame(String camera, long seq, int width, int height, double cx, double cy, double scale) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 30, 30));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(220, 220, 220));
    int side = (int) Math.round(40 * scale);
    g.fillRect((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side, side);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new FrameEvent(camera, seq, 1000 + seq, "PNG", width, height, out.toByteArray(), "test/0@" + seq);
  }

  @Test
  void aSilentCameraIsForgottenWithAFinalStoppedUpdateAndOneTimerAtATime() throws Exception {
    open(settings());
    command(start("cam", "t1", 0, truth(0)));
    command(start("cam", "waits", 50, truth(0))); // names a frame the camera will never send
    for (long seq = 0; seq < 5; seq++) {
      harness.setProcessingTime(seq * 1000);
      frame(movingFrame("cam", seq));
      assertThat(harness.numProcessingTimeTimers()).as("idle timers of one camera").isEqualTo(1);
    }
    // the first timer (set at 0) fires at TIMEOUT, but the camera spoke at 4000: it moves on, nothing ends
    harness.setProcessingTime(TIMEOUT);
    assertThat(updates()).extracting(TrackUpdate::getState).containsOnly(TrackState.TRACKING);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    harness.setProcessingTime(4000 + TIMEOUT - 1);
    assertThat(updates()).hasSize(5);

    harness.setProcessingTime(4000 + TIMEOUT);
    TrackUpdate last = updates().get(updates().size() - 1);
    assertThat(last.getState()).isEqualTo(TrackState.STOPPED);
    assertThat(last.getTargetId()).isEqualTo("t1");
    assertThat(last.getFrameSequence()).as("the last frame the target was seen on").isEqualTo(4L);
    assertThat(iou(last, truth(4))).isGreaterThan(0.5);
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.FRAME_NEVER_ARRIVED);
    assertThat(deadLetters().get(0).getMessage()).contains("'waits'", "idle timeout 60 s");
    assertThat(harness.numKeyedStateEntries()).as("state entries left for the silent camera").isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // the camera comes back (restarted: its sequence starts again at 0) and is a new camera
    harness.setProcessingTime(10 * TIMEOUT);
    frame(movingFrame("cam", 0));
    command(start("cam", "t1", 0, truth(0)));
    frame(movingFrame("cam", 1));
    assertThat(updates().subList(6, updates().size())).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L);
  }

  @Test
  void anIdleTimeoutOfZeroKeepsCamerasForever() throws Exception {
    open(settings().withIdleTimeoutMs(0));
    command(start("cam", "t1", 0, truth(0)));
    frame(movingFrame("cam", 0));
    assertThat(harness.numProcessingTimeTimers()).isZero();
    harness.setProcessingTime(100 * TIMEOUT);
    assertThat(updates()).hasSize(1);
  }

  @Test
  void aResolutionChangeStopsTheTargetsAndTheNewSizeStartsAfresh() throws Exception {
    open(settings());
    command(start("cam", "t1", 0, truth(0)));
    for (long seq = 0; seq < 5; seq++) {
      frame(movingFrame("cam", seq));
    }
    // the same scene at twice the resolution
    double[] c = CameraTrackerTest.path(5);
    frame(sizedFrame("cam", 5, 640, 480, 2 * c[0], 2 * c[1], 2));
    List<TrackUpdate> out = updates();
    assertThat(out).hasSize(6);
    TrackUpdate stopped = out.get(5);
    assertThat(stopped.getState()).isEqualTo(TrackState.STOPPED);
    assertThat(stopped.getFrameSequence()).isEqualTo(4L);
    assertThat(iou(stopped, truth(4))).as("the final update carries the last box in old pixels").isGreaterThan(0.5);
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.RESOLUTION_CHANGED);
    assertThat(deadLetters().get(0).getMessage()).contains("320x240 to 640x480", "[t1]", "naming frame 5");

    // a START on the first frame of the new size works; one naming an old-size frame is refused
    Box newBox = Box.fromCentre(2 * c[0], 2 * c[1], 80, 80);
    command(start("cam", "t2", 5, newBox));
    command(start("cam", "old", 3, truth(3)));
    for (long seq = 6; seq < 9; seq++) {
      double[] p = CameraTrackerTest.path(seq);
      frame(sizedFrame("cam", seq, 640, 480, 2 * p[0], 2 * p[1], 2));
    }
    List<TrackUpdate> after = updates().subList(6, updates().size());
    assertThat(after).extracting(TrackUpdate::getTargetId).containsOnly("t2");
    assertThat(after).extracting(TrackUpdate::getFrameSequence).containsExactly(5L, 6L, 7L, 8L);
    double[] p8 = CameraTrackerTest.path(8);
    assertThat(iou(after.get(3), Box.fromCentre(2 * p8[0], 2 * p8[1], 80, 80))).isGreaterThan(0.5);
    assertThat(deadLetters()).extracting(DeadLetter::getReason)
        .containsExactly(DeadLetterReason.RESOLUTION_CHANGED, DeadLetterReason.FRAME_NOT_BUFFERED);
  }

  @Test
  void aResolutionChangeZeroesTheCamerasActiveTargetsGauge() throws Exception {
    CameraTracker tracker = new CameraTracker(settings());
    harness = new KeyedTwoInputStreamOperatorTestHarness<>(tracker, FrameEvent::cameraId, CommandEvent::cameraId,
        Types.STRING);
    harness.setProcessingTime(0);
    harness.open();
    command(start("cam", "t1", 0, truth(0)));
    command(start("cam", "t2", 0, Box.fromCentre(250, 180, 30, 30)));
    frame(movingFrame("cam", 0));
    frame(movingFrame("cam", 1));
    assertThat(tracker.metrics().camera("cam").targetsActive).isEqualTo(2);
    // a new size with no START waiting on it: both targets end, and the gauge must say so
    frame(sizedFrame("cam", 2, 640, 480, 100, 100, 2));
    assertThat(updates()).filteredOn(u -> u.getState() == TrackState.STOPPED).hasSize(2);
    assertThat(tracker.metrics().camera("cam").targetsActive).as("targets after the resolution change").isZero();
  }

  @Test
  void aFrameWhoseImageIsNotTheDeclaredSizeIsRefusedAndTargetsKeepTheirState() throws Exception {
    open(settings());
    command(start("cam", "t1", 0, truth(0)));
    for (long seq = 0; seq < 3; seq++) {
      frame(movingFrame("cam", seq));
    }
    FrameEvent real = sizedFrame("cam", 3, 400, 300, 0, 0, 1);
    frame(new FrameEvent("cam", 3, 1003, "PNG", 320, 240, real.data(), "test/0@3"));
    frame(movingFrame("cam", 4));
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters().get(0).getMessage()).contains("declares 320x240 but its image is 400x300");
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L, 4L);
    assertThat(iou(updates().get(3), truth(4))).isGreaterThan(0.5);
  }

  @Test
  void targetsWhoseTemplateDoesNotFitARestoredModelAreStoppedNotFailed() throws Exception {
    open(settings());
    command(start("cam", "t1", 0, truth(0)));
    frame(movingFrame("cam", 0));
    frame(movingFrame("cam", 1));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    // restored with the packaged SiamFC model: 6x6x128 embeddings instead of the tiny model's 7x7x3
    harness = harness(TrackerSettings.defaults(ModelLocations.DEFAULT).withIdleTimeoutMs(TIMEOUT));
    harness.initializeState(snapshot);
    harness.open();
    frame(movingFrame("cam", 2));
    assertThat(updates()).extracting(TrackUpdate::getState).containsExactly(TrackState.STOPPED);
    assertThat(updates().get(0).getFrameSequence()).isEqualTo(1L);
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.OTHER);
    assertThat(deadLetters().get(0).getMessage()).contains("147 floats", "START it again");
    // the camera keeps working with the new model
    command(start("cam", "t2", 2, truth(2)));
    frame(movingFrame("cam", 3));
    assertThat(updates().subList(1, updates().size())).extracting(TrackUpdate::getFrameSequence).containsExactly(2L, 3L);
  }
}
