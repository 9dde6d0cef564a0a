package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.CameraFeed;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.feed.ImageDirFeed;
import io.argus.jobs.feed.SceneFeed;
import io.argus.jobs.feed.VideoFeed;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.video.VideoInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "camera", mixinStandardHelpOptions = true,
    description = {"Publish camera frames to the frames topic: generated scenes, image directories or video files.",
        "Example: argus camera --scene --cameras 4 --fps 10 --loop",
        "         argus camera --video ../shared/data/videos/bag.avi --loop"})
final class CameraCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  static final class Source {
    @Option(names = "--scene", description = "Generated scene footage with ground truth (default)")
    boolean scene;

    @Option(names = "--images", paramLabel = "DIR", arity = "1..*",
        description = "Image directories (OTB img/ or GOT-10k layout, or any *.jpg/*.png), one camera each")
    List<Path> images;

    @Option(names = "--video", paramLabel = "FILE", arity = "1..*",
        description = {"Video files, one camera each: AVI with MPEG-4 Part 2 (XviD, DivX 4/5) or Motion JPEG.",
            "A NAME.groundtruth_rect.txt beside NAME.avi (OTB format) is its ground truth."})
    List<Path> videos;
  }

  @ArgGroup(exclusive = true) Source source = new Source();

  @Option(names = "--camera", defaultValue = "cam", description = "Camera id, or the prefix of ids with --cameras (default: ${DEFAULT-VALUE})")
  String camera;

  @Option(names = "--cameras", defaultValue = "1", description = "Number of generated cameras (default: ${DEFAULT-VALUE})")
  int cameras;

  @Option(names = "--objects", defaultValue = "3", description = "Objects per generated scene (default: ${DEFAULT-VALUE})")
  int objects;

  @Option(names = "--size", defaultValue = "640x360", description = "Generated frame size WxH (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the first generated camera (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--fps", description = "Frames per second per camera, 0 = as fast as possible (default: 10, or the first video's own rate)")
  Double fps;

  @Option(names = "--frames", defaultValue = "0", description = "Frames per camera; 0 = the feed once, or forever with --loop")
  long frames;

  @Option(names = "--loop", description = "Start again after the last frame")
  boolean loop;

  @Override
  public Integer call() throws Exception {
    Settings s = settings.resolve();
    List<CameraFeed> feeds = feeds(source, camera, cameras, objects, size, seed, frames);
    try (var producer = Clients.producer(s, s.getInt(Setting.MAX_FRAME_BYTES))) {
      double rate = fps != null ? fps : feeds.get(0) instanceof VideoFeed v && v.info().fps() > 0 ? v.info().fps() : 10;
      FramePublisher publisher = new FramePublisher(producer, s.get(Setting.TOPIC_FRAMES), feeds, rate, frames, loop);
      Thread t = new Thread(publisher, "camera-publisher");
      t.start();
      while (t.isAlive()) {
        t.join(1000);
        System.err.printf("\r%d frames published (%d cameras, next sequence %d)", publisher.published(), feeds.size(),
            publisher.nextSequence());
      }
      System.err.println();
    }
    return 0;
  }

  static List<CameraFeed> feeds(Source source, String camera, int cameras, int objects, String size, long seed,
      long frames) {
    List<CameraFeed> feeds = new ArrayList<>();
    if (source.images != null) {
      for (int i = 0; i < source.images.size(); i++) {
        String id = source.images.size() == 1 ? camera : camera + "-" + (i + 1);
        feeds.add(ImageDirFeed.open(id, source.images.get(i)));
      }
      return feeds;
    }
    if (source.videos != null) {
      try {
        for (int i = 0; i < source.videos.size(); i++) {
          String id = source.videos.size() == 1 ? camera : camera + "-" + (i + 1);
          VideoFeed feed = VideoFeed.open(id, source.videos.get(i));
          feeds.add(feed);
          VideoInfo v = feed.info();
          System.err.printf("%s: %s, %s %dx%d, %d frames at %.2f fps%s%n", id, feed.file().getFileName(), v.codec(),
              v.width(), v.height(), v.frames(), v.fps(),
              feed.truthFile() == null ? "" : ", ground truth " + feed.truthFile().getFileName());
        }
      } catch (RuntimeException e) {
        feeds.forEach(f -> ((VideoFeed) f).close());
        throw e;
      }
      return feeds;
    }
    String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (wh.length != 2) {
      throw new IllegalArgumentException("--size must look like 640x360, got '" + size + "'");
    }
    int w = Integer.parseInt(wh[0]);
    int h = Integer.parseInt(wh[1]);
    for (int i = 0; i < cameras; i++) {
      String id = cameras == 1 ? camera : camera + "-" + (i + 1);
      feeds.add(new SceneFeed(id, SceneFeed.demoSpec(w, h, objects, seed + i), frames > 0 ? frames : 300));
    }
    return feeds;
  }
}
