package io.argus.operators.flink;

import static io.argus.operators.flink.CameraTrackerBatchingTest.cameraFrame;
import static io.argus.operators.flink.CameraTrackerBatchingTest.truth;
import static io.argus.operators.flink.CameraTrackerTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.operators.inference.TinyXcorrModel;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade to the batching operator: a savepoint written by the previous version (the keyed
 * co-process function, frozen in {@link PreviousCameraTracker}) restores into today's
 * {@link CameraTracker}: targets, waiting STARTs, frame buffers and idle timers come back under the
 * same names, and the targets go on with exactly the boxes of an uninterrupted run.
 */
class CameraTrackerUpgradeTest {

  static final long TIMEOUT = 60_000;

  @TempDir static Path tmp;
  static Path modelDir;

  @BeforeAll
  static void exportModel() throws Exception {
    modelDir = TinyXcorrModel.export(tmp.resolve("tiny"), Map.of());
  }

  static KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> harness(
      TwoInputStreamOperator<FrameEvent, CommandEvent, TrackUpdate> operator) throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(operator, FrameEvent::cameraId, CommandEvent::cameraId,
        Types.STRING);
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return h;
  }

  static void frames(KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> h,
      long from, long to) throws Exception {
    for (long seq = from; seq < to; seq++) {
      h.setProcessingTime(seq * 1000);
      for (String camera : List.of("a", "b")) {
        h.processElement1(new StreamRecord<>(cameraFrame(camera, seq)));
      }
    }
  }

  static String key(TrackUpdate u) {
    return u.getCameraId() + "/" + u.getTargetId() + "@" + u.getFrameSequence() + " " + u.getState();
  }

  @Test
  void aSavepointOfThePreviousFunctionRestoresIntoTheBatchingOperator() throws Exception {
    TrackerSettings settings = TrackerSettings.defaults(modelDir.toString()).withIdleTimeoutMs(TIMEOUT);
    OperatorSubtaskState savepoint;
    List<TrackUpdate> uninterrupted;
    try (var previous = harness(new KeyedCoProcessOperator<>(new PreviousCameraTracker(settings)))) {
      previous.setProcessingTime(0);
      previous.open();
      previous.processElement2(new StreamRecord<>(start("a", "t", 0, truth("a", 0))));
      previous.processElement2(new StreamRecord<>(start("b", "t", 0, truth("b", 0))));
      previous.processElement2(new StreamRecord<>(start("a", "waits", 7, truth("a", 7))));
      frames(previous, 0, 5);
      assertThat(previous.numProcessingTimeTimers()).isEqualTo(2);
      savepoint = previous.snapshot(1, 1);
      int before = previous.extractOutputValues().size();
      frames(previous, 5, 10);
      List<TrackUpdate> all = previous.extractOutputValues();
      uninterrupted = all.subList(before, all.size());
    }

    try (var upgraded = harness(new CameraTracker(settings.withBatching(1000, 50)))) {
      upgraded.setProcessingTime(4000);
      upgraded.initializeState(savepoint);
      upgraded.open();
      assertThat(upgraded.numProcessingTimeTimers()).as("idle timers restored").isEqualTo(2);
      frames(upgraded, 5, 10);
      upgraded.endInput1();
      List<TrackUpdate> after = upgraded.extractOutputValues();
      // a/t and b/t on 5..9, the waiting START on 7, then a/waits on 8, 9
      assertThat(after).hasSize(2 * 5 + 3);
      assertThat(after).extracting(CameraTrackerUpgradeTest::key)
          .containsExactlyInAnyOrderElementsOf(uninterrupted.stream().map(CameraTrackerUpgradeTest::key).toList());
      for (TrackUpdate u : after) {
        TrackUpdate same = uninterrupted.stream().filter(v -> key(v).equals(key(u))).findFirst().orElseThrow();
        assertThat(u.getBox()).as(key(u)).isEqualTo(same.getBox());
      }

      // the idle timer of the previous version's state still forgets the cameras
      upgraded.setProcessingTime(9000 + TIMEOUT);
      List<TrackUpdate> stopped = upgraded.extractOutputValues().subList(after.size(),
          upgraded.extractOutputValues().size());
      assertThat(stopped).extracting(CameraTrackerUpgradeTest::key)
          .containsExactlyInAnyOrder("a/t@9 STOPPED", "a/waits@9 STOPPED", "b/t@9 STOPPED");
      assertThat(stopped).extracting(TrackUpdate::getState).containsOnly(TrackState.STOPPED);
      assertThat(upgraded.numKeyedStateEntries()).isZero();
    }
  }
}
