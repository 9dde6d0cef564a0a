package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.data.RotatedTargetScene;
import io.argus.models.image.Polygons;
import io.argus.models.image.RgbImage;
import io.argus.models.image.RotatedBox;
import io.argus.models.siammask.SiamMaskImport;
import io.argus.operators.core.MaskRefinement;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStatus;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Tracker;
import io.argus.operators.core.Trackers;
import io.argus.operators.core.mask.Segmentation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny SiamMask whose mask branch was trained in PyTorch on turning bars
 * ({@code src/test/python/train_tiny_siammask_mask.py}, data from {@link RotatedSceneMaskData}),
 * exported through the README's wrappers, imported, and run on bars of scenes it never saw: the
 * rotated box of its masks, through the {@code mask} signature and the tracker's paste-back, must fit
 * the true rotated bar better than the axis-aligned box of the same masks. The position comes from
 * the truth (the RPN is untrained), so this measures the mask path, not tracking.
 */
class RotatedSceneSegmentationTest {

  @TempDir Path tmp;

  @Test
  void rotatedBoxesOfTheLearnedMasksBeatTheirAxisAlignedBoxes() throws URISyntaxException {
    Path res = Path.of(RotatedSceneSegmentationTest.class.getResource("/siammask-bars/template.onnx").toURI())
        .getParent();
    SiamMaskImport.export(res.resolve("template.onnx"), res.resolve("search.onnx"), res.resolve("refine.onnx"),
        tmp.resolve("m"), "bars", null);
    double sumRotated = 0;
    double sumAligned = 0;
    double sumBestAligned = 0;
    int frames = 0;
    int empty = 0;
    Random r = new Random(11);
    try (SavedModelRunner model = SavedModelRunner.load(tmp.resolve("m"))) {
      Tracker tracker = Trackers.forSpec(model.spec()); // pysot's mask threshold 0.15
      MaskRefinement refinement = tracker.maskRefinement();
      int[] centre = {12, 12};
      for (int i = 0; i < 4; i++) {
        // scenes 0 .. 39 made the training data
        RotatedTargetScene scene = RotatedSceneMaskData.scene(RotatedSceneMaskData.SCENES_PER_SIZE * 4 + i);
        float[] z = new float[127 * 127 * 3];
        tracker.exemplar(scene.frame(0), scene.axisTruth(0), z, 0);
        float[] embedding = model.template(z, 1);
        for (long t = 1; t <= 30; t++) {
          TargetState s = RotatedSceneMaskData.state(scene, t, r.nextGaussian() * 4, r.nextGaussian() * 4);
          RgbImage frame = scene.frame(t);
          float[] x = new float[255 * 255 * 3];
          tracker.searchRegions(s, frame, x, 0);
          float[] mask = model.mask(embedding, x, centre, 1);
          TrackStep step = new TrackStep(s, s.box(), 1f, TrackStatus.TRACKING);
          Segmentation seg = refinement.segment(s, step, centre, mask, 0, frame).segmentation();
          RotatedBox truth = scene.truth(t);
          frames++;
          sumBestAligned += Polygons.iou(Polygons.of(scene.axisTruth(t)), truth.corners());
          if (seg == null) {
            empty++;
            continue;
          }
          sumRotated += seg.rotatedBox().iou(truth);
          sumAligned += Polygons.iou(Polygons.of(seg.box()), truth.corners());
        }
      }
    }
    double rotated = sumRotated / frames;
    double aligned = sumAligned / frames;
    System.out.printf("learned masks on unseen bars, %d frames (%d empty): mean IoU with the rotated truth:"
        + " rotated box %.3f, axis-aligned box of the same masks %.3f (the true axis-aligned box: %.3f)%n",
        frames, empty, rotated, aligned, sumBestAligned / frames);
    assertThat(rotated).isGreaterThan(aligned + 0.05);
    // better even than the best axis-aligned box there is, the truth's own
    assertThat(rotated).isGreaterThan(sumBestAligned / frames);
  }
}
