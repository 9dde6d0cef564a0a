package io.argus.jobs.cli;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.CameraFeed;
import io.argus.jobs.feed.FeedFrame;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.local.EmbeddedKafka;
import io.argus.jobs.local.FirstFrameStarts;
import io.argus.jobs.local.LocalJobs;
import io.argus.jobs.local.TrackTally;
import io.argus.jobs.render.TrackRenderer;
import io.argus.jobs.render.TrackVideos;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "local", mixinStandardHelpOptions = true,
    description = {"The quick start: a real Kafka broker (KRaft) and Flink in this process, generated cameras,",
        "a target on every object, a live table of tracks and a summary against the ground truth."})
final class LocalCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @ArgGroup(exclusive = true) CameraCommand.Source source = new CameraCommand.Source();

  @Option(names = "--cameras", defaultValue = "2", description = "Generated cameras (default: ${DEFAULT-VALUE})")
  int cameras;

  @Option(names = "--objects", defaultValue = "2", description = "Objects (and targets) per generated camera (default: ${DEFAULT-VALUE})")
  int objects;

  @Option(names = "--size", defaultValue = "640x360", description = "Generated frame size (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--fps", defaultValue = "5", description = "Frames per second per camera (default: ${DEFAULT-VALUE})")
  double fps;

  @Option(names = "--frames", defaultValue = "100", description = "Frames per camera (default: ${DEFAULT-VALUE})")
  long frames;

  @Option(names = "--model", defaultValue = "default", description = "Model directory, or 'default' (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--render", paramLabel = "DIR", description = "Write every tracked frame with its boxes as PNG into DIR")
  Path render;

  @Option(names = "--render-video", paramLabel = "FILE",
      description = "Write the tracked frames with their boxes as an H.264 MP4 at --fps (FILE-<camera>.mp4 per camera when several)")
  Path renderVideo;

  @Override
  public Integer call() throws Exception {
    List<CameraFeed> feeds = CameraCommand.feeds(source, "cam", cameras, objects, size, 1, frames);
    long perCamera = Math.min(frames, feeds.stream().mapToLong(CameraFeed::length).min().orElse(frames));
    System.out.printf("argus local: starting a Kafka broker and Flink in this JVM (%d cameras, %d frames each at %.0f fps)%n",
        feeds.size(), perCamera, fps);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> o = new HashMap<>(settings.overrides);
      o.put(Setting.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
      o.put(Setting.MODEL_PATH.key(), model);
      o.putIfAbsent(Setting.CHECKPOINT_INTERVAL_MS.key(), "1000");
      settings.overrides = o;
      Settings s = settings.resolve();
      kafka.createTopics(1, s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
          s.get(Setting.TOPIC_DEAD_LETTERS));

      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, TrackingJob.flinkConfiguration(s));
      TrackingJob.build(env, s);
      JobClient job = env.executeAsync(TrackingJob.NAME);
      System.out.println("job " + job.getJobID() + " submitted to the local Flink; broker at " + kafka.bootstrapServers());

      try (var producer = Clients.producer(s, s.getInt(Setting.MAX_FRAME_BYTES))) {
        int targets = FirstFrameStarts.startAndAwait(s, producer, feeds, Duration.ofMinutes(2));
        System.out.println(targets + " targets started on frame 0; cameras running");
        FramePublisher publisher = new FramePublisher(producer, s.get(Setting.TOPIC_FRAMES), feeds, fps, perCamera, false)
            .startingAt(1);
        Thread cameraThread = new Thread(publisher, "cameras");
        cameraThread.start();
        TrackTally tally = follow(s, feeds, publisher, cameraThread, perCamera);
        System.out.println();
        System.out.println("summary (" + (feeds.size() + publisher.published()) + " frames published):");
        System.out.print(tally.summary());
      }
      LocalJobs.stop(job);
    }
    return 0;
  }

  /** Reads the tracks topic until every target has its last frame (or output stops), printing the table. */
  private TrackTally follow(Settings s, List<CameraFeed> feeds, FramePublisher publisher, Thread cameraThread,
      long perCamera) throws Exception {
    Map<String, CameraFeed> byCamera = new HashMap<>();
    feeds.forEach(f -> byCamera.put(f.cameraId(), f));
    TrackTally tally = new TrackTally();
    AvroCodec<TrackUpdate> codec = AvroCodec.trackUpdates();
    boolean tty = System.console() != null;
    long expected = 0;
    for (CameraFeed f : feeds) {
      expected += f.frame(0).truths().size() * perCamera;
    }
    if (render != null) {
      Files.createDirectories(render);
    }
    Map<String, Integer> targets = new HashMap<>();
    for (CameraFeed f : feeds) {
      targets.put(f.cameraId(), f.frame(0).truths().size());
    }
    TrackVideos videos = renderVideo == null ? null : new TrackVideos(renderVideo, camera -> fps);
    try (var consumer = Clients.consumer(s, null, true)) {
      consumer.subscribe(List.of(s.get(Setting.TOPIC_TRACKS)));
      long lastOutput = System.currentTimeMillis();
      long lastTable = 0;
      Map<String, List<TrackUpdate>> pendingRender = new HashMap<>();
      while (tally.updates() < expected) {
        if (!cameraThread.isAlive() && System.currentTimeMillis() - lastOutput > 60_000) {
          System.out.println("no output for 60 s after the cameras finished; stopping early");
          break;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          lastOutput = System.currentTimeMillis();
          TrackUpdate u;
          try {
            u = codec.decode(r.value());
          } catch (WireFormatException e) {
            continue;
          }
          CameraFeed feed = byCamera.get(u.getCameraId());
          Box truth = null;
          FeedFrame frame = null;
          if (feed != null) {
            frame = feed.frame(u.getFrameSequence() % feed.length());
            int object = Integer.parseInt(u.getTargetId().substring("obj-".length())) - 1;
            truth = object < frame.truths().size() ? frame.truths().get(object) : null;
          }
          tally.record(u, truth);
          if ((render != null || videos != null) && frame != null) {
            renderFrame(frame, u, targets.get(u.getCameraId()), pendingRender, videos);
          }
        }
        if (System.currentTimeMillis() - lastTable > (tty ? 1000 : 5000)) {
          lastTable = System.currentTimeMillis();
          if (tty) {
            System.out.print("\033[H\033[2J");
          }
          System.out.printf("%d frames published, %d/%d track updates (output appears at each checkpoint)%n",
              feeds.size() + publisher.published(), tally.updates(), expected);
          System.out.print(tally.table());
        }
      }
    } finally {
      if (videos != null) {
        videos.close();
        System.out.println("wrote " + videos.frames() + " annotated frames to " + videos.files());
      }
    }
    return tally;
  }

  /** Draws a frame once all of its camera's targets have reported on it. */
  private void renderFrame(FeedFrame frame, TrackUpdate u, int targets, Map<String, List<TrackUpdate>> pending,
      TrackVideos videos) throws Exception {
    String key = u.getCameraId() + "-" + String.format("%06d", u.getFrameSequence());
    List<TrackUpdate> list = pending.computeIfAbsent(key, k -> new java.util.ArrayList<>());
    list.add(u);
    if (list.size() == targets) {
      RgbImage image = RgbImage.decode(frame.encoded());
      java.awt.image.BufferedImage annotated = TrackRenderer.draw(image.toBufferedImage(), list);
      if (render != null) {
        ImageIO.write(annotated, "png", render.resolve(key + ".png").toFile());
      }
      if (videos != null) {
        videos.write(u.getCameraId(), annotated);
      }
      pending.remove(key);
    }
  }
}
