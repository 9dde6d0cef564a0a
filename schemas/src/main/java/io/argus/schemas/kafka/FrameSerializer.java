package io.argus.schemas.kafka;

import io.argus.schemas.proto.Frame;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for frames (the camera producer); key them with {@code Topics.frameKey}. */
public final class FrameSerializer implements Serializer<Frame> {
  @Override
  public byte[] serialize(String topic, Frame frame) {
    return frame == null ? null : frame.toByteArray();
  }
}
