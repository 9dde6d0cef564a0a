package io.argus.jobs.local;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.CameraFeed;
import io.argus.jobs.feed.FramePublisher;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.kafka.Commands;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Starts every ground-truth target of the feeds on frame 0 and waits until the job has answered
 * each START. The job reads frames and commands from two independent sources, so frames published
 * straight after the STARTs could overtake them by more than the job's frame buffer; a local run
 * sends frame 0, waits here, then publishes from frame 1 on ({@link FramePublisher#startingAt}).
 * Targets are named {@code obj-1}, {@code obj-2}, ... in the order of the feed's truths.
 */
public final class FirstFrameStarts {

  private FirstFrameStarts() {}

  /** The target id of the i-th (0-based) truth of a feed's first frame. */
  public static String targetId(int i) {
    return "obj-" + (i + 1);
  }

  /**
   * Sends a START per truth and frame 0 of every feed, then blocks until as many updates are on the
   * tracks topic.
   *
   * @return the number of targets started
   * @throws IllegalStateException when not every target answered within the timeout, saying where to look
   */
  public static int startAndAwait(Settings s, KafkaProducer<String, byte[]> producer, List<? extends CameraFeed> feeds,
      Duration timeout) {
    int targets = 0;
    for (CameraFeed feed : feeds) {
      List<Box> truths = feed.frame(0).truths();
      for (int i = 0; i < truths.size(); i++) {
        producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_COMMANDS), feed.cameraId(),
            AvroCodec.trackCommands().encode(Commands.start(feed.cameraId(), targetId(i), 0, truths.get(i), null))));
      }
      targets += truths.size();
    }
    for (CameraFeed feed : feeds) {
      FramePublisher.send(producer, s.get(Setting.TOPIC_FRAMES), feed.cameraId(), 0, feed.frame(0));
    }
    producer.flush();
    int started = 0;
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (var consumer = Clients.consumer(s, null, true)) {
      consumer.subscribe(List.of(s.get(Setting.TOPIC_TRACKS)));
      while (started < targets && System.currentTimeMillis() < deadline) {
        started += consumer.poll(Duration.ofMillis(250)).count();
      }
    }
    if (started < targets) {
      throw new IllegalStateException("only " + started + " of " + targets + " targets started within "
          + timeout.toSeconds() + " s; look at the dead letters with: argus tracks --dead-letters --from-beginning");
    }
    return targets;
  }
}
