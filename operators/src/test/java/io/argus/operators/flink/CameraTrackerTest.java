package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.operators.core.TargetState;
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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed operator in Flink's two-input test harness, on a real (tiny) SavedModel: one update
 * per target per frame, late and early STARTs, bad input to dead letters, and template state that
 * survives a snapshot and restore.
 */
class CameraTrackerTest {

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

  /** A 320x240 PNG with a bright 40-pixel square centred at (cx, cy) on a dark background. */
  static FrameEvent frame(String camera, long seq, double cx, double cy) {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 30, 30));
    g.fillRect(0, 0, 320, 240);
    g.setColor(new Color(220, 220, 220));
    g.fillRect((int) Math.round(cx - 20), (int) Math.round(cy - 20), 40, 40);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new FrameEvent(camera, seq, 1000 + seq, "PNG", 320, 240, out.toByteArray(), "test/0@" + seq);
  }

  static double[] path(long seq) {
    return new double[] {80 + 3 * seq, 70 + 2 * seq};
  }

  static FrameEvent movingFrame(String camera, long seq) {
    double[] c = path(seq);
    return frame(camera, seq, c[0], c[1]);
  }

  static CommandEvent start(String camera, String target, long seq, Box b) {
    return new CommandEvent(camera, target, true, seq, b.x(), b.y(), b.width(), b.height(), "car", null,
        "test-commands", new byte[] {1, 2, 3});
  }

  static CommandEvent stop(String camera, String target) {
    return new CommandEvent(camera, target, false, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null,
        "test-commands", new byte[] {4});
  }

  static KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> newHarness()
      throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(
        new CameraTracker(TrackerSettings.defaults(modelDir.toString())),
        FrameEvent::cameraId, CommandEvent::cameraId, Types.STRING);
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return h;
  }

  void open() throws Exception {
    harness = newHarness();
    harness.open();
  }

  List<TrackUpdate> updates() {
    return harness.extractOutputValues();
  }

  List<DeadLetter> deadLetters() {
    var q = harness.getSideOutput(DeadLetters.TAG);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  static Box truth(long seq) {
    double[] c = path(seq);
    return Box.fromCentre(c[0], c[1], 40, 40);
  }

  static double iou(TrackUpdate u, Box truth) {
    var b = u.getBox();
    return new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight()).iou(truth);
  }

  @Test
  void stateTypesHaveRealSerializersNotKryo() {
    assertThat(TypeInformation.of(TargetState.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(FrameEvent.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(CommandEvent.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(Resolution.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void oneUpdatePerTargetPerFrameFollowingTheObject() throws Exception {
    open();
    harness.processElement2(new StreamRecord<>(start("cam", "t1", 0, truth(0))));
    assertThat(updates()).isEmpty(); // waits for frame 0
    for (long seq = 0; seq < 12; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
    }
    List<TrackUpdate> out = updates();
    assertThat(out).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
        10L, 11L);
    assertThat(out).allSatisfy(u -> {
      assertThat(u.getState()).isEqualTo(TrackState.TRACKING);
      assertThat(u.getLabel()).isEqualTo("car");
      assertThat(iou(u, truth(u.getFrameSequence()))).as("IoU at frame %d", u.getFrameSequence()).isGreaterThan(0.5);
    });
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void aStartForABufferedFrameCatchesUpThroughTheFramesAfterIt() throws Exception {
    open();
    for (long seq = 0; seq < 6; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
    }
    harness.processElement2(new StreamRecord<>(start("cam", "late", 2, truth(2))));
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 6)));
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(iou(updates().get(4), truth(6))).isGreaterThan(0.5);
  }

  @Test
  void templateStateSurvivesSnapshotAndRestore() throws Exception {
    open();
    harness.processElement2(new StreamRecord<>(start("cam", "t1", 0, truth(0))));
    for (long seq = 0; seq < 5; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
    }
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    TrackUpdate beforeFailure = updates().get(updates().size() - 1);
    harness.close();

    harness = newHarness();
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 4))); // replayed after restore: stale
    for (long seq = 5; seq < 10; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
    }
    List<TrackUpdate> out = updates();
    assertThat(beforeFailure.getFrameSequence()).isEqualTo(4L);
    assertThat(out).extracting(TrackUpdate::getFrameSequence).containsExactly(5L, 6L, 7L, 8L, 9L);
    assertThat(out).allSatisfy(u -> assertThat(iou(u, truth(u.getFrameSequence()))).isGreaterThan(0.5));
    // a STOP after restore finds the restored target
    harness.processElement2(new StreamRecord<>(stop("cam", "t1")));
    assertThat(updates().get(updates().size() - 1).getState()).isEqualTo(TrackState.STOPPED);
  }

  @Test
  void badInputGoesToDeadLettersAndOtherTargetsKeepTracking() throws Exception {
    open();
    harness.processElement2(new StreamRecord<>(start("cam", "good", 0, truth(0))));
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 0)));
    harness.processElement2(new StreamRecord<>(start("cam", "good", 0, truth(0))));                        // duplicate
    harness.processElement2(new StreamRecord<>(start("cam", "nan", 0, new Box(Double.NaN, 1, 10, 10))));    // invalid box
    harness.processElement2(new StreamRecord<>(start("cam", "zero", 0, new Box(10, 10, 0, 10))));           // zero area
    harness.processElement2(new StreamRecord<>(start("cam", "outside", 0, new Box(500, 500, 20, 20))));     // outside frame
    harness.processElement2(new StreamRecord<>(stop("cam", "ghost")));                                      // unknown target
    var corrupt = movingFrame("cam", 1);
    byte[] truncated = java.util.Arrays.copyOf(corrupt.data(), 40);
    harness.processElement1(new StreamRecord<>(new FrameEvent("cam", 1, 0, "PNG", 320, 240, truncated, "test/0@1")));
    for (long seq = 2; seq < 6; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
    }
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 3)));                                     // stale
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(
        DeadLetterReason.DUPLICATE_TARGET, DeadLetterReason.INVALID_BOX, DeadLetterReason.INVALID_BOX,
        DeadLetterReason.BOX_OUTSIDE_FRAME, DeadLetterReason.UNKNOWN_TARGET, DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters().get(5).getPayload().remaining()).isEqualTo(40); // the original bytes ride along
    assertThat(updates()).extracting(TrackUpdate::getFrameSequence).containsExactly(0L, 2L, 3L, 4L, 5L);
    assertThat(iou(updates().get(4), truth(5))).isGreaterThan(0.5);
  }

  @Test
  void aStartNamingAFrameThatNeverArrivesIsRefusedWhenALaterFrameComes() throws Exception {
    open();
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 0)));
    harness.processElement2(new StreamRecord<>(start("cam", "t", 3, truth(3))));
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 5)));
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.FRAME_NEVER_ARRIVED);
    assertThat(updates()).isEmpty();
  }

  @Test
  void camerasAreIndependent() throws Exception {
    open();
    harness.processElement2(new StreamRecord<>(start("a", "t", 0, truth(0))));
    harness.processElement2(new StreamRecord<>(start("b", "t", 0, truth(0))));
    for (long seq = 0; seq < 4; seq++) {
      harness.processElement1(new StreamRecord<>(movingFrame("a", seq)));
      harness.processElement1(new StreamRecord<>(frame("b", seq, 80, 70)));
    }
    harness.processElement2(new StreamRecord<>(stop("a", "t")));
    harness.processElement1(new StreamRecord<>(frame("b", 4, 80, 70)));
    Map<String, Long> perCamera = updates().stream()
        .filter(u -> u.getState() == TrackState.TRACKING)
        .collect(Collectors.groupingBy(TrackUpdate::getCameraId, Collectors.counting()));
    assertThat(perCamera).containsEntry("a", 4L).containsEntry("b", 5L);
  }

  @Test
  void boxesTooSmallOrTooLargeForACropAreRefusedNotFatal() throws Exception {
    open();
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 0)));
    harness.processElement2(new StreamRecord<>(start("cam", "tiny", 0, new Box(50, 50, 0.4, 0.4))));
    harness.processElement2(new StreamRecord<>(start("cam", "huge", 0, new Box(0, 0, 1e200, 1e200))));
    harness.processElement2(new StreamRecord<>(start("cam", "fine", 0, truth(0))));
    harness.processElement1(new StreamRecord<>(movingFrame("cam", 1)));
    assertThat(deadLetters()).extracting(DeadLetter::getReason)
        .containsExactly(DeadLetterReason.INVALID_BOX, DeadLetterReason.INVALID_BOX);
    assertThat(updates()).extracting(TrackUpdate::getTargetId).containsExactly("fine", "fine");
  }

  @Test
  void aStartNamingABufferedFrameThatDoesNotDecodeGetsItsOwnAnswer() throws Exception {
    open();
    byte[] truncated = java.util.Arrays.copyOf(movingFrame("cam", 0).data(), 40);
    harness.processElement1(new StreamRecord<>(new FrameEvent("cam", 0, 0, "PNG", 320, 240, truncated, "test/0@0")));
    harness.processElement2(new StreamRecord<>(start("cam", "t", 0, truth(0))));
    // the frame's dead letter, then the command's: whoever sent the START learns why it did not start
    assertThat(deadLetters()).extracting(DeadLetter::getReason)
        .containsExactly(DeadLetterReason.UNREADABLE_IMAGE, DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters().get(1).getMessage()).contains("START for target 't'");
    assertThat(updates()).isEmpty();
  }
}
