package io.argus.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.AvroCodec;
import io.argus.schemas.Box;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AvroDeserializationSchemaTest {

  static TrackUpdate update() {
    return TrackUpdate.newBuilder().setCameraId("cam").setTargetId("t").setFrameSequence(7).setCaptureTimeMs(1)
        .setProcessingTimeMs(2).setBox(new Box(1f, 2f, 3f, 4f)).setScore(0.5f).setState(TrackState.TRACKING)
        .setRotatedBox(null).setMask(null).setLabel(null).setModel("m").build();
  }

  @Test
  void readsWhatTheSinkWrites() throws IOException {
    var schema = AvroDeserializationSchema.trackUpdates();
    byte[] bytes = AvroCodec.trackUpdates().encode(update());
    assertThat(schema.deserialize(bytes)).isEqualTo(update());
    assertThat(schema.getProducedType().getTypeClass()).isEqualTo(TrackUpdate.class);
  }

  @Test
  void garbageFailsWithTheReason() {
    assertThatThrownBy(() -> AvroDeserializationSchema.trackUpdates().deserialize(new byte[] {1, 2, 3}))
        .isInstanceOf(IOException.class).hasMessageContaining("TrackUpdate");
  }
}
