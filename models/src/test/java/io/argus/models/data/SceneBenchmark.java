package io.argus.models.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rendering speed of generated footage (not a unit test): run with
 * {@code java -cp models/target/classes:models/target/test-classes io.argus.models.data.SceneBenchmark [outDir]}.
 * With an output directory it also writes a few frames as PNG to look at.
 */
public final class SceneBenchmark {

  public static void main(String[] args) throws Exception {
    for (SceneSpec.Background bg : SceneSpec.Background.values()) {
      SceneSpec spec = SceneSpec.of(640, 360, 8, 7).withBackground(bg).withNoise(4);
      long c0 = System.nanoTime();
      SyntheticScene scene = new SyntheticScene(spec);
      long c1 = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        scene.frame(i);
      }
      int n = 400;
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += scene.frame(1000 + i).image().rgb()[i];
      }
      long t1 = System.nanoTime();
      long cpu1 = mx.getCurrentThreadCpuTime();
      byte[] jpeg = null;
      long e0 = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        jpeg = ImageEncoding.jpeg(scene.frame(i).image(), 0.85f);
      }
      long e1 = System.nanoTime();
      System.out.printf("%-8s 640x360 8 objects: scene setup %.1f ms, frame %.2f ms wall / %.2f ms cpu, frame+JPEG %.2f ms (%d bytes) %d%n", bg,
          (c1 - c0) / 1e6, (t1 - t0) / 1e6 / n, (cpu1 - cpu0) / 1e6 / n, (e1 - e0) / 1e6 / 50, jpeg.length, sum & 1);
      if (args.length > 0) {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (long t : new long[] {0, 40}) {
          Files.write(dir.resolve(bg + "-" + t + ".png"), ImageEncoding.png(scene.frame(t).image()));
        }
      }
    }
  }
}
