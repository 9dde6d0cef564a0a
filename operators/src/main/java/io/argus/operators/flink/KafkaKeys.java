package io.argus.operators.flink;

import io.argus.schemas.kafka.KafkaRecord;
import java.nio.charset.StandardCharsets;

final class KafkaKeys {
  private KafkaKeys() {}

  /** The record key as text (camera id on the input topics), null when absent. */
  static String text(KafkaRecord record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }
}
