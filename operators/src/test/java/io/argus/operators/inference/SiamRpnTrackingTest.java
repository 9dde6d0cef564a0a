package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.SiamRpnTracker;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
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
 * A small seeded SiamRPN SavedModel through the batched path: several targets in one call per
 * frame give exactly what the tracker gives when each target runs alone, call by call.
 */
class SiamRpnTrackingTest {

  @TempDir static Path tmp;
  static SavedModelRunner model;

  @BeforeAll
  static void load() {
    model = SavedModelRunner.load(TinySiamRpnModel.export(tmp.resolve("siamrpn")));
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
  void theModelDeclaresSiamRpnAndGetsItsTracker() {
    ModelSpec spec = model.spec();
    assertThat(spec.family()).isEqualTo("siamrpn");
    assertThat(spec.instanceSize()).isEqualTo(287);
    assertThat(spec.outputs()).containsEntry("cls", List.of(21, 21, 10)).containsEntry("loc", List.of(21, 21, 20));
    assertThat(Trackers.forSpec(spec)).isInstanceOf(SiamRpnTracker.class);
  }

  @Test
  void aBatchedCallGivesEachTargetWhatItsOwnCallGives() {
    Tracker tracker = Trackers.forSpec(model.spec());
    BatchedTracking batched = new BatchedTracking(tracker, model);
    List<TargetState> together = batched.start(frame(0), REQUESTS, 0);
    List<TargetState> alone = new ArrayList<>();
    int zFloats = 127 * 127 * 3;
    for (StartRequest r : REQUESTS) {
      float[] z = new float[zFloats];
      tracker.exemplar(frame(0), r.box(), z, 0);
      alone.add(tracker.start(r, model.template(z, 1), 0));
    }
    for (int i = 0; i < REQUESTS.size(); i++) {
      assertThat(together.get(i).embedding()).containsExactly(alone.get(i).embedding(), within(1e-4f));
    }
    int xFloats = 287 * 287 * 3;
    double moved = 0;
    for (int f = 1; f <= 6; f++) {
      RgbImage img = frame(f);
      List<TrackStep> steps = batched.track(img, together, f);
      assertThat(steps).hasSize(REQUESTS.size());
      List<TargetState> nextAlone = new ArrayList<>();
      for (int i = 0; i < REQUESTS.size(); i++) {
        TargetState s = alone.get(i);
        float[] x = new float[xFloats];
        tracker.searchRegions(s, img, x, 0);
        Map<String, float[]> out = model.track(s.embedding(), x, 1);
        TrackStep own = tracker.locate(s, out, 0, img, f);
        TrackStep b = steps.get(i);
        assertThat(b.state().targetId()).isEqualTo(s.targetId());
        assertThat(b.box().x()).as("%s x at frame %d", s.targetId(), f).isCloseTo(own.box().x(), within(1e-3));
        assertThat(b.box().y()).as("%s y at frame %d", s.targetId(), f).isCloseTo(own.box().y(), within(1e-3));
        assertThat(b.box().width()).isCloseTo(own.box().width(), within(1e-3));
        assertThat(b.box().height()).isCloseTo(own.box().height(), within(1e-3));
        assertThat(b.score()).isCloseTo(own.score(), within(1e-4f));
        assertThat(b.state().framesTracked()).isEqualTo(f);
        moved += Math.hypot(b.box().cx() - REQUESTS.get(i).box().cx(), b.box().cy() - REQUESTS.get(i).box().cy());
        nextAlone.add(own.state());
      }
      alone = nextAlone;
      together = steps.stream().map(TrackStep::state).toList();
    }
    // the comparison is not vacuous: the untrained network does move the boxes
    System.out.printf("tiny SiamRPN: boxes moved %.1f px in total over 6 frames x 3 targets%n", moved);
    assertThat(moved).isGreaterThan(1);
  }
}
