package io.argus.operators.core;

import io.argus.models.image.RgbImage;
import java.util.Map;
import java.util.Random;

/**
 * Java-side cost of SiamFC per target and frame, without the network: the three 255x255 search
 * crops and the post-processing of three 17x17 responses (bicubic to 272x272, window, peak).
 * Not a unit test; run with {@code java -cp <test classpath> io.argus.operators.core.SiamFcCoreBenchmark}.
 */
public final class SiamFcCoreBenchmark {

  public static void main(String[] args) {
    int w = 1280;
    int h = 720;
    byte[] rgb = new byte[w * h * 3];
    new Random(1).nextBytes(rgb);
    RgbImage frame = new RgbImage(w, h, rgb);
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of()));
    TargetState target = new TargetState("t", null, 640, 360, 60, 80, 1f, new float[4], 0, 0, 0);
    float[] crops = new float[3 * 255 * 255 * 3];
    float[] responses = new float[3 * 17 * 17];
    Random r = new Random(2);
    for (int i = 0; i < responses.length; i++) {
      responses[i] = r.nextFloat();
    }
    Map<String, float[]> outputs = Map.of("response", responses);
    for (int round = 0; round < 3; round++) {
      int n = 200;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tracker.searchRegions(target, frame, crops, 0);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tracker.locate(target, outputs, 0, frame, 1);
      }
      long t2 = System.nanoTime();
      System.out.printf("round %d: search crops %.2f ms/target, locate %.2f ms/target (1280x720 frame, 3 scales)%n",
          round, (t1 - t0) / 1e6 / n, (t2 - t1) / 1e6 / n);
    }
  }
}
