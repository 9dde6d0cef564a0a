package io.argus.operators.core.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.data.RotatedTargetScene;
import io.argus.models.data.SceneSpec;
import io.argus.models.image.Box;
import io.argus.models.image.Crops;
import io.argus.models.image.Polygons;
import io.argus.models.image.RotatedBox;
import org.junit.jupiter.api.Test;

/**
 * The rotated elongated target's ideal mask, as SiamMask's refine module would output it for the
 * exemplar-sized region around the target (127 x 127 over a crop of the context side), put
 * through the post-processing: the min-area rectangle must fit the truth better than the
 * axis-aligned box does. With a perfect mask this checks the geometry, not a network.
 */
class RotatedTargetMaskTest {

  @Test
  void rotatedBoxBeatsTheAxisAlignedBoxOnATurningBar() {
    RotatedTargetScene scene = new RotatedTargetScene(SceneSpec.of(480, 360, 3, 21), 140, 22, 3);
    double sumRotated = 0;
    double sumAxis = 0;
    int frames = 60;
    for (long t = 0; t < frames; t++) {
      RotatedBox truth = scene.truth(t);
      Box axis = scene.axisTruth(t);
      // the crop a tracker would make: off the true centre by a few pixels, context 0.5
      double cx = truth.cx() + 3 * Math.sin(t);
      double cy = truth.cy() - 2 * Math.cos(t);
      double side = Crops.contextSide(axis.width(), axis.height(), 0.5);
      float[] mask = scene.cropMask(t, cx, cy, side, 127);
      Segmentation s = MaskOutline.fromCropMask(mask, 127, cx, cy, side, 480, 360, MaskOutline.DEFAULT_THRESHOLD);
      double rotated = s.rotatedBox().iou(truth);
      double aligned = Polygons.iou(Polygons.of(s.box()), truth.corners());
      sumRotated += rotated;
      sumAxis += aligned;
      assertThat(rotated).as("frame %d at %.1f degrees", t, truth.angle()).isGreaterThan(0.75);
      double tilt = Math.abs(((truth.angle() % 90) + 90) % 90 - 45);
      if (tilt < 30) {
        // 15..75 degrees from the axes: the axis-aligned box is mostly background
        assertThat(rotated).as("frame %d at %.1f degrees", t, truth.angle()).isGreaterThan(aligned + 0.2);
      } else {
        assertThat(rotated).as("frame %d at %.1f degrees", t, truth.angle()).isGreaterThan(aligned - 0.05);
      }
    }
    System.out.printf("rotated target, %d frames: mean IoU with the rotated truth: min-area box %.3f, "
        + "axis-aligned box %.3f%n", frames, sumRotated / frames, sumAxis / frames);
    assertThat(sumRotated / frames).isGreaterThan(sumAxis / frames + 0.2);
  }
}
