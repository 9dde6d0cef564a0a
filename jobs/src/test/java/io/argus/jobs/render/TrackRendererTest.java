package io.argus.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.image.RotatedBox;
import io.argus.operators.core.mask.RleMask;
import io.argus.schemas.Box;
import io.argus.schemas.Mask;
import io.argus.schemas.Point;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackRendererTest {

  private static final int GREY = 100;

  @Test
  void drawsTheRotatedBoxInTheTrackColourAndTintsTheMask() {
    RotatedBox rotated = new RotatedBox(100, 90, 80, 24, 30);
    // mask: a 20 x 10 block at (60, 120), away from every outline and the label
    boolean[] bits = new boolean[20 * 10];
    Arrays.fill(bits, true);
    RleMask rle = RleMask.encode(bits, 60, 120, 20, 10);
    TrackUpdate u = update(rotated, rle);
    BufferedImage out = TrackRenderer.draw(grey(240, 180), List.of(u));
    Color c = TrackRenderer.colour("t-1");

    // a pixel whose centre lies on an edge of the polygon, well inside the edge's length
    var corners = rotated.corners();
    int checked = 0;
    for (int e = 0; e < 4; e++) {
      var a = corners.get(e);
      var b = corners.get((e + 1) % 4);
      double len = Math.hypot(b.x() - a.x(), b.y() - a.y());
      for (double t = 0.3; t <= 0.7; t += 0.01) {
        double px = a.x() + t * (b.x() - a.x());
        double py = a.y() + t * (b.y() - a.y());
        int x = (int) Math.floor(px);
        int y = (int) Math.floor(py);
        // distance from the pixel's centre to the edge: near zero means the stroke covers it whole
        double d = Math.abs((b.x() - a.x()) * (y + 0.5 - a.y()) - (b.y() - a.y()) * (x + 0.5 - a.x())) / len;
        if (d < 0.2) {
          assertThat(new Color(out.getRGB(x, y))).as("edge %d pixel (%d, %d)", e, x, y).isEqualTo(c);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(8);

    // inside the mask: the grey blended with the colour
    Color inside = new Color(out.getRGB(70, 125));
    float a = TrackRenderer.MASK_ALPHA;
    assertThat(inside.getRed()).isCloseTo(Math.round(GREY * (1 - a) + c.getRed() * a), org.assertj.core.data.Offset.offset(1));
    assertThat(inside.getGreen()).isCloseTo(Math.round(GREY * (1 - a) + c.getGreen() * a), org.assertj.core.data.Offset.offset(1));
    assertThat(inside.getBlue()).isCloseTo(Math.round(GREY * (1 - a) + c.getBlue() * a), org.assertj.core.data.Offset.offset(1));
    // just outside the mask, away from outlines: untouched
    assertThat(new Color(out.getRGB(85, 125))).isEqualTo(new Color(GREY, GREY, GREY));
    assertThat(new Color(out.getRGB(70, 133))).isEqualTo(new Color(GREY, GREY, GREY));
  }

  @Test
  void aMaskWhoseRunsDoNotCoverItsRegionIsSkipped() {
    TrackUpdate u = update(new RotatedBox(100, 90, 80, 24, 30), RleMask.encode(new boolean[4], 10, 10, 2, 2));
    u.setMask(new Mask(60, 120, 20, 10, List.of(0, 150)));
    BufferedImage out = TrackRenderer.draw(grey(240, 180), List.of(u));
    assertThat(new Color(out.getRGB(70, 125))).isEqualTo(new Color(GREY, GREY, GREY));
  }

  private static TrackUpdate update(RotatedBox rotated, RleMask rle) {
    List<Point> corners = new ArrayList<>();
    for (var p : rotated.corners()) {
      corners.add(new Point((float) p.x(), (float) p.y()));
    }
    var bounds = rotated.bounds();
    List<Integer> counts = new ArrayList<>();
    for (int k : rle.counts()) {
      counts.add(k);
    }
    return TrackUpdate.newBuilder().setCameraId("cam").setTargetId("t-1").setFrameSequence(1).setCaptureTimeMs(0)
        .setProcessingTimeMs(0)
        .setBox(new Box((float) bounds.x(), (float) bounds.y(), (float) bounds.width(), (float) bounds.height()))
        .setScore(0.9f).setState(TrackState.TRACKING).setRotatedBox(corners)
        .setMask(new Mask(rle.x(), rle.y(), rle.width(), rle.height(), counts)).setLabel(null).setModel("m").build();
  }

  private static BufferedImage grey(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = new int[w * h];
    Arrays.fill(px, (GREY << 16) | (GREY << 8) | GREY);
    img.setRGB(0, 0, w, h, px, 0, w);
    return img;
  }
}
