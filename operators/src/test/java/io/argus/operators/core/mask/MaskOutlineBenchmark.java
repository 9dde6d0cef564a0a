package io.argus.operators.core.mask;

import io.argus.models.image.Crops;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Java-side cost of SiamMask's post-processing per target and frame: paste-back of a 127x127
 * probability mask, threshold, largest region, min-area rectangle and RLE. Not a unit test; run
 * with {@code java -cp <test classpath> io.argus.operators.core.mask.MaskOutlineBenchmark}.
 */
public final class MaskOutlineBenchmark {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    int size = 127;
    // targets of 40x24, 200x120 and 480x300 pixels in a 1920x1080 frame; the mask covers the
    // exemplar-sized region around the target (context 0.5), as in pysot
    for (double[] target : new double[][] {{40, 24}, {200, 120}, {480, 300}}) {
      double side = Crops.contextSide(target[0], target[1], 0.5);
      float[] mask = tiltedEllipse(size, target[0] / side * size, target[1] / side * size, 35);
      int n = 2000;
      Segmentation s = null;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          s = MaskOutline.fromCropMask(mask, size, 960, 540, side, 1920, 1080, MaskOutline.DEFAULT_THRESHOLD);
        }
        long c1 = THREADS.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        // thread CPU time as well as wall time: the shared build machine is often overloaded
        System.out.printf("target %.0fx%.0f, crop side %.0f px (%d frame pixels): %.3f ms/target wall, %.3f ms CPU"
            + " (round %d)%n", target[0], target[1], side, Math.round(side * side), (t1 - t0) / 1e6 / n,
            (c1 - c0) / 1e6 / n, round);
      }
      System.out.println("  " + s.rotatedBox() + " " + s.mask());
    }
  }

  /** Probabilities of a soft ellipse of the given axes (mask pixels), turned by angle degrees. */
  private static float[] tiltedEllipse(int size, double w, double h, double angle) {
    float[] m = new float[size * size];
    double rad = Math.toRadians(angle);
    double c = (size - 1) / 2.0;
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < size; i++) {
        double u = ((i - c) * Math.cos(rad) + (j - c) * Math.sin(rad)) / (w / 2);
        double v = (-(i - c) * Math.sin(rad) + (j - c) * Math.cos(rad)) / (h / 2);
        double r = Math.sqrt(u * u + v * v);
        m[j * size + i] = (float) (1 / (1 + Math.exp(8 * (r - 1))));
      }
    }
    return m;
  }
}
