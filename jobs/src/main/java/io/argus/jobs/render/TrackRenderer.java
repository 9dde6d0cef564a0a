package io.argus.jobs.render;

import io.argus.schemas.Point;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Draws track updates onto their frame: box, rotated box where there is one, id, score, state. */
public final class TrackRenderer {

  private TrackRenderer() {}

  public static BufferedImage draw(BufferedImage frame, List<TrackUpdate> updates) {
    BufferedImage out = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(frame, 0, 0, null);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float stroke = Math.max(2f, frame.getWidth() / 320f);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, frame.getWidth() / 50)));
    for (TrackUpdate u : updates) {
      Color c = colour(u.getTargetId());
      g.setColor(u.getState() == TrackState.TRACKING ? c : Color.GRAY);
      g.setStroke(u.getState() == TrackState.TRACKING ? new BasicStroke(stroke)
          : new BasicStroke(stroke, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      var b = u.getBox();
      g.drawRect(Math.round(b.getX()), Math.round(b.getY()), Math.round(b.getWidth()), Math.round(b.getHeight()));
      List<Point> rotated = u.getRotatedBox();
      if (rotated != null && rotated.size() == 4) {
        Path2D p = new Path2D.Float();
        p.moveTo(rotated.get(0).getX(), rotated.get(0).getY());
        for (int i = 1; i < 4; i++) {
          p.lineTo(rotated.get(i).getX(), rotated.get(i).getY());
        }
        p.closePath();
        g.setColor(c.brighter());
        g.draw(p);
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

  /** A stable, saturated colour per target id. */
  public static Color colour(String targetId) {
    float hue = (targetId.hashCode() & 0xffff) / 65535f;
    return Color.getHSBColor(hue, 0.85f, 1f);
  }
}
