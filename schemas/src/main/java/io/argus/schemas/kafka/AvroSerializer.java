package io.argus.schemas.kafka;

import io.argus.schemas.AvroCodec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer writing Avro single-object bytes, e.g. for the command producer. */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final AvroCodec<T> codec;

  public AvroSerializer(AvroCodec<T> codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public byte[] serialize(String topic, T record) {
    return record == null ? null : codec.encode(record);
  }
}
