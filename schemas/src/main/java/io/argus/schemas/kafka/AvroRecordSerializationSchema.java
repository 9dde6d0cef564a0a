package io.argus.schemas.kafka;

import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.Topics;
import io.argus.schemas.TrackUpdate;
import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records to one topic as Avro single-object bytes under a key derived from the record. */
public final class AvroRecordSerializationSchema<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  /** A key function Flink can ship with the sink. */
  public interface KeyFunction<T> extends Function<T, byte[]>, Serializable {}

  private final String topic;
  private final AvroCodec<T> codec;
  private final KeyFunction<T> key;

  public AvroRecordSerializationSchema(String topic, AvroCodec<T> codec, KeyFunction<T> key) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Track updates keyed {@code cameraId/targetId}. */
  public static AvroRecordSerializationSchema<TrackUpdate> trackUpdates(String topic) {
    return new AvroRecordSerializationSchema<>(topic, AvroCodec.trackUpdates(), Topics::trackKey);
  }

  /** Dead letters keyed by camera id, or by source when the camera is unknown. */
  public static AvroRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
    return new AvroRecordSerializationSchema<>(topic, AvroCodec.deadLetters(), Topics::deadLetterKey);
  }

  /** {@code timestamp} is the element's Flink timestamp (null: the broker stamps it). */
  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topic, null, timestamp, key.apply(element), codec.encode(element));
  }

  public String topic() {
    return topic;
  }
}
