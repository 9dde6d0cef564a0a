package io.argus.schemas.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands every Kafka record to the job unparsed. It cannot fail: a parse error thrown inside the
 * source would fail the whole job (and loop on restart), while the same error in a function
 * downstream becomes a dead letter.
 */
public final class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
  private static final long serialVersionUID = 1L;

  /** Flink's POJO type for {@link KafkaRecord}; use it wherever a stream of records is declared. */
  public static final TypeInformation<KafkaRecord> TYPE = TypeInformation.of(KafkaRecord.class);

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
    out.collect(new KafkaRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
        record.key(), record.value()));
  }

  @Override
  public TypeInformation<KafkaRecord> getProducedType() {
    return TYPE;
  }
}
