package io.argus.jobs.feed;

import com.google.protobuf.ByteString;
import io.argus.schemas.Topics;
import io.argus.schemas.proto.Frame;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes camera feeds to the frames topic at a fixed rate, all cameras in step, looping if asked.
 * Sequence numbers keep growing across loops: the job sees a camera that never repeats itself.
 */
public final class FramePublisher implements Runnable {

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final List<CameraFeed> feeds;
  private final double fps;
  private final long frames;
  private final boolean loop;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong published = new AtomicLong();
  private volatile long nextSequence;
  private long firstSequence;

  /**
   * @param frames how many frames per camera to publish (0: each feed once, or forever with loop)
   */
  public FramePublisher(KafkaProducer<String, byte[]> producer, String topic, List<CameraFeed> feeds, double fps,
      long frames, boolean loop) {
    this.producer = producer;
    this.topic = topic;
    this.feeds = List.copyOf(feeds);
    this.fps = fps;
    this.frames = frames;
    this.loop = loop;
  }

  /** Starts at this sequence number instead of 0 (the frames before it were sent another way). */
  public FramePublisher startingAt(long sequence) {
    this.firstSequence = sequence;
    this.nextSequence = sequence;
    return this;
  }

  public static Frame toFrame(String cameraId, long sequence, long captureTimeMs, FeedFrame f) {
    return Frame.newBuilder()
        .setCameraId(cameraId)
        .setSequence(sequence)
        .setCaptureTimeMs(captureTimeMs)
        .setEncoding(f.encoding())
        .setWidth(f.width())
        .setHeight(f.height())
        .setData(ByteString.copyFrom(f.encoded()))
        .build();
  }

  /** Sends one frame of one camera now. */
  public static void send(KafkaProducer<String, byte[]> producer, String topic, String cameraId, long sequence,
      FeedFrame f) {
    Frame frame = toFrame(cameraId, sequence, System.currentTimeMillis(), f);
    producer.send(new ProducerRecord<>(topic, new String(Topics.frameKey(cameraId), java.nio.charset.StandardCharsets.UTF_8),
        frame.toByteArray()));
  }

  @Override
  public void run() {
    long periodNanos = fps > 0 ? (long) (1e9 / fps) : 0;
    long start = System.nanoTime();
    long shortest = feeds.stream().mapToLong(CameraFeed::length).min().orElse(0);
    long total = frames > 0 ? frames : (loop ? Long.MAX_VALUE : shortest);
    for (long seq = firstSequence; seq < total && !stopped.get(); seq++) {
      for (CameraFeed feed : feeds) {
        long index = feed.length() > 0 ? seq % feed.length() : seq;
        send(producer, topic, feed.cameraId(), seq, feed.frame(index));
        published.incrementAndGet();
      }
      nextSequence = seq + 1;
      if (periodNanos > 0) {
        long due = start + (seq + 1 - firstSequence) * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
    producer.flush();
  }

  public void stop() {
    stopped.set(true);
  }

  public long published() {
    return published.get();
  }

  /** Sequence number the next frame of every camera will carry. */
  public long nextSequence() {
    return nextSequence;
  }
}
