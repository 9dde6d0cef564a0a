package io.argus.operators.flink;

import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** The side output every stage sends refused input to, with the reason and the original bytes. */
public final class DeadLetters {

  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

  private DeadLetters() {}

  public static DeadLetter of(DeadLetterReason reason, String message, String cameraId, String source, byte[] payload) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setMessage(message)
        .setCameraId(cameraId)
        .setSource(source)
        .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
        .setTimeMs(System.currentTimeMillis())
        .build();
  }
}
