package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.data.Sequence;
import io.argus.models.matconvnet.MatConvNetImport;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CFNet end to end on real footage: the real CFNet-conv1 network (the smallest of
 * ../shared/data/weights/cfnet) imported from MatConvNet, run by SavedModelRunner, tracked by
 * SiamFcTracker with its published settings, including the online template (filter) update.
 */
class CfNetTrackingTest {

  @TempDir Path tmp;

  private static Path shared(String sub) {
    for (String root : new String[] {"../shared/data", "../../shared/data"}) {
      Path p = Path.of(root, sub);
      if (Files.exists(p)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void cfnetConv1FollowsTheWalkerOfCrossingAndUpdatesItsFilter() {
    Path net = shared("weights/cfnet/cfnet-conv1_e75.mat");
    Path seqDir = shared("sequences/Crossing");
    if (net == null || seqDir == null) {
      System.out.println("skipped: ../shared/data (CFNet weights, Crossing) absent");
    }
    Assumptions.assumeTrue(net != null && seqDir != null, "skipped: ../shared/data absent");
    Path dir = tmp.resolve("cfnet-conv1");
    MatConvNetImport.importNetwork(net, dir, null, Map.of(), null);
    Sequence seq = Sequence.open(seqDir);
    int frames = 40;
    try (SavedModelRunner model = SavedModelRunner.load(dir)) {
      assertThat(model.spec().hyper("templateLr")).isEqualTo(0.0058);
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      List<TargetState> targets = tracking.start(seq.image(0),
          List.of(new StartRequest("walker", seq.truth(0), null)), 0);
      float[] first = targets.get(0).embedding();
      double iouSum = 0;
      double worst = 1;
      for (int f = 1; f <= frames; f++) {
        TrackStep step = tracking.track(seq.image(f), targets, f).get(0);
        targets = List.of(step.state());
        double iou = step.box().iou(seq.truth(f));
        iouSum += iou;
        worst = Math.min(worst, iou);
      }
      float[] last = targets.get(0).embedding();
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < first.length; i++) {
        diff += (last[i] - first[i]) * (last[i] - first[i]);
        norm += first[i] * first[i];
      }
      double change = Math.sqrt(diff / norm);
      System.out.printf("CFNet-conv1 on Crossing, %d frames: mean IoU %.3f, worst %.3f, filter changed by %.3f%n",
          frames, iouSum / frames, worst, change);
      assertThat(iouSum / frames).isGreaterThan(0.6);
      assertThat(worst).isGreaterThan(0.3);
      // 40 updates at 0.0058 move the filter by about 1 - 0.9942^40 = 21 % of its distance to the fresh ones
      assertThat(change).isBetween(0.01, 0.5);
    }
  }
}
