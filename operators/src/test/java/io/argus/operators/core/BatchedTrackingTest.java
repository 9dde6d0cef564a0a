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

  /** 400x300 mid-grey frame with only a bright square at (x0, y0), side 40. */
  private static RgbImage brightOnly(int x0, int y0) {
    byte[] rgb = new byte[400 * 300 * 3];
    java.util.Arrays.fill(rgb, (byte) 128);
    paint(rgb, x0, y0, 40, (byte) 250);
    return new RgbImage(400, 300, rgb);
  }

  @Test
  void framesOfSeveralCamerasShareOneCallAndEachTargetIsCroppedAndLocatedInItsOwnFrame() {
    FakeModel model = new FakeModel();
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    RgbImage first = frame();
    RgbImage second = brightOnly(200, 150); // another camera: its bright object elsewhere
    List<TargetState> one = tracking.start(first, List.of(
        new StartRequest("bright", new Box(90, 90, 20, 20), null),
        new StartRequest("dark", new Box(290, 190, 20, 20), null)), 1);
    List<TargetState> two = tracking.start(second, List.of(new StartRequest("other", new Box(210, 160, 20, 20), null)), 5);
    List<TrackStep> aloneOne = tracking.track(first, one, 2);
    List<TrackStep> aloneTwo = tracking.track(second, two, 6);
    model.trackBatches.clear();

    List<List<TrackStep>> together = tracking.track(List.of(new FrameTargets(first, one, 2),
        new FrameTargets(second, List.of(), 9), new FrameTargets(second, two, 6)));

    assertThat(model.trackBatches).containsExactly(9); // (2 + 0 + 1) targets x 3 scales, one call
    assertThat(together).hasSize(3);
    assertThat(together.get(0)).containsExactlyElementsOf(aloneOne);
    assertThat(together.get(1)).isEmpty();
    assertThat(together.get(2)).containsExactlyElementsOf(aloneTwo);
    assertThat(together.get(2).get(0).state().lastFrameSequence()).isEqualTo(6);
    // the other camera's target found its own object (bright: moves right), not the first frame's
    assertThat(together.get(2).get(0).state().cx()).isGreaterThan(220);
    assertThat(tracking.track(List.of())).isEmpty();
  }

  @Test
  void theOnlineTemplateUpdateOfSeveralFramesIsOneMoreCallWithEachExemplarFromItsOwnFrame() {
    FakeModel model = new FakeModel(Map.of("windowInfluence", 0.0, "templateLr", 0.5, "lostScoreThreshold", 0.5));
    BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    RgbImage first = brightOnly(80, 80);
    RgbImage second = brightOnly(200, 150);
    List<TargetState> one = tracking.start(first, List.of(new StartRequest("a", new Box(90, 90, 20, 20), null)), 1);
    List<TargetState> two = tracking.start(second, List.of(new StartRequest("b", new Box(210, 160, 20, 20), null)), 1);
    // next frames: each bright square turns a different grey where its target moves to
    byte[] rgbOne = first.rgb().clone();
    byte[] rgbTwo = second.rgb().clone();
    fill(rgbOne, 103, 80, 17, 40, (byte) 200);
    fill(rgbTwo, 223, 150, 17, 40, (byte) 160);
    model.templateBatches.clear();

    List<List<TrackStep>> steps = tracking.track(List.of(new FrameTargets(new RgbImage(400, 300, rgbOne), one, 2),
        new FrameTargets(new RgbImage(400, 300, rgbTwo), two, 2)));

    assertThat(model.trackBatches).containsExactly(6);
    assertThat(model.templateBatches).containsExactly(2); // both fresh exemplars in one call
    assertThat(steps.get(0).get(0).state().embedding()).containsOnly(225f); // (250 + 200) / 2
    assertThat(steps.get(1).get(0).state().embedding()).containsOnly(205f); // (250 + 160) / 2
  }

  private static void fill(byte[] rgb, int x0, int y0, int w, int h, byte v) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 400 + x) * 3 + c] = v;
        }
      }
    }
  }
}
