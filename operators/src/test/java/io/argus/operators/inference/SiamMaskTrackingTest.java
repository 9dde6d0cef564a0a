package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.FrameTargets;
import io.argus.operators.core.MaskRefinement;
import io.argus.operators.core.SiamMaskTracker;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStatus;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Tracker;
import io.argus.operators.core.Trackers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny seeded SiamMask SavedModel through the batched path: per frame one {@code track} call
 * and one {@code mask} call for all targets, each target's box and segmentation equal to what its
 * own calls give.
 */
class SiamMaskTrackingTest {

  @TempDir static Path tmp;
  static SavedModelRunner model;

  @BeforeAll
  static void load() {
    model = SavedModelRunner.load(TinySiamMaskModel.export(tmp.resolve("siammask")));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static final List<StartRequest> REQUESTS = List.of(
      new StartRequest("moving", Box.fromCentre(80, 70, 40, 40), null),
      new StartRequest("still", Box.fromCentre(250, 180, 40, 40), null),
      new StartRequest("wide", Box.fromCentre(160, 120, 90, 30), "bar"));

  static RgbImage frame(int f) {
    return TinyModelTrackingTest.frame(80 + 3 * f, 70 + 2 * f);
  }

  @Test
  void theModelDeclaresSiamMaskAndRefusesBadCells() {
    assertThat(model.spec().family()).isEqualTo("siammask");
    assertThat(Trackers.forSpec(model.spec())).isInstanceOf(SiamMaskTracker.class);
    float[] z = new float[7 * 7 * 8];
    float[] x = new float[255 * 255 * 3];
    float[] m = model.mask(z, x, new int[] {0, 24}, 1);
    assertThat(m).hasSize(127 * 127);
    assertThatThrownBy(() -> model.mask(z, x, new int[] {0, 25}, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the 25 x 25 score map");
  }

  @Test
  void aSiamMaskTrackerRefusesAModelWithoutTheMaskSignature() {
    Path dir = TinySiamRpnModel.export(tmp.resolve("rpn"));
    ModelSpec rpn = ModelSpec.read(dir);
    try (SavedModelRunner boxesOnly = SavedModelRunner.load(dir)) {
      assertThat(boxesOnly.hasMask()).isFalse();
      assertThat(model.hasMask()).isTrue();
      // the SiamRPN model read as a SiamMask one: same outputs, no mask signature
      Tracker masking = new SiamMaskTracker(rpn);
      assertThatThrownBy(() -> new BatchedTracking(masking, boxesOnly)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no 'mask' signature");
    }
  }

  @Test
  void aBatchedFrameGivesEachTargetTheBoxAndMaskOfItsOwnCalls() {
    Tracker tracker = Trackers.forSpec(model.spec());
    MaskRefinement refinement = tracker.maskRefinement();
    BatchedTracking batched = new BatchedTracking(tracker, model);
    List<TargetState> together = batched.start(frame(0), REQUESTS, 0);
    List<TargetState> alone = new ArrayList<>(together);
    int segmented = 0;
    for (int f = 1; f <= 4; f++) {
      RgbImage img = frame(f);
      List<TrackStep> steps = batched.track(img, together, f);
      List<TargetState> nextAlone = new ArrayList<>();
      for (int i = 0; i < REQUESTS.size(); i++) {
        TargetState s = alone.get(i);
        float[] x = new float[255 * 255 * 3];
        tracker.searchRegions(s, img, x, 0);
        Map<String, float[]> out = model.track(s.embedding(), x, 1);
        TrackStep own = tracker.locate(s, out, 0, img, f);
        if (own.status() == TrackStatus.TRACKING) {
          int[] cell = refinement.position(s, out, 0);
          own = refinement.segment(s, own, cell, model.mask(s.embedding(), x, cell, 1), 0, img);
        }
        TrackStep b = steps.get(i);
        if (f == 1 && i == 0) {
          float[] cls = out.get("cls");
          float[] loc = out.get("loc");
          System.out.printf("tiny SiamMask: |cls| max %.3f, |loc| max %.3f%n", maxAbs(cls), maxAbs(loc));
        }
        String what = s.targetId() + " at frame " + f;
        assertThat(b.box().x()).as(what).isCloseTo(own.box().x(), within(1e-3));
        assertThat(b.box().y()).as(what).isCloseTo(own.box().y(), within(1e-3));
        assertThat(b.box().width()).as(what).isCloseTo(own.box().width(), within(1e-3));
        assertThat(b.segmentation() == null).as(what).isEqualTo(own.segmentation() == null);
        if (own.segmentation() != null) {
          segmented++;
          assertThat(b.segmentation().mask()).as(what).isEqualTo(own.segmentation().mask());
          assertThat(b.segmentation().box()).as(what).isEqualTo(own.segmentation().box());
          assertThat(b.segmentation().rotatedBox().cx()).as(what)
              .isCloseTo(own.segmentation().rotatedBox().cx(), within(1e-6));
        }
        nextAlone.add(own.state());
      }
      alone = nextAlone;
      together = steps.stream().map(TrackStep::state).toList();
    }
    // not vacuous: the untrained network's masks do pass the threshold somewhere
    System.out.printf("tiny SiamMask: %d of %d steps segmented%n", segmented, 4 * REQUESTS.size());
    assertThat(segmented).isGreaterThan(0);
  }

  @Test
  void framesOfTwoCamerasInOneCallGetTheMasksOfSeparateCalls() {
    Tracker tracker = Trackers.forSpec(model.spec());
    BatchedTracking batched = new BatchedTracking(tracker, model);
    List<TargetState> a = batched.start(frame(0), REQUESTS.subList(0, 2), 0);
    List<TargetState> b = batched.start(frame(3), REQUESTS.subList(2, 3), 0);
    List<List<TrackStep>> together = batched.track(List.of(new FrameTargets(frame(1), a, 1),
        new FrameTargets(frame(5), b, 1)));
    List<List<TrackStep>> apart = List.of(batched.track(frame(1), a, 1), batched.track(frame(5), b, 1));
    int segmented = 0;
    for (int f = 0; f < 2; f++) {
      for (int i = 0; i < apart.get(f).size(); i++) {
        TrackStep t = together.get(f).get(i);
        TrackStep s = apart.get(f).get(i);
        assertThat(t.box().x()).isCloseTo(s.box().x(), within(1e-3));
        assertThat(t.segmentation() == null).isEqualTo(s.segmentation() == null);
        if (s.segmentation() != null) {
          segmented++;
          assertThat(t.segmentation().mask()).isEqualTo(s.segmentation().mask());
        }
      }
    }
    assertThat(segmented).isGreaterThan(0);
  }

  static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
