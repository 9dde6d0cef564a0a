package io.argus.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.data.RotatedTargetScene;
import io.argus.models.data.SceneSpec;
import io.argus.models.image.Box;
import io.argus.models.image.Polygons;
import io.argus.models.image.RgbImage;
import io.argus.models.siammask.SiamMaskImport;
import io.argus.operators.core.MaskRefinement;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStatus;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Tracker;
import io.argus.operators.core.Trackers;
import io.argus.operators.core.mask.Segmentation;
import io.argus.operators.inference.SavedModelRunner;
import io.argus.schemas.Mask;
import io.argus.schemas.Point;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picture in the README's SiamMask section ({@code docs/results/siammask/turning-bar.jpg}):
 * the tiny SiamMask whose mask branch was trained on turning bars (operators' test fixture), on a
 * scene it never saw, rendered by {@link TrackRenderer} with its mask, rotated box and axis-aligned
 * box. Written to {@code target/segmentation/turning-bar.jpg}; the rotated box must fit the true bar
 * better than the axis-aligned box on every frame drawn. As in the operators' test, the position
 * comes from the truth: the fixture's box head is untrained.
 */
class SegmentationPictureTest {

  private static final Path FIXTURE = Path.of("../operators/src/test/resources/siammask-bars");

  @TempDir Path tmp;

  @Test
  void rendersMasksAndRotatedBoxesOfATurningBar() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FIXTURE), "skipped: " + FIXTURE + " absent (run from the jobs module)");
    SiamMaskImport.export(FIXTURE.resolve("template.onnx"), FIXTURE.resolve("search.onnx"),
        FIXTURE.resolve("refine.onnx"), tmp.resolve("m"), "bars", null);
    // seed 1041: not one of the 40 training scenes (1000 .. 1039)
    RotatedTargetScene scene = new RotatedTargetScene(SceneSpec.of(480, 360, 3, 1041), 110, 30, 3);
    List<BufferedImage> tiles = new ArrayList<>();
    try (SavedModelRunner model = SavedModelRunner.load(tmp.resolve("m"))) {
      Tracker tracker = Trackers.forSpec(model.spec());
      MaskRefinement refinement = tracker.maskRefinement();
      float[] exemplar = new float[127 * 127 * 3];
      tracker.exemplar(scene.frame(0), scene.axisTruth(0), exemplar, 0);
      float[] embedding = model.template(exemplar, 1);
      int[] centreCell = {12, 12};
      for (long t : new long[] {6, 14, 22}) {
        Box truth = scene.axisTruth(t);
        TargetState s = new TargetState("bar", null, truth.cx(), truth.cy(), truth.width(), truth.height(), 1f,
            embedding, t, 0, 0);
        RgbImage frame = scene.frame(t);
        float[] search = new float[255 * 255 * 3];
        tracker.searchRegions(s, frame, search, 0);
        float[] mask = model.mask(embedding, search, centreCell, 1);
        Segmentation seg = refinement.segment(s, new TrackStep(s, s.box(), 1f, TrackStatus.TRACKING), centreCell, mask,
            0, frame).segmentation();
        assertThat(seg).isNotNull();
        double rotatedIou = seg.rotatedBox().iou(scene.truth(t));
        double axisIou = Polygons.iou(Polygons.of(seg.box()), scene.truth(t).corners());
        System.out.printf("frame %d: IoU with the true bar, rotated box %.3f, axis-aligned box %.3f%n", t, rotatedIou,
            axisIou);
        assertThat(rotatedIou).isGreaterThan(axisIou);
        tiles.add(TrackRenderer.draw(frame.toBufferedImage(), List.of(update(t, seg))));
      }
    }
    BufferedImage strip = new BufferedImage(480 * tiles.size(), 360, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = strip.createGraphics();
    for (int i = 0; i < tiles.size(); i++) {
      g.drawImage(tiles.get(i), 480 * i, 0, null);
    }
    g.dispose();
    Path out = Files.createDirectories(Path.of("target/segmentation")).resolve("turning-bar.jpg");
    ImageIO.write(strip, "jpg", out.toFile());
    System.out.println("wrote " + out.toAbsolutePath());
  }

  private static TrackUpdate update(long frame, Segmentation seg) {
    List<Point> corners = new ArrayList<>();
    seg.rotatedBox().corners().forEach(p -> corners.add(new Point((float) p.x(), (float) p.y())));
    List<Integer> counts = new ArrayList<>();
    for (int c : seg.mask().counts()) {
      counts.add(c);
    }
    Box b = seg.box();
    return TrackUpdate.newBuilder().setCameraId("bars").setTargetId("bar").setLabel(null).setModel("bars")
        .setFrameSequence(frame).setCaptureTimeMs(0).setProcessingTimeMs(0)
        .setBox(new io.argus.schemas.Box((float) b.x(), (float) b.y(), (float) b.width(), (float) b.height()))
        .setScore(1f).setState(TrackState.TRACKING).setRotatedBox(corners)
        .setMask(new Mask(seg.mask().x(), seg.mask().y(), seg.mask().width(), seg.mask().height(), counts)).build();
  }
}
