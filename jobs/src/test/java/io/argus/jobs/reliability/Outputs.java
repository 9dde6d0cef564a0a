package io.argus.jobs.reliability;

import io.argus.jobs.kafka.Clients;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Everything the job has committed to the tracks and dead-letter topics, read with
 * read_committed by a background consumer from the beginning of both topics. A consumer keeps
 * reconnecting on its own while the broker is down. Each record is kept once, by its offset, so a
 * duplicate here is a duplicate in the topic.
 */
final class Outputs implements AutoCloseable {

  private final List<TrackUpdate> tracks = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Thread thread;
  private final org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer;
  private volatile boolean closed;
  private final Map<TopicPartition, Long> next = new HashMap<>();

  Outputs(String bootstrap, String tracksTopic, String deadLettersTopic) {
    consumer = Clients.consumer(bootstrap, null, true);
    // assigned, not subscribed: a group rebalance after a broker restart would find no committed
    // offsets and read everything again from the beginning, which looks exactly like duplicates
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(tracksTopic, deadLettersTopic)) {
      // a topic just created may take a moment to reach the broker's metadata
      long deadline = System.currentTimeMillis() + 30_000;
      List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic);
      while ((infos == null || infos.isEmpty()) && System.currentTimeMillis() < deadline) {
        sleep(100);
        infos = consumer.partitionsFor(topic);
      }
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " has no partitions in the broker's metadata");
      }
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    AvroCodec<TrackUpdate> updates = AvroCodec.trackUpdates();
    AvroCodec<DeadLetter> letters = AvroCodec.deadLetters();
    thread = new Thread(() -> {
      try {
        while (!closed) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() < next.getOrDefault(tp, 0L)) {
              continue; // read twice by this consumer, not written twice by the job
            }
            next.put(tp, r.offset() + 1);
            try {
              if (r.topic().equals(tracksTopic)) {
                TrackUpdate u = updates.decode(r.value());
                synchronized (this) {
                  tracks.add(u);
                }
              } else {
                DeadLetter d = letters.decode(r.value());
                synchronized (this) {
                  deadLetters.add(d);
                }
              }
            } catch (WireFormatException e) {
              throw new IllegalStateException("the job wrote a record its own codec cannot read: " + e.getMessage(), e);
            }
          }
        }
      } catch (WakeupException e) {
        // closing
      } finally {
        consumer.close();
      }
    }, "reliability-outputs");
    thread.setDaemon(true);
    thread.start();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  synchronized List<TrackUpdate> tracks() {
    return List.copyOf(tracks);
  }

  synchronized List<TrackUpdate> tracks(Predicate<TrackUpdate> which) {
    return tracks.stream().filter(which).toList();
  }

  /** TRACKING and LOST updates of one target, in arrival order. */
  List<TrackUpdate> positions(String camera, String target) {
    return tracks(u -> u.getCameraId().equals(camera) && u.getTargetId().equals(target)
        && u.getState() != TrackState.STOPPED);
  }

  synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  synchronized List<DeadLetter> deadLetters(Predicate<DeadLetter> which) {
    return deadLetters.stream().filter(which).toList();
  }

  /** Polls until {@code done} holds; fails with {@code what} after the timeout. */
  static void await(String what, Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(5000);
  }
}
