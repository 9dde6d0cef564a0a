package io.argus.operators.flink;

import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.Frames;
import io.argus.schemas.WireFormatException;
import io.argus.schemas.kafka.KafkaRecord;
import io.argus.schemas.proto.Frame;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bytes from the frames topic to {@link FrameEvent}s. Parsing lives here rather than in the Kafka
 * deserializer so that a record that is not a Frame reaches the dead-letter topic with its bytes
 * instead of failing the source. Images whose bytes are visibly not a whole JPEG/PNG (see
 * {@link ImageIntegrity}) or whose header declares another picture size than the frame are
 * refused here too, so a cut-off frame never reaches a tracker and no decoder sizes a picture
 * from a header nobody checked.
 */
public final class ParseFrames extends ProcessFunction<KafkaRecord, FrameEvent> {

  private final int maxFrameBytes;

  public ParseFrames(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<FrameEvent> out) {
    String source = record.source();
    try {
      Frame frame = Frames.parse(record.value(), maxFrameBytes);
      byte[] data = frame.getData().toByteArray();
      String problem = ImageIntegrity.problem(frame.getEncoding().name(), data, frame.getWidth(),
          frame.getHeight());
      if (problem != null) {
        ctx.output(DeadLetters.TAG, DeadLetters.of(DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.getSequence()
            + " of camera '" + frame.getCameraId() + "': " + problem, frame.getCameraId(), source, record.value()));
        return;
      }
      out.collect(new FrameEvent(
          frame.getCameraId(),
          frame.getSequence(),
          frame.getCaptureTimeMs(),
          frame.getEncoding().name(),
          frame.getWidth(),
          frame.getHeight(),
          data,
          source));
    } catch (WireFormatException e) {
      ctx.output(DeadLetters.TAG, DeadLetters.of(e.reason(), e.getMessage(), KafkaKeys.text(record), source, record.value()));
    }
  }
}
