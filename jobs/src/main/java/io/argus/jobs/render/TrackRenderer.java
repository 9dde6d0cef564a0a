package io.argus.jobs.render;

import io.argus.operators.core.mask.RleMask;
import io.argus.schemas.Mask;
import io.argus.schemas.Point;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws track updates onto their frame: the mask as a translucent tint and the rotated box where
 * there are ones (mask-producing families), the axis-aligned box, id, score, state.
 */
public final class TrackRenderer {

  /** How much of the track colour a mask pixel takes. */
  static final float MASK_ALPHA = 0.4f;

  private TrackRenderer() {}

  public static BufferedImage draw(BufferedImage frame, List<TrackUpdate> updates) {
    BufferedImage out = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(frame, 0, 0, null);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float stroke = Math.max(2f, frame.getWidth() / 320f);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, frame.getWidth() / 50)));
    // masks first, so that every outline and label is drawn over every tint
    for (TrackUpdate u : updates) {
      if (u.getMask() != null) {
        tint(out, u.getMask(), u.getState() == TrackState.TRACKING ? colour(u.getTargetId()) : Color.GRAY);
      }
    }
    for (TrackUpdate u : updates) {
      Color c = colour(u.getTargetId());
      g.setColor(u.getState() == TrackState.TRACKING ? c : Color.GRAY);
      g.setStroke(u.getState() == TrackState.TRACKING ? new BasicStroke(stroke)
          : new BasicStroke(stroke, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      var b = u.getBox();
      List<Point> rotated = u.getRotatedBox();
      boolean hasRotated = rotated != null && rotated.size() == 4;
      if (hasRotated) {
        // the rotated box is the answer; the axis-aligned one stays as a thin guide
        Stroke main = g.getStroke();
        g.setStroke(new BasicStroke(1f));
        g.drawRect(Math.round(b.getX()), Math.round(b.getY()), Math.round(b.getWidth()), Math.round(b.getHeight()));
        g.setStroke(main);
        Path2D p = new Path2D.Float();
        p.moveTo(rotated.get(0).getX(), rotated.get(0).getY());
        for (int i = 1; i < 4; i++) {
          p.lineTo(rotated.get(i).getX(), rotated.get(i).getY());
        }
        p.closePath();
        g.draw(p);
      } else {
        g.drawRect(Math.round(b.getX()), Math.round(b.getY()), Math.round(b.getWidth()), Math.round(b.getHeight()));
      }
      String text = u.getTargetId() + (u.getLabel() == null ? "" : " " + u.getLabel())
          + String.format(" %.2f", u.getScore()) + (u.getState() == TrackState.TRACKING ? "" : " " + u.getState());
      int ty = Math.round(b.getY()) - 4 < 12 ? Math.round(b.getY() + b.getHeight()) + 14 : Math.round(b.getY()) - 4;
      g.setColor(Color.BLACK);
      g.drawString(text, Math.round(b.getX()) + 1, ty + 1);
      g.setColor(c);
      g.drawString(text, Math.round(b.getX()), ty);
    }
    g.dispose();
    return out;
  }

  /**
   * Blends the colour into the mask's pixels. A mask whose runs do not cover its region is skipped:
   * a picture for a person should not fail on one bad update.
   */
  private static void tint(BufferedImage image, Mask mask, Color colour) {
    RleMask rle;
    try {
      rle = new RleMask(mask.getX(), mask.getY(), mask.getWidth(), mask.getHeight(),
          mask.getCounts().stream().mapToInt(Integer::intValue).toArray());
    } catch (IllegalArgumentException e) {
      return;
    }
    int x0 = Math.max(0, rle.x());
    int y0 = Math.max(0, rle.y());
    int x1 = Math.min(image.getWidth(), rle.x() + rle.width());
    int y1 = Math.min(image.getHeight(), rle.y() + rle.height());
    if (x0 >= x1 || y0 >= y1) {
      return;
    }
    boolean[] bits = rle.decode();
    float a = MASK_ALPHA;
    float cr = colour.getRed() * a;
    float cg = colour.getGreen() * a;
    float cb = colour.getBlue() * a;
    int w = x1 - x0;
    int[] row = new int[w];
    for (int y = y0; y < y1; y++) {
      image.getRGB(x0, y, w, 1, row, 0, w);
      int m = (y - rle.y()) * rle.width() + x0 - rle.x();
      for (int i = 0; i < w; i++) {
        if (bits[m + i]) {
          int p = row[i];
          int r = Math.round(((p >> 16) & 0xff) * (1 - a) + cr);
          int gr = Math.round(((p >> 8) & 0xff) * (1 - a) + cg);
          int bl = Math.round((p & 0xff) * (1 - a) + cb);
          row[i] = (r << 16) | (gr << 8) | bl;
        }
      }
      image.setRGB(x0, y, w, 1, row, 0, w);
    }
  }

  /** A stable, saturated colour per target id. */
  public static Color colour(String targetId) {
    float hue = (targetId.hashCode() & 0xffff) / 65535f;
    return Color.getHSBColor(hue, 0.85f, 1f);
  }
}
