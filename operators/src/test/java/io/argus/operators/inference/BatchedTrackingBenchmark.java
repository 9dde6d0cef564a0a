package io.argus.operators.inference;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.siamfc.BackboneConfig;
import io.argus.models.siamfc.SiamFcModel;
import io.argus.models.siamfc.SiamFcWeights;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.Trackers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Frame time of BatchedTracking on the slim SiamFC graph (untrained weights: speed only) for 1,
 * 4 and 16 targets on a 1280x720 frame, split into the whole step and the model call. Not a unit
 * test: {@code java -cp <test classpath> io.argus.operators.inference.BatchedTrackingBenchmark [standard|slim]}.
 */
public final class BatchedTrackingBenchmark {

  public static void main(String[] args) throws Exception {
    BackboneConfig config = BackboneConfig.parse(args.length > 0 ? args[0] : "slim");
    Path dir = Files.createTempDirectory("argus-bench");
    SiamFcModel.export(dir, config, SiamFcWeights.initial(config, 1), "bench", Map.of());
    byte[] rgb = new byte[1280 * 720 * 3];
    new Random(1).nextBytes(rgb);
    RgbImage frame = new RgbImage(1280, 720, rgb);
    try (SavedModelRunner model = SavedModelRunner.load(dir)) {
      BatchedTracking tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
      for (int n : new int[] {1, 4, 16}) {
        List<StartRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          requests.add(new StartRequest("t" + i, Box.fromCentre(100 + 70 * i, 360, 50, 60), null));
        }
        List<TargetState> targets = tracking.start(frame, requests, 0);
        tracking.track(frame, targets, 1); // warm-up
        int frames = n == 16 ? 3 : 8;
        long t0 = System.nanoTime();
        for (int f = 0; f < frames; f++) {
          tracking.track(frame, targets, f + 2);
        }
        double step = (System.nanoTime() - t0) / 1e6 / frames;
        float[] emb = new float[3 * n * model.spec().embeddingSize()];
        float[] inst = new float[3 * n * 255 * 255 * 3];
        long t1 = System.nanoTime();
        for (int f = 0; f < frames; f++) {
          model.track(emb, inst, 3 * n);
        }
        double call = (System.nanoTime() - t1) / 1e6 / frames;
        System.out.printf("%s SiamFC, %2d targets (%2d crops): %.0f ms/frame, of which model call %.0f ms%n",
            config.text(), n, 3 * n, step, call);
      }
    }
  }
}
