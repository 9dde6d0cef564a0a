package io.argus.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Point;
import io.argus.models.image.RgbImage;
import io.argus.models.image.RotatedBox;
import org.junit.jupiter.api.Test;

class RotatedTargetSceneTest {

  private static final SceneSpec SPEC = SceneSpec.of(320, 240, 3, 7);

  @Test
  void framesArePureFunctionsOfSpecAndIndex() {
    RotatedTargetScene a = new RotatedTargetScene(SPEC, 120, 24, 1.5);
    RotatedTargetScene b = new RotatedTargetScene(SPEC, 120, 24, 1.5);
    byte[] later = a.frame(90).rgb();
    a.frame(3);
    assertThat(b.frame(90).rgb()).isEqualTo(later);
    assertThat(b.truth(90)).isEqualTo(a.truth(90));
    assertThat(new RotatedTargetScene(SPEC.withSeed(8), 120, 24, 1.5).truth(90)).isNotEqualTo(a.truth(90));
  }

  @Test
  void thePaintedPixelsAreThoseWhoseCentresLieInTheTruthRectangle() {
    RotatedTargetScene scene = new RotatedTargetScene(SPEC, 120, 24, 1.5);
    SyntheticScene behind = new SyntheticScene(SPEC);
    for (long t : new long[] {0, 31, 200}) {
      RgbImage with = scene.frame(t);
      RgbImage without = behind.frame(t).image();
      RotatedBox truth = scene.truth(t);
      int changed = 0;
      int changedOutside = 0;
      for (int y = 0; y < 240; y++) {
        for (int x = 0; x < 320; x++) {
          int p = (y * 320 + x) * 3;
          boolean differs = with.rgb()[p] != without.rgb()[p] || with.rgb()[p + 1] != without.rgb()[p + 1]
              || with.rgb()[p + 2] != without.rgb()[p + 2];
          if (differs) {
            changed++;
            if (!inside(truth, x + 0.5, y + 0.5)) {
              changedOutside++;
            }
          }
        }
      }
      assertThat(changedOutside).isZero();
      // a few painted pixels may match the background by chance: at most a small share
      assertThat((double) changed).isCloseTo(120 * 24, within(120 * 24 * 0.05));
    }
  }

  @Test
  void theTargetTurnsAndStaysInsideTheFrame() {
    RotatedTargetScene scene = new RotatedTargetScene(SPEC.withSpeed(4), 120, 24, 1.5);
    for (long t = 0; t < 500; t++) {
      RotatedBox r = scene.truth(t);
      assertThat(r.angle() - scene.truth(0).angle()).isCloseTo(1.5 * t, within(1e-9));
      for (Point p : r.corners()) {
        assertThat(p.x()).isBetween(0.0, 320.0);
        assertThat(p.y()).isBetween(0.0, 240.0);
      }
    }
    assertThat(scene.axisTruth(0).area()).isGreaterThanOrEqualTo(scene.truth(0).area() - 1e-9);
  }

  @Test
  void cropMaskMarksTheTargetInCropSpace() {
    RotatedTargetScene scene = new RotatedTargetScene(SPEC, 120, 24, 0);
    RotatedBox t = scene.truth(10);
    // a crop of side 254 resampled to 127: every crop pixel is 2x2 frame pixels
    float[] m = scene.cropMask(10, t.cx(), t.cy(), 254, 127);
    double ones = 0;
    for (float v : m) {
      ones += v;
    }
    assertThat(ones * 4).isCloseTo(120 * 24, within(120 * 24 * 0.06));
    assertThat(m[63 * 127 + 63]).isEqualTo(1f);
    assertThat(m[0]).isZero();
  }

  @Test
  void refusesATargetThatCannotTurnInsideTheFrame() {
    assertThatThrownBy(() -> new RotatedTargetScene(SPEC, 300, 24, 1)).hasMessageContaining("cannot turn inside");
    assertThatThrownBy(() -> new RotatedTargetScene(SPEC, 20, 40, 1)).hasMessageContaining("thickness <= length");
  }

  private static boolean inside(RotatedBox r, double x, double y) {
    double rad = Math.toRadians(r.angle());
    double dx = x - r.cx();
    double dy = y - r.cy();
    double u = dx * Math.cos(rad) + dy * Math.sin(rad);
    double v = -dx * Math.sin(rad) + dy * Math.cos(rad);
    return Math.abs(u) <= r.width() / 2 + 1e-9 && Math.abs(v) <= r.height() / 2 + 1e-9;
  }
}
