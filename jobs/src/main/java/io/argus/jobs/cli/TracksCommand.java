package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.render.TrackRenderer;
import io.argus.jobs.render.TrackVideos;
import io.argus.models.image.RgbImage;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.Frames;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import io.argus.schemas.proto.Frame;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tracks", mixinStandardHelpOptions = true,
    description = {"Print the tracks topic (committed output only), or render annotated frames or videos.",
        "Example: argus tracks --from-beginning --render out/frames",
        "         argus tracks --from-beginning --render-video out/tracks.mp4"})
final class TracksCommand implements Callable<Integer> {

  /** Frame rate of a rendered video when the tracks give no way to tell. */
  static final double DEFAULT_VIDEO_FPS = 10;

  @Mixin SettingsOptions settings;

  @Option(names = "--from-beginning", description = "Read the topic from its start instead of only new tracks")
  boolean fromBeginning;

  @Option(names = "--idle", defaultValue = "10", description = "Stop after this many seconds without a record, 0 = never (default: ${DEFAULT-VALUE})")
  int idleSeconds;

  @Option(names = "--max", defaultValue = "0", description = "Stop after this many records, 0 = no limit")
  long max;

  @Option(names = "--dead-letters", description = "Print the dead-letter topic instead")
  boolean deadLetters;

  @Option(names = "--render", paramLabel = "DIR", description = "Also read the frames topic and write each tracked frame as PNG with the tracks drawn")
  Path render;

  @Option(names = "--render-video", paramLabel = "FILE",
      description = {"Also read the frames topic and write an H.264 MP4 of each camera's frames with the tracks drawn,",
          "from its first tracked frame to its last (FILE-<camera>.mp4 per camera when several)"})
  Path renderVideo;

  @Option(names = "--render-fps", paramLabel = "FPS",
      description = "Frame rate of --render-video (default: each camera's rate, from the capture times of its tracks)")
  Double renderFps;

  @Override
  public Integer call() throws Exception {
    Settings s = settings.resolve();
    String topic = s.get(deadLetters ? Setting.TOPIC_DEAD_LETTERS : Setting.TOPIC_TRACKS);
    AvroCodec<TrackUpdate> tracks = AvroCodec.trackUpdates();
    AvroCodec<DeadLetter> letters = AvroCodec.deadLetters();
    Map<String, List<TrackUpdate>> byFrame = new HashMap<>();
    long count = 0;
    boolean rendering = render != null || renderVideo != null;
    try (var consumer = Clients.consumer(s, null, fromBeginning || rendering)) {
      consumer.subscribe(List.of(topic));
      long lastRecord = System.currentTimeMillis();
      while ((max == 0 || count < max) && (idleSeconds == 0 || System.currentTimeMillis() - lastRecord < idleSeconds * 1000L)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          lastRecord = System.currentTimeMillis();
          count++;
          try {
            if (deadLetters) {
              DeadLetter d = letters.decode(r.value());
              System.out.printf("%-22s %-28s %s%n", d.getReason(), d.getSource(), d.getMessage());
            } else {
              TrackUpdate u = tracks.decode(r.value());
              System.out.println(format(u));
              if (rendering) {
                byFrame.computeIfAbsent(u.getCameraId() + "@" + u.getFrameSequence(), k -> new ArrayList<>()).add(u);
              }
            }
          } catch (WireFormatException e) {
            System.out.println("unreadable record at " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
          }
        }
      }
    }
    if (rendering) {
      renderFrames(s, byFrame);
    }
    return 0;
  }

  static String format(TrackUpdate u) {
    var b = u.getBox();
    return String.format("%-10s %-10s frame %6d  box %7.1f %7.1f %6.1f %6.1f  score %6.3f  %-8s latency %d ms",
        u.getCameraId(), u.getTargetId(), u.getFrameSequence(), b.getX(), b.getY(), b.getWidth(), b.getHeight(),
        u.getScore(), u.getState(), u.getProcessingTimeMs() - u.getCaptureTimeMs());
  }

  /**
   * Reads the frames topic once and draws the tracks: PNGs of the tracked frames into --render,
   * and each camera's frames from its first tracked one to its last into --render-video.
   */
  private void renderFrames(Settings s, Map<String, List<TrackUpdate>> byFrame) throws Exception {
    if (render != null) {
      Files.createDirectories(render);
    }
    Map<String, long[]> span = new HashMap<>(); // camera -> first and last tracked sequence
    Map<String, List<TrackUpdate>> byCamera = new HashMap<>();
    for (List<TrackUpdate> updates : byFrame.values()) {
      TrackUpdate u = updates.get(0);
      span.merge(u.getCameraId(), new long[] {u.getFrameSequence(), u.getFrameSequence()},
          (x, y) -> new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
      byCamera.computeIfAbsent(u.getCameraId(), c -> new ArrayList<>()).add(u);
    }
    TrackVideos videos = renderVideo == null ? null
        : new TrackVideos(renderVideo, camera -> renderFps != null ? renderFps : cameraFps(byCamera.get(camera)));
    int pngs = 0;
    int seen = 0;
    try (var consumer = Clients.consumer(s, null, true)) {
      consumer.subscribe(List.of(s.get(Setting.TOPIC_FRAMES)));
      long lastRecord = System.currentTimeMillis();
      while (seen < byFrame.size() && System.currentTimeMillis() - lastRecord < 5000) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          lastRecord = System.currentTimeMillis();
          Frame f;
          try {
            f = Frames.parse(r.value(), s.getInt(Setting.MAX_FRAME_BYTES));
          } catch (WireFormatException e) {
            continue;
          }
          List<TrackUpdate> updates = byFrame.get(f.getCameraId() + "@" + f.getSequence());
          long[] tracked = span.get(f.getCameraId());
          boolean inVideo = videos != null && tracked != null && f.getSequence() >= tracked[0]
              && f.getSequence() <= tracked[1];
          if (updates == null && !inVideo) {
            continue;
          }
          seen += updates == null ? 0 : 1;
          RgbImage image = RgbImage.decode(f.getData().toByteArray());
          BufferedImage annotated = TrackRenderer.draw(image.toBufferedImage(), updates == null ? List.of() : updates);
          if (render != null && updates != null) {
            Path out = render.resolve(String.format("%s-%06d.png", f.getCameraId(), f.getSequence()));
            ImageIO.write(annotated, "png", out.toFile());
            pngs++;
          }
          if (inVideo) {
            videos.write(f.getCameraId(), annotated);
          }
        }
      }
    } finally {
      if (videos != null) {
        videos.close();
      }
    }
    if (render != null) {
      System.err.println("wrote " + pngs + " annotated frames to " + render.toAbsolutePath());
    }
    if (videos != null) {
      System.err.println("wrote " + videos.frames() + " annotated frames to " + videos.files());
    }
  }

  /** A camera's frame rate from its tracks: frames advanced over capture time passed, median of consecutive pairs. */
  static double cameraFps(List<TrackUpdate> updates) {
    if (updates == null || updates.size() < 2) {
      return DEFAULT_VIDEO_FPS;
    }
    List<TrackUpdate> sorted = new ArrayList<>(updates);
    sorted.sort(java.util.Comparator.comparingLong(TrackUpdate::getFrameSequence));
    List<Double> rates = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      long frames = sorted.get(i).getFrameSequence() - sorted.get(i - 1).getFrameSequence();
      long ms = sorted.get(i).getCaptureTimeMs() - sorted.get(i - 1).getCaptureTimeMs();
      if (frames > 0 && ms > 0) {
        rates.add(1000.0 * frames / ms);
      }
    }
    if (rates.isEmpty()) {
      return DEFAULT_VIDEO_FPS;
    }
    rates.sort(null);
    double median = rates.get(rates.size() / 2);
    // capture times are whole milliseconds: snap 24.9 or 25.1 to 25
    return Math.abs(median - Math.rint(median)) < 0.05 * median ? Math.rint(median) : median;
  }
}
