package io.argus.jobs.reliability;

import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.WireFormatException;
import java.nio.ByteBuffer;

/** Reading the original command back out of a dead letter's payload. */
final class AvroCodecs {

  private AvroCodecs() {}

  static String targetOf(DeadLetter d) throws WireFormatException {
    ByteBuffer payload = d.getPayload().duplicate();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    return AvroCodec.trackCommands().decode(bytes).getTargetId().toString();
  }
}
