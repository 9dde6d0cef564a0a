package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParallelCropsTest {

  /** Records the search crops of the last track call and answers as the slicing fake does. */
  private static final class Recording implements SiameseModel {
    final BatchedTrackingTest.FakeModel inner = new BatchedTrackingTest.FakeModel();
    float[] instances;

    @Override
    public ModelSpec spec() {
      return inner.spec();
    }

    @Override
    public float[] template(float[] exemplars, int batch) {
      return inner.template(exemplars, batch);
    }

    @Override
    public Map<String, float[]> track(float[] embeddings, float[] instances, int batch) {
      this.instances = instances.clone();
      return inner.track(embeddings, instances, batch);
    }

    @Override
    public void close() {}
  }

  private static RgbImage noise(int w, int h, long seed) {
    byte[] rgb = new byte[w * h * 3];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(w, h, rgb);
  }

  @Test
  void cropsCutInParallelAreTheCropsTheTrackerMakesOneByOne() {
    Recording model = new Recording();
    Tracker tracker = Trackers.forSpec(model.spec());
    BatchedTracking tracking = new BatchedTracking(tracker, model);
    RgbImage a = noise(320, 240, 1);
    RgbImage b = noise(200, 150, 2);
    List<StartRequest> ra = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ra.add(new StartRequest("a" + i, new Box(-10 + 35 * i, 20 + 20 * i, 25 + i, 30), null)); // some across the border
    }
    List<TargetState> ta = tracking.start(a, ra, 1);
    List<TargetState> tb = tracking.start(b, List.of(new StartRequest("b", new Box(150, 100, 60, 40), null)), 1);

    tracking.track(List.of(new FrameTargets(a, ta, 2), new FrameTargets(b, tb, 2)));

    int crop = tracker.searchCropsPerTarget() * 255 * 255 * 3;
    assertThat(10 * tracker.searchCropsPerTarget()).isGreaterThanOrEqualTo(BatchedTracking.PARALLEL_CROPS_FROM);
    float[] expected = new float[10 * crop];
    for (int i = 0; i < 9; i++) {
      tracker.searchRegions(ta.get(i), a, expected, i * crop);
    }
    tracker.searchRegions(tb.get(0), b, expected, 9 * crop);
    assertThat(model.instances).isEqualTo(expected);
  }
}
