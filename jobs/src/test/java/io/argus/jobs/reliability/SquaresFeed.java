package io.argus.jobs.reliability;

import io.argus.jobs.feed.CameraFeed;
import io.argus.jobs.feed.FeedFrame;
import io.argus.models.data.ImageEncoding;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.schemas.proto.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated camera the tiny {@link ProbeModel} can follow: coloured squares gliding and
 * bouncing over a dim, gently shaded background, JPEG-encoded. Frame N is a pure function of
 * (seed, N, size): a test regenerates any frame and its exact ground truth.
 */
final class SquaresFeed implements CameraFeed {

  static final int SIDE = 44;
  private static final int[][] COLOURS = {{230, 70, 60}, {60, 210, 80}, {70, 90, 235}, {225, 215, 60}};

  private final String cameraId;
  private final int width;
  private final int height;
  private final int objects;
  private final long seed;
  private final long length;

  SquaresFeed(String cameraId, int width, int height, int objects, long seed, long length) {
    if (objects > COLOURS.length) {
      throw new IllegalArgumentException("at most " + COLOURS.length + " objects");
    }
    this.cameraId = cameraId;
    this.width = width;
    this.height = height;
    this.objects = objects;
    this.seed = seed;
    this.length = length;
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  @Override
  public long length() {
    return length;
  }

  /** The same scene at another resolution: positions and sizes scale with the picture. */
  SquaresFeed resized(int newWidth, int newHeight) {
    return new SquaresFeed(cameraId, newWidth, newHeight, objects, seed, length);
  }

  Box truth(int object, long index) {
    double scale = width / 320.0;
    double side = SIDE * scale;
    // each object keeps to its own vertical band so squares never overlap
    double band = (double) height / objects;
    double x0 = 30 + 47 * ((seed + object * 3) % 5);
    double vx = 2.0 + 0.5 * ((seed + object) % 3);
    double vy = 1.0 + 0.25 * ((seed * 7 + object) % 3);
    double cx = bounce(x0 * scale + vx * scale * index, side / 2, width - side / 2);
    double cy = bounce(object * band + band / 2 + vy * scale * index, object * band + side / 2,
        (object + 1) * band - side / 2);
    return Box.fromCentre(cx, cy, side, side);
  }

  private static double bounce(double v, double lo, double hi) {
    if (hi <= lo) {
      return (lo + hi) / 2;
    }
    double span = hi - lo;
    double t = ((v - lo) % (2 * span) + 2 * span) % (2 * span);
    return lo + (t <= span ? t : 2 * span - t);
  }

  RgbImage image(long index) {
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        int shade = 40 + (x * 20 / width) + (y * 10 / height);
        rgb[i] = (byte) shade;
        rgb[i + 1] = (byte) (shade + 5);
        rgb[i + 2] = (byte) (shade + 10);
      }
    }
    for (int o = 0; o < objects; o++) {
      Box b = truth(o, index);
      int[] c = COLOURS[o];
      for (int y = (int) Math.round(b.y()); y < Math.round(b.y() + b.height()); y++) {
        for (int x = (int) Math.round(b.x()); x < Math.round(b.x() + b.width()); x++) {
          if (x >= 0 && y >= 0 && x < width && y < height) {
            int i = (y * width + x) * 3;
            rgb[i] = (byte) c[0];
            rgb[i + 1] = (byte) c[1];
            rgb[i + 2] = (byte) c[2];
          }
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }

  @Override
  public FeedFrame frame(long index) {
    List<Box> truths = new ArrayList<>();
    for (int o = 0; o < objects; o++) {
      truths.add(truth(o, index));
    }
    return new FeedFrame(ImageEncoding.jpeg(image(index), 0.9f), Encoding.JPEG, width, height, truths);
  }

  /** An all-black frame of this camera's size: the probe model answers it with NaN. */
  FeedFrame blackFrame() {
    return new FeedFrame(ImageEncoding.jpeg(new RgbImage(width, height, new byte[width * height * 3]), 0.9f),
        Encoding.JPEG, width, height, List.of());
  }
}
