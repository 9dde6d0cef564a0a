package io.argus.jobs.render;

import io.argus.jobs.feed.VideoFeed;
import io.argus.jobs.video.VideoFrame;
import io.argus.jobs.video.VideoReader;
import io.argus.models.data.ImageEncoding;
import io.argus.models.image.RgbImage;
import io.argus.schemas.Box;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed of the video paths on the reference videos: MPEG-4 decoding (with and without the JPEG
 * encoding a camera adds), a video camera's first pass, and H.264 encoding of annotated frames at
 * two motion search ranges. Each figure is the best of three passes (the first ones warm the JIT).
 * A benchmark, not a test: {@code mvn -pl jobs test -Dtest=VideoBenchmark -Dargus.bench=true}.
 */
class VideoBenchmark {

  static final Path VIDEOS = Stream.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"))
      .filter(Files::isDirectory).findFirst().orElse(Path.of("..", "shared", "data")).resolve("videos");

  @TempDir Path dir;

  @Test
  void decodeAndEncodeSpeed() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("argus.bench"), "benchmark: run with -Dargus.bench=true");
    Assumptions.assumeTrue(Files.isDirectory(VIDEOS), "skipped: ../shared/data absent");
    System.out.printf("load average %.1f on %d cores%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    for (String name : new String[] {"bag.avi", "Megamind.avi"}) {
      Path file = VIDEOS.resolve(name);
      double decode = best(() -> {
        try (VideoReader r = VideoReader.open(file)) {
          int n = 0;
          while (r.next() != null) {
            n++;
          }
          return n;
        }
      });
      double withJpeg = best(() -> {
        try (VideoReader r = VideoReader.open(file)) {
          int n = 0;
          VideoFrame f;
          while ((f = r.next()) != null) {
            f.jpeg(0.9f);
            n++;
          }
          return n;
        }
      });
      double feed = best(() -> {
        try (VideoFeed v = VideoFeed.open("c", file)) {
          for (int i = 0; i < v.length(); i++) {
            v.frame(i);
          }
          return (int) v.length();
        }
      });
      System.out.printf("%-13s decode %6.1f fps, decode + JPEG %6.1f fps, VideoFeed first pass %6.1f fps%n", name,
          decode, withJpeg, feed);
    }

    List<BufferedImage> frames = new ArrayList<>();
    List<RgbImage> raw = new ArrayList<>();
    try (VideoReader r = VideoReader.open(VIDEOS.resolve("bag.avi"))) {
      for (int i = 0; i < 100; i++) {
        raw.add(r.next().image());
      }
    }
    for (int i = 0; i < raw.size(); i++) {
      TrackUpdate u = TrackUpdate.newBuilder().setCameraId("cam").setTargetId("obj-1").setFrameSequence(i)
          .setCaptureTimeMs(0).setProcessingTimeMs(0).setBox(new Box(200f + i, 120f, 140f, 130f)).setScore(0.9f)
          .setState(TrackState.TRACKING).setModel("m").build();
      frames.add(TrackRenderer.draw(raw.get(i).toBufferedImage(), List.of(u)));
    }
    double draw = best(() -> {
      for (int i = 0; i < raw.size(); i++) {
        TrackRenderer.draw(raw.get(i).toBufferedImage(), List.of());
      }
      return raw.size();
    });
    System.out.printf("decode→BufferedImage + draw: %.1f fps (480x360)%n", draw);
    for (int range : new int[] {16, H264Mp4Writer.MOTION_SEARCH_RANGE}) {
      Path out = dir.resolve("bench-" + range + ".mp4");
      double encode = best(() -> {
        try (H264Mp4Writer w = H264Mp4Writer.create(out, 25, range)) {
          frames.forEach(w::write);
          return frames.size();
        }
      });
      System.out.printf("H.264 encode 480x360, motion search %2d px: %5.1f fps, %d kB for %d frames%n", range, encode,
          Files.size(out) / 1024, frames.size());
    }
    double png = best(() -> {
      for (BufferedImage f : frames.subList(0, 30)) {
        javax.imageio.ImageIO.write(f, "png", dir.resolve("f.png").toFile());
      }
      return 30;
    });
    double jpeg = best(() -> {
      for (RgbImage f : raw.subList(0, 30)) {
        ImageEncoding.jpeg(f, 0.9f);
      }
      return 30;
    });
    System.out.printf("for comparison: PNG write (--render) %.1f fps, JPEG encode %.1f fps%n", png, jpeg);
  }

  interface Work {
    int run() throws Exception;
  }

  /** Frames per second of the best of three passes. */
  static double best(Work w) throws Exception {
    double best = 0;
    for (int pass = 0; pass < 3; pass++) {
      long t0 = System.nanoTime();
      int n = w.run();
      best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }

}
