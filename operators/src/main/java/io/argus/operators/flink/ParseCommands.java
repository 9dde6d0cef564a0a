package io.argus.operators.flink;

import io.argus.schemas.CommandAction;
import io.argus.schemas.TrackCommand;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.WireFormatException;
import io.argus.schemas.kafka.KafkaRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Bytes from the commands topic (Avro single-object encoding) to {@link CommandEvent}s. */
public final class ParseCommands extends ProcessFunction<KafkaRecord, CommandEvent> {

  private final AvroCodec<TrackCommand> codec = AvroCodec.trackCommands();

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<CommandEvent> out) {
    String source = record.source();
    try {
      TrackCommand command = codec.decode(record.value());
      boolean start = command.getAction() == CommandAction.START;
      var box = command.getBox();
      out.collect(new CommandEvent(
          command.getCameraId(),
          command.getTargetId(),
          start,
          command.getFrameSequence(),
          box == null ? Double.NaN : box.getX(),
          box == null ? Double.NaN : box.getY(),
          box == null ? Double.NaN : box.getWidth(),
          box == null ? Double.NaN : box.getHeight(),
          command.getLabel(),
          command.getModel(),
          source,
          record.value()));
    } catch (WireFormatException e) {
      ctx.output(DeadLetters.TAG, DeadLetters.of(e.reason(), e.getMessage(), KafkaKeys.text(record), source, record.value()));
    }
  }
}
