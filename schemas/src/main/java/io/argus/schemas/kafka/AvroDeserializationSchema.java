package io.argus.schemas.kafka;

import io.argus.schemas.AvroCodec;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * For downstream Flink jobs that consume the tracks topic: Avro single-object bytes to records,
 * with every schema version the codec knows. An unreadable record fails the job with the codec's
 * reason (that is Flink's contract for a {@link DeserializationSchema}); jobs that must survive bad
 * input read {@link KafkaRecord}s and decode in a function, as the tracking job does.
 */
public final class AvroDeserializationSchema<T extends SpecificRecord> implements DeserializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final AvroCodec<T> codec;

  public AvroDeserializationSchema(AvroCodec<T> codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  public static AvroDeserializationSchema<TrackUpdate> trackUpdates() {
    return new AvroDeserializationSchema<>(AvroCodec.trackUpdates());
  }

  @Override
  public T deserialize(byte[] message) throws IOException {
    try {
      return codec.decode(message);
    } catch (WireFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  /** Avro's own type information (flink-avro), so downstream state and shuffles avoid Kryo. */
  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(codec.type());
  }
}
