package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.render.TrackRenderer;
import io.argus.models.image.RgbImage;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.Frames;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import io.argus.schemas.proto.Frame;
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
    description = {"Print the tracks topic (committed output only), or render annotated frames.",
        "Example: argus tracks --from-beginning --render out/frames"})
final class TracksCommand implements Callable<Integer> {

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

  @Override
  public Integer call() throws Exception {
    Settings s = settings.resolve();
    String topic = s.get(deadLetters ? Setting.TOPIC_DEAD_LETTERS : Setting.TOPIC_TRACKS);
    AvroCodec<TrackUpdate> tracks = AvroCodec.trackUpdates();
    AvroCodec<DeadLetter> letters = AvroCodec.deadLetters();
    Map<String, List<TrackUpdate>> byFrame = new HashMap<>();
    long count = 0;
    try (var consumer = Clients.consumer(s.get(Setting.BOOTSTRAP_SERVERS), null, fromBeginning || render != null)) {
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
              if (render != null) {
                byFrame.computeIfAbsent(u.getCameraId() + "@" + u.getFrameSequence(), k -> new ArrayList<>()).add(u);
              }
            }
          } catch (WireFormatException e) {
            System.out.println("unreadable record at " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
          }
        }
      }
    }
    if (render != null) {
      int written = renderFrames(s, byFrame, render);
      System.err.println("wrote " + written + " annotated frames to " + render.toAbsolutePath());
    }
    return 0;
  }

  static String format(TrackUpdate u) {
    var b = u.getBox();
    return String.format("%-10s %-10s frame %6d  box %7.1f %7.1f %6.1f %6.1f  score %6.3f  %-8s latency %d ms",
        u.getCameraId(), u.getTargetId(), u.getFrameSequence(), b.getX(), b.getY(), b.getWidth(), b.getHeight(),
        u.getScore(), u.getState(), u.getProcessingTimeMs() - u.getCaptureTimeMs());
  }

  private static int renderFrames(Settings s, Map<String, List<TrackUpdate>> byFrame, Path dir) throws Exception {
    Files.createDirectories(dir);
    int written = 0;
    try (var consumer = Clients.consumer(s.get(Setting.BOOTSTRAP_SERVERS), null, true)) {
      consumer.subscribe(List.of(s.get(Setting.TOPIC_FRAMES)));
      long lastRecord = System.currentTimeMillis();
      while (written < byFrame.size() && System.currentTimeMillis() - lastRecord < 5000) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          lastRecord = System.currentTimeMillis();
          Frame f;
          try {
            f = Frames.parse(r.value(), s.getInt(Setting.MAX_FRAME_BYTES));
          } catch (WireFormatException e) {
            continue;
          }
          List<TrackUpdate> updates = byFrame.get(f.getCameraId() + "@" + f.getSequence());
          if (updates == null) {
            continue;
          }
          RgbImage image = RgbImage.decode(f.getData().toByteArray());
          Path out = dir.resolve(String.format("%s-%06d.png", f.getCameraId(), f.getSequence()));
          ImageIO.write(TrackRenderer.draw(image.toBufferedImage(), updates), "png", out.toFile());
          written++;
        }
      }
    }
    return written;
  }
}
