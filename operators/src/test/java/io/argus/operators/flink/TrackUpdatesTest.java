package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.Box;
import io.argus.models.image.Point;
import io.argus.operators.core.mask.MaskOutline;
import io.argus.operators.core.mask.RleMask;
import io.argus.operators.core.mask.Segmentation;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackUpdatesTest {

  @Test
  void rotatedBoxAndMaskRoundTripThroughAvro() throws Exception {
    // a 30 x 6 bar at 45 degrees in a 64 x 64 mask of a 64-pixel crop centred at (100, 80)
    float[] mask = new float[64 * 64];
    for (int j = 0; j < 64; j++) {
      for (int i = 0; i < 64; i++) {
        double u = (i + 0.5 - 32 + j + 0.5 - 32) / Math.sqrt(2);
        double v = (-(i + 0.5 - 32) + j + 0.5 - 32) / Math.sqrt(2);
        mask[j * 64 + i] = Math.abs(u) <= 15 && Math.abs(v) <= 3 ? 0.9f : 0f;
      }
    }
    Segmentation s = MaskOutline.fromCropMask(mask, 64, 100, 80, 64, 320, 240, 0.15f);
    TrackUpdate update = TrackUpdates.of("cam-1", "t-1", "bar", "siammask-r50", 12, 1_700_000_000_000L, s.box(), 0.97f,
        TrackState.TRACKING, s);
    AvroCodec<TrackUpdate> codec = AvroCodec.trackUpdates();
    TrackUpdate back = codec.decode(codec.encode(update));

    List<io.argus.schemas.Point> corners = back.getRotatedBox();
    assertThat(corners).hasSize(4);
    List<Point> expected = s.rotatedBox().corners();
    for (int k = 0; k < 4; k++) {
      assertThat(corners.get(k).getX()).isEqualTo((float) expected.get(k).x());
      assertThat(corners.get(k).getY()).isEqualTo((float) expected.get(k).y());
    }
    io.argus.schemas.Mask m = back.getMask();
    RleMask decoded = new RleMask(m.getX(), m.getY(), m.getWidth(), m.getHeight(),
        m.getCounts().stream().mapToInt(Integer::intValue).toArray());
    assertThat(decoded).isEqualTo(s.mask());
    assertThat(decoded.area()).isEqualTo(s.mask().area()).isGreaterThan(100);
    assertThat(back.getBox().getX()).isEqualTo((float) s.box().x());
    assertThat(back.getBox().getWidth()).isEqualTo((float) s.box().width());
  }

  @Test
  void boxOnlyUpdatesCarryNoRotatedBoxOrMask() throws Exception {
    TrackUpdate update = TrackUpdates.of("cam-1", "t-1", null, "siamfc", 3, 0L, new Box(1, 2, 3, 4), 0.5f,
        TrackState.LOST);
    TrackUpdate back = AvroCodec.trackUpdates().decode(AvroCodec.trackUpdates().encode(update));
    assertThat(back.getRotatedBox()).isNull();
    assertThat(back.getMask()).isNull();
  }
}
