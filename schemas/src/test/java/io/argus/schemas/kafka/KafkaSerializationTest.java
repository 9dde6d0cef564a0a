package io.argus.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.AvroCodec;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.Frames;
import io.argus.schemas.Topics;
import io.argus.schemas.TrackCommand;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.WireFormatException;
import io.argus.schemas.proto.Encoding;
import io.argus.schemas.proto.Frame;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSerializationTest {
  private static TrackUpdate update(String camera, String target) {
    return TrackUpdate.newBuilder().setCameraId(camera).setTargetId(target).setFrameSequence(42)
        .setCaptureTimeMs(1000).setProcessingTimeMs(1070).setBox(new io.argus.schemas.Box(1f, 2f, 3f, 4f))
        .setScore(0.5f).setState(io.argus.schemas.TrackState.LOST).setModel("siamfc").build();
  }

  private static DeadLetter letter(String camera) {
    return DeadLetter.newBuilder().setSource("argus.commands/0@7").setReason(DeadLetterReason.UNKNOWN_TARGET)
        .setMessage("no such target").setCameraId(camera).setPayload(ByteBuffer.wrap(new byte[] {4}))
        .setTimeMs(5).build();
  }

  @Test
  void kafkaRecordIsAFlinkPojoNotKryo() throws Exception {
    TypeInformation<KafkaRecord> type = KafkaRecordDeserializer.TYPE;
    assertThat(type).isNotInstanceOf(GenericTypeInfo.class).isInstanceOf(PojoTypeInfo.class);
    assertThat(new KafkaRecordDeserializer().getProducedType()).isEqualTo(type);

    TypeSerializer<KafkaRecord> serializer = type.createSerializer(new SerializerConfigImpl());
    var record = new KafkaRecord("argus.frames", 3, 1234, 99, "cam".getBytes(), new byte[] {1, 2, 3});
    var out = new DataOutputSerializer(64);
    serializer.serialize(record, out);
    KafkaRecord back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back).isEqualTo(record).isNotSameAs(record);
  }

  @Test
  void deserializerPassesEveryRecordThroughUnparsed() throws Exception {
    var schema = new KafkaRecordDeserializer();
    List<KafkaRecord> out = new ArrayList<>();
    Collector<KafkaRecord> collector = new Collector<>() {
      @Override
      public void collect(KafkaRecord record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
    byte[] garbage = {(byte) 0xC3, 0x01, 9};
    schema.deserialize(new ConsumerRecord<>("argus.commands", 2, 77, "cam".getBytes(), garbage), collector);
    schema.deserialize(new ConsumerRecord<>("argus.commands", 2, 78, null, null), collector);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).value()).isEqualTo(garbage);
    assertThat(out.get(0).source()).isEqualTo("argus.commands/2@77");
    assertThat(out.get(1).key()).isEmpty();
    assertThat(out.get(1).value()).isEmpty();

    // the failure happens downstream and becomes a dead letter with the original bytes
    WireFormatException error = null;
    try {
      AvroCodec.trackCommands().decode(out.get(0).value());
    } catch (WireFormatException e) {
      error = e;
    }
    assertThat(error).isNotNull();
    DeadLetter letter = out.get(0).deadLetter(error, "cam", 123);
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNREADABLE_COMMAND);
    assertThat(letter.getSource()).isEqualTo("argus.commands/2@77");
    assertThat(letter.getPayload().array()).isEqualTo(garbage);
    assertThat(letter.getMessage()).startsWith("UNREADABLE_COMMAND: truncated TrackCommand");
  }

  @Test
  void trackUpdatesAreKeyedByCameraAndTarget() throws Exception {
    var schema = AvroRecordSerializationSchema.trackUpdates(Topics.TRACKS);
    ProducerRecord<byte[], byte[]> record = schema.serialize(update("gate-3", "t-17"), null, 1000L);
    assertThat(record.topic()).isEqualTo("argus.tracks");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("gate-3/t-17");
    assertThat(record.timestamp()).isEqualTo(1000L);
    assertThat(record.partition()).isNull();
    assertThat(AvroCodec.trackUpdates().decode(record.value())).isEqualTo(update("gate-3", "t-17"));
  }

  @Test
  void deadLettersAreKeyedByCameraElseSource() throws Exception {
    var schema = AvroRecordSerializationSchema.deadLetters(Topics.DEAD_LETTERS);
    assertThat(schema.serialize(letter("gate-3"), null, null).key())
        .isEqualTo("gate-3".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<byte[], byte[]> anonymous = schema.serialize(letter(null), null, null);
    assertThat(new String(anonymous.key(), StandardCharsets.UTF_8)).isEqualTo("argus.commands/0@7");
    assertThat(anonymous.topic()).isEqualTo("argus.dead-letters");
    assertThat(AvroCodec.deadLetters().decode(anonymous.value())).isEqualTo(letter(null));
  }

  @Test
  void sinkSchemasSurviveFlinksJavaSerialization() throws Exception {
    var schema = InstantiationUtil.clone(AvroRecordSerializationSchema.trackUpdates("custom.tracks"));
    ProducerRecord<byte[], byte[]> record = schema.serialize(update("a", "b"), null, null);
    assertThat(record.topic()).isEqualTo("custom.tracks");
    assertThat(record.key()).isEqualTo("a/b".getBytes(StandardCharsets.UTF_8));
    assertThat(AvroCodec.trackUpdates().decode(record.value()).getCameraId()).isEqualTo("a");
    assertThat(InstantiationUtil.clone(new KafkaRecordDeserializer()).getProducedType())
        .isEqualTo(KafkaRecordDeserializer.TYPE);
  }

  @Test
  void kafkaSerializersWriteWhatTheParsersRead() throws Exception {
    Frame frame = Frame.newBuilder().setCameraId("gate-3").setSequence(1).setEncoding(Encoding.PNG)
        .setWidth(2).setHeight(2).setData(ByteString.copyFromUtf8("png")).build();
    try (var serializer = new FrameSerializer()) {
      assertThat(Frames.parse(serializer.serialize(Topics.FRAMES, frame))).isEqualTo(frame);
      assertThat(serializer.serialize(Topics.FRAMES, null)).isNull();
    }
    TrackCommand command = io.argus.schemas.AvroCodecTest.start();
    try (var serializer = new AvroSerializer<>(AvroCodec.trackCommands())) {
      assertThat(AvroCodec.trackCommands().decode(serializer.serialize(Topics.COMMANDS, command))).isEqualTo(command);
    }
    assertThat(Topics.frameKey("gate-3")).isEqualTo(Topics.commandKey("gate-3"))
        .isEqualTo("gate-3".getBytes(StandardCharsets.UTF_8));
    assertThat(Topics.trackKey("caméra", "t")).isEqualTo("caméra/t".getBytes(StandardCharsets.UTF_8));
    assertThat(Topics.defaults()).isEqualTo(
        new Topics("argus.frames", "argus.commands", "argus.tracks", "argus.dead-letters"));
  }
}
