package io.argus.schemas.kafka;

import io.argus.schemas.DeadLetter;
import io.argus.schemas.WireFormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record exactly as it arrived, before any parsing, so that a record that fails to parse
 * can still be dead-lettered with its original bytes and position.
 *
 * <p>A Java record of simple fields: Flink serialises it with its POJO serializer, never Kryo.
 * A missing key or value (null in Kafka) is an empty array here.
 */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
  private static final byte[] EMPTY = new byte[0];

  public KafkaRecord {
    Objects.requireNonNull(topic, "topic");
    key = key == null ? EMPTY : key;
    value = value == null ? EMPTY : value;
  }

  /** Where the record came from, {@code topic/partition@offset}: the dead-letter source. */
  public String source() {
    return topic + "/" + partition + "@" + offset;
  }

  /** A dead letter for this record, carrying its value unchanged. */
  public DeadLetter deadLetter(WireFormatException error, String cameraId, long timeMs) {
    return DeadLetter.newBuilder()
        .setSource(source())
        .setReason(error.reason())
        .setMessage(error.getMessage())
        .setCameraId(cameraId)
        .setPayload(ByteBuffer.wrap(value))
        .setTimeMs(timeMs)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaRecord r
        && topic.equals(r.topic) && partition == r.partition && offset == r.offset
        && timestamp == r.timestamp && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "KafkaRecord[" + source() + ", timestamp=" + timestamp + ", key=" + key.length
        + " bytes, value=" + value.length + " bytes]";
  }
}
