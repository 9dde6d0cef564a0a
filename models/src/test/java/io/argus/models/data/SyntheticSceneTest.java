package io.argus.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticSceneTest {

  private static final SceneSpec SPEC = SceneSpec.of(320, 180, 6, 42);

  @Test
  void framesArePureFunctionsOfSpecAndIndex() {
    SyntheticScene a = new SyntheticScene(SPEC);
    SyntheticScene b = new SyntheticScene(SPEC);
    SceneFrame later = a.frame(137);
    a.frame(5);
    SceneFrame again = b.frame(137);
    assertThat(again.image().rgb()).isEqualTo(later.image().rgb());
    assertThat(again.truths()).isEqualTo(later.truths());
    assertThat(new SyntheticScene(SPEC.withSeed(43)).frame(137).image().rgb()).isNotEqualTo(later.image().rgb());
  }

  @Test
  void truthIsTheTightBoxOfThePaintedPixels() {
    for (boolean ellipse : new boolean[] {false, true}) {
      for (long seed = 1; seed <= 12; seed++) {
        SceneSpec spec = new SceneSpec(200, 150, 1, seed, 0.3, 3, 0.3, 0.3, true, SceneSpec.Background.FLAT, 0, 0, false, 0);
        SyntheticScene scene = new SyntheticScene(spec);
        RgbImage bg = scene.backgroundImage();
        for (long t : new long[] {0, 17, 250}) {
          SceneFrame f = scene.frame(t);
          Box truth = f.truths().get(0);
          Box painted = changedPixels(bg, f.image());
          // pixel centres inside the outline are painted: edges agree to within one pixel
          assertThat(painted.x()).isCloseTo(truth.x(), org.assertj.core.data.Offset.offset(1.01));
          assertThat(painted.y()).isCloseTo(truth.y(), org.assertj.core.data.Offset.offset(1.01));
          assertThat(painted.x() + painted.width()).isCloseTo(truth.x() + truth.width(), org.assertj.core.data.Offset.offset(1.01));
          assertThat(painted.y() + painted.height()).isCloseTo(truth.y() + truth.height(), org.assertj.core.data.Offset.offset(1.01));
          assertThat(f.visibility().get(0)).isEqualTo(1.0);
        }
      }
    }
  }

  @Test
  void objectsStayMostlyInsideAndMoveSmoothly() {
    SceneSpec spec = SPEC.withObjects(8).withSpeed(4).withScaleChange(0.4);
    SyntheticScene scene = new SyntheticScene(spec);
    double minW = Double.MAX_VALUE;
    double maxW = 0;
    for (long t = 0; t < 600; t++) {
      List<Box> now = scene.truths(t);
      List<Box> next = scene.truths(t + 1);
      for (int i = 0; i < now.size(); i++) {
        Box b = now.get(i);
        assertThat(b.isValid()).isTrue();
        assertThat(b.x()).isGreaterThanOrEqualTo(0);
        assertThat(b.x() + b.width()).isLessThanOrEqualTo(spec.width());
        assertThat(b.centreDistance(next.get(i))).isLessThan(4 * 2.5);
        if (i == 0) {
          minW = Math.min(minW, b.width());
          maxW = Math.max(maxW, b.width());
        }
      }
    }
    assertThat(maxW / minW).isGreaterThan(1.3);
  }

  @Test
  void clippedPartIsSmall() {
    SyntheticScene scene = new SyntheticScene(SPEC.withObjects(10));
    for (long t = 0; t < 400; t += 3) {
      for (int i = 0; i < 10; i++) {
        Box clipped = scene.truth(i, t);
        // the unclipped box has the same centre only when not clipped; compare areas over time
        assertThat(clipped.width()).isGreaterThan(0);
        assertThat(clipped.height()).isGreaterThan(0);
      }
    }
  }

  @Test
  void withoutOcclusionObjectsNeverOverlap() {
    SyntheticScene scene = new SyntheticScene(SPEC.withObjects(7).withOcclusion(false).withSpeed(5));
    for (long t = 0; t < 300; t += 7) {
      SceneFrame f = scene.frame(t);
      for (int i = 0; i < 7; i++) {
        assertThat(f.visibility().get(i)).isEqualTo(1.0);
        for (int j = i + 1; j < 7; j++) {
          assertThat(f.truths().get(i).iou(f.truths().get(j))).isZero();
        }
      }
    }
  }

  @Test
  void withOcclusionObjectsPassOverEachOther() {
    SyntheticScene scene = new SyntheticScene(SPEC.withObjects(10).withSpeed(4));
    double minVisible = 1;
    for (long t = 0; t < 300; t += 5) {
      SceneFrame f = scene.frame(t);
      for (double v : f.visibility()) {
        minVisible = Math.min(minVisible, v);
      }
    }
    assertThat(minVisible).isLessThan(0.7);
  }

  @Test
  void everyObjectHasALookAlike() {
    SyntheticScene scene = new SyntheticScene(SPEC);
    for (int i = 0; i < scene.objectCount(); i++) {
      int kind = scene.kindOf(i);
      long same = java.util.stream.IntStream.range(0, scene.objectCount()).filter(j -> scene.kindOf(j) == kind).count();
      assertThat(same).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void badSpecsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> SceneSpec.of(10, 10, 3, 1)).hasMessageContaining("32..8192");
    assertThatThrownBy(() -> SceneSpec.of(100, 100, 0, 1)).hasMessageContaining("1..64 objects");
    assertThatThrownBy(() -> SceneSpec.of(100, 100, 2, 1).withSpeed(-1)).hasMessageContaining("speed");
  }

  @Test
  void encodedFramesDecodeBack() {
    RgbImage img = new SyntheticScene(SPEC).frame(3).image();
    assertThat(RgbImage.decode(ImageEncoding.png(img)).rgb()).isEqualTo(img.rgb());
    RgbImage jpeg = RgbImage.decode(ImageEncoding.jpeg(img, 0.9f));
    double err = 0;
    for (int i = 0; i < img.rgb().length; i++) {
      err += Math.abs((img.rgb()[i] & 0xff) - (jpeg.rgb()[i] & 0xff));
    }
    assertThat(err / img.rgb().length).isLessThan(8);
    // a channel swap would show as a large error on coloured footage
    assertThat(jpeg.width()).isEqualTo(320);
  }

  private static Box changedPixels(RgbImage bg, RgbImage img) {
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        boolean diff = false;
        for (int c = 0; c < 3; c++) {
          diff |= bg.at(x, y, c) != img.at(x, y, c);
        }
        if (diff) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    return new Box(x0, y0, x1 + 1 - x0, y1 + 1 - y0);
  }
}
