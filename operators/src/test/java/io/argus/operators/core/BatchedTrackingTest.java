package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchedTrackingTest {

  /**
   * A stand-in network that makes slicing visible: the embedding of an exemplar is the grey level
   * at its centre; a search crop whose centre has that grey level answers with a response peak
   * 2 cells right for bright targets (grey > 128) and 2 cells left for dark ones, else nothing.
   */
  static final class FakeModel implements SiameseModel {
    final ModelSpec spec;
    final List<Integer> templateBatches = new ArrayList<>();
    final List<Integer> trackBatches = new ArrayList<>();

    FakeModel() {
      this(Map.of("windowInfluence", 0.0));
    }

    FakeModel(Map<String, Double> hyper) {
      spec = Specs.siamFc(hyper);
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public float[] template(float[] exemplars, int batch) {
      templateBatches.add(batch);
      int per = 127 * 127 * 3;
      assertThat(exemplars).hasSize(batch * per);
      float[] out = new float[batch * 4];
      for (int b = 0; b < batch; b++) {
        float grey = exemplars[b * per + (63 * 127 + 63) * 3];
        for (int k = 0; k < 4; k++) {
          out[b * 4 + k] = grey;
        }
      }
      return out;
    }

    @Override
    public Map<String, float[]> track(float[] embeddings, float[] instances, int batch) {
      trackBatches.add(batch);
      int per = 255 * 255 * 3;
      assertThat(instances).hasSize(batch * per);
      assertThat(embeddings).hasSize(batch * 4);
      float[] response = new float[batch * 17 * 17];
      for (int b = 0; b < batch; b++) {
        float grey = embeddings[b * 4];
        float seen = instances[b * per + (127 * 255 + 127) * 3];
        if (Math.abs(seen - grey) < 1) {
          int col = grey > 128 ? 10 : 6;
          response[b * 289 + 8 * 17 + col] = 1f;
        }
      }
      return Map.of("response", response);
    }

    @Override
    public void close() {}
  }

  /** 400x300 mid-grey frame with a bright square at (100,100) and a dark one at (300,200). */
  private static RgbImage frame() {
    byte[] rgb = new byte[400 * 300 * 3];
    java.util.Arrays.fill(rgb, (byte) 128);
    paint(rgb, 80, 80, 40, (byte) 250);
    paint(rgb, 280, 180, 40, (byte) 20);
    return new RgbImage(400, 300, rgb);
  }

  private static void paint(byte[] rgb, int x0, int y0, int side, byte v) {
    for (int y = y0; y < y0 + side; y++) {
      for (int x = x0; x < x0 + side; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 400 + x) * 3 + c] = v;
        }
      }
    }
  }

  @Test
  void oneModelCallPerFrameAndEachTargetGetsItsOwnSlice() {
    FakeModel model = new FakeModel();
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    RgbImage frame = frame();
    List<TargetState> started = tracking.start(frame, List.of(
        new StartRequest("bright", new Box(90, 90, 20, 20), "a"),
        new StartRequest("dark", new Box(290, 190, 20, 20), null)), 1);
    assertThat(model.templateBatches).containsExactly(2);
    assertThat(started).extracting(TargetState::targetId).containsExactly("bright", "dark");
    assertThat(started.get(0).embedding()).containsOnly(250f);
    assertThat(started.get(1).embedding()).containsOnly(20f);
    assertThat(started.get(0).label()).isEqualTo("a");
    assertThat(started.get(0).lastFrameSequence()).isEqualTo(1);

    List<TrackStep> steps = tracking.track(frame, started, 2);
    assertThat(model.trackBatches).containsExactly(6); // 2 targets x 3 scales, one call
    assertThat(steps).extracting(s -> s.state().targetId()).containsExactly("bright", "dark");
    // each target only sees its own template in its own crops: bright moves right, dark left
    assertThat(steps.get(0).state().cx()).isGreaterThan(100);
    assertThat(steps.get(1).state().cx()).isLessThan(300);
    assertThat(steps.get(0).score()).isEqualTo(1f);
    assertThat(steps.get(0).state().embedding()).isEqualTo(started.get(0).embedding());

    assertThat(tracking.track(frame, List.of(), 3)).isEmpty();
    assertThat(tracking.start(frame, List.of(), 3)).isEmpty();
    assertThat(model.trackBatches).containsExactly(6);
    assertThat(model.templateBatches).containsExactly(2);
  }

  @Test
  void stateFromAnotherModelIsRejectedWithAReason() {
    FakeModel model = new FakeModel();
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    TargetState alien = new TargetState("x", null, 50, 50, 10, 10, 1f, new float[7], 0, 0, 0);
    assertThatThrownBy(() -> tracking.track(frame(), List.of(alien), 1))
        .hasMessageContaining("'x'").hasMessageContaining("7 floats").hasMessageContaining("uses 4");
  }

  @Test
  void startOutsideTheFrameIsRejectedBeforeAnyModelCall() {
    FakeModel model = new FakeModel();
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    List<StartRequest> requests = List.of(new StartRequest("ok", new Box(10, 10, 20, 20), null),
        new StartRequest("gone", new Box(400, 10, 20, 20), null));
    assertThatThrownBy(() -> tracking.start(frame(), requests, 1))
        .hasMessageContaining("'gone'").hasMessageContaining("outside the 400x300 frame");
    assertThat(model.templateBatches).isEmpty();
    // partly inside is fine: the crop pads the rest
    BatchedTracking.checkStartable(frame(), new StartRequest("edge", new Box(-10, -10, 20, 20), null));
    assertThatThrownBy(() -> new StartRequest("bad", new Box(0, 0, 0, 5), null)).hasMessageContaining("positive width");
  }

  @Test
  void trackerForAnotherModelIsRejected() {
    FakeModel model = new FakeModel();
    ModelSpec other = new ModelSpec("siamfc", "other", 127, 255, 17, 8, List.of(6, 6, 256),
        Map.of("response", List.of(17, 17)), Map.of(), Map.of());
    assertThatThrownBy(() -> new BatchedTracking(Trackers.forSpec(other), model))
        .hasMessageContaining("does not fit model 'test-siamfc'");
  }

  @Test
  void trackedTargetsBlendAFreshTemplateFromOneExtraBatchedCallAndLostOnesDoNot() {
    FakeModel model = new FakeModel(Map.of("windowInfluence", 0.0, "templateLr", 0.5, "lostScoreThreshold", 0.5));
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    List<TargetState> started = tracking.start(frame(), List.of(
        new StartRequest("bright", new Box(90, 90, 20, 20), null),
        new StartRequest("dark", new Box(290, 190, 20, 20), null)), 1);
    // next frame: the bright square turns grey 200 from x = 103 on (where the target moves to);
    // the dark square is gone, so the dark target is lost
    byte[] rgb = new byte[400 * 300 * 3];
    java.util.Arrays.fill(rgb, (byte) 128);
    paint(rgb, 80, 80, 40, (byte) 250);
    for (int y = 80; y < 120; y++) {
      for (int x = 103; x < 120; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 400 + x) * 3 + c] = (byte) 200;
        }
      }
    }

    List<TrackStep> steps = tracking.track(new RgbImage(400, 300, rgb), started, 2);

    assertThat(steps.get(0).status()).isEqualTo(TrackStatus.TRACKING);
    assertThat(steps.get(0).state().cx()).isGreaterThan(103);
    assertThat(steps.get(1).status()).isEqualTo(TrackStatus.LOST);
    assertThat(model.templateBatches).containsExactly(2, 1); // start, then the one tracked target
    // (1 - 0.5) 250 + 0.5 200
    assertThat(steps.get(0).state().embedding()).containsOnly(225f);
    assertThat(steps.get(1).state().embedding()).containsOnly(20f);
    assertThat(started.get(0).embedding()).containsOnly(250f);
  }
}
