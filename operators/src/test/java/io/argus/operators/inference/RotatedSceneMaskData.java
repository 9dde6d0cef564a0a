package io.argus.operators.inference;

import io.argus.models.ModelSpec;
import io.argus.models.data.RotatedTargetScene;
import io.argus.models.data.SceneSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.SiamMaskTracker;
import io.argus.operators.core.SiamRpnTracker;
import io.argus.operators.core.TargetState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Training data for the mask branch of a tiny SiamMask (src/test/python/train_tiny_siammask_mask.py):
 * turning bars of {@link RotatedTargetScene}, cropped exactly as {@link SiamMaskTracker} crops them
 * (exemplar at the first frame, search region around a jittered true centre), with the ideal mask of
 * the exemplar-sized square at the search centre (cell 12, 12). Not a test: writes files only with
 * {@code -Dargus.siammask.data=DIR}.
 */
class RotatedSceneMaskData {

  static final int SCENES_PER_SIZE = 10;
  static final int FRAMES = 40;

  /** The scenes the data comes from; the evaluation uses other seeds. */
  static RotatedTargetScene scene(int i) {
    double[][] bars = {{140, 22}, {110, 30}, {160, 18}, {90, 26}};
    double[] b = bars[i % bars.length];
    return new RotatedTargetScene(SceneSpec.of(480, 360, 3, 1000 + i), b[0], b[1], 2 + i % 5);
  }

  static SiamMaskTracker tracker() {
    ModelSpec spec = new ModelSpec("siammask", "data", 127, 255, 25, 8, List.of(7, 7, 8),
        Map.of("cls", List.of(25, 25, 10), "loc", List.of(25, 25, 20)),
        Map.of("contextAmount", 0.5, "maskThreshold", 0.15), Map.of());
    return new SiamMaskTracker(spec);
  }

  /** The state a tracker would hold for the bar at frame t: its axis-aligned box, centre jittered. */
  static TargetState state(RotatedTargetScene s, long t, double jx, double jy) {
    Box b = s.axisTruth(t);
    return new TargetState("bar", null, b.cx() + jx, b.cy() + jy, b.width(), b.height(), 1f, new float[0], t, 0, 0);
  }

  @Test
  void write() throws IOException {
    String dir = System.getProperty("argus.siammask.data");
    Assumptions.assumeTrue(dir != null, "writes training data only with -Dargus.siammask.data=DIR");
    Path out = Files.createDirectories(Path.of(dir));
    SiamMaskTracker tracker = tracker();
    Random r = new Random(5);
    int n = 0;
    try (OutputStream ex = Files.newOutputStream(out.resolve("exemplar.u8"));
        OutputStream se = Files.newOutputStream(out.resolve("search.u8"));
        OutputStream ma = Files.newOutputStream(out.resolve("mask.u8"))) {
      float[] z = new float[127 * 127 * 3];
      float[] x = new float[255 * 255 * 3];
      for (int i = 0; i < SCENES_PER_SIZE * 4; i++) {
        RotatedTargetScene s = scene(i);
        tracker.exemplar(s.frame(0), s.axisTruth(0), z, 0);
        byte[] zb = bytes(z);
        for (long t = 1; t <= FRAMES; t++) {
          TargetState st = state(s, t, r.nextGaussian() * 6, r.nextGaussian() * 6);
          RgbImage f = s.frame(t);
          tracker.searchRegions(st, f, x, 0);
          double side = new SiamRpnTracker(tracker.spec()).searchRegion(st).side() * 127 / 255;
          float[] m = s.cropMask(t, st.cx(), st.cy(), side, 127);
          ex.write(zb);
          se.write(bytes(x));
          ma.write(maskBytes(m));
          n++;
        }
      }
    }
    System.out.println("wrote " + n + " samples to " + out);
  }

  static byte[] bytes(float[] v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
    }
    return b;
  }

  private static byte[] maskBytes(float[] m) {
    byte[] b = new byte[m.length];
    for (int i = 0; i < m.length; i++) {
      b[i] = (byte) (m[i] > 0.5f ? 1 : 0);
    }
    return b;
  }
}
