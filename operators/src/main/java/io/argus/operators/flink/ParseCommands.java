package io.argus.operators.flink;

import io.argus.schemas.CommandAction;
import io.argus.schemas.KafkaRecord;
import io.argus.schemas.TrackCommand;
import io.argus.schemas.TrackCommands;
import io.argus.schemas.WireFormatException;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Bytes from the commands topic (Avro single-object encoding) to {@link CommandEvent}s. */
public final class ParseCommands extends ProcessFunction<KafkaRecord, CommandEvent> {

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<CommandEvent> out) {
    String source = record.source();
    try {
      TrackCommand command = TrackCommands.decode(record.value());
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
      ctx.output(DeadLetters.TAG, DeadLetters.of(e.reason(), e.getMessage(), record.keyAsString(), source, record.value()));
    }
  }
}
