package io.argus.operators.inference;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.FrameTargets;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.Trackers;
import io.argus.operators.flink.ModelLocations;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One round of frames from N cameras (one target each, 640x360) tracked with the packaged default
 * SiamFC model: N single-frame calls (one per camera, as before cross-camera batching) against one
 * call for the N frames ({@link BatchedTracking#track(List)}), best of several rounds. Not a unit
 * test: {@code java -cp <test classpath> io.argus.operators.inference.CrossCameraBatchingBenchmark [cameras...]}.
 */
public final class CrossCameraBatchingBenchmark {

  public static void main(String[] args) throws Exception {
    int[] cameraCounts = args.length == 0 ? new int[] {1, 4, 8} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    try (SavedModelRunner model = SavedModelRunner.load(ModelLocations.resolve(ModelLocations.DEFAULT))) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      Random random = new Random(1);
      for (int n : cameraCounts) {
        List<FrameTargets> round = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          byte[] rgb = new byte[640 * 360 * 3];
          random.nextBytes(rgb);
          RgbImage frame = new RgbImage(640, 360, rgb);
          List<TargetState> targets = tracking.start(frame,
              List.of(new StartRequest("t", Box.fromCentre(200 + 20 * c, 180, 50, 60), null)), 0);
          round.add(new FrameTargets(frame, targets, 1));
        }
        tracking.track(round); // warm-up
        double separate = Double.MAX_VALUE;
        double together = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
          long t0 = System.nanoTime();
          for (FrameTargets f : round) {
            tracking.track(List.of(f));
          }
          separate = Math.min(separate, (System.nanoTime() - t0) / 1e6);
          long t1 = System.nanoTime();
          tracking.track(round);
          together = Math.min(together, (System.nanoTime() - t1) / 1e6);
        }
        System.out.printf("%d cameras x 1 target (%2d crops): %d calls %.0f ms, one call %.0f ms (%.2fx)%n", n,
            3 * n, n, separate, together, separate / together);
      }
    }
  }
}
