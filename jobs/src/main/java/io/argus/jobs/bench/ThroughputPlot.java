package io.argus.jobs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Throughput against a size that doubles (targets per frame, batch size): x on a log2 axis,
 * y linear from zero, one line with point markers per series.
 */
public final class ThroughputPlot {

  /** One line of the plot. */
  public record Series(String label, double[] x, double[] y) {
    public Series {
      if (x.length != y.length || x.length == 0) {
        throw new IllegalArgumentException("series '" + label + "' needs matching, non-empty x and y");
      }
    }
  }

  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] COLOURS = {
      new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
      new Color(0x8c564b)};

  private ThroughputPlot() {}

  public static void write(List<Series> series, String title, String xLabel, String yLabel, Path png) {
    double xMin = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).min().orElse(1);
    double xMax = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).max().orElse(2);
    double yMax = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).filter(Double::isFinite).max()
        .orElse(1);
    double lx0 = log2(xMin);
    double lx1 = Math.max(log2(xMax), lx0 + 1);
    double yStep = niceStep(yMax / 8);
    double yTop = Math.ceil(yMax * 1.05 / yStep) * yStep;
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      int pw = WIDTH - LEFT - RIGHT;
      int ph = HEIGHT - TOP - BOTTOM;
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
      g.setFont(font);
      FontMetrics fm = g.getFontMetrics();
      for (double v = 0; v <= yTop + 1e-9; v += yStep) {
        int y = TOP + ph - (int) Math.round(v / yTop * ph);
        g.setColor(new Color(0xdddddd));
        g.drawLine(LEFT, y, LEFT + pw, y);
        g.setColor(Color.BLACK);
        String s = String.format(Locale.ROOT, "%.0f", v);
        g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
      }
      for (int e = (int) Math.floor(lx0); e <= Math.ceil(lx1); e++) {
        int x = LEFT + (int) Math.round((e - lx0) / (lx1 - lx0) * pw);
        if (x < LEFT - 1 || x > LEFT + pw + 1) {
          continue;
        }
        g.setColor(new Color(0xdddddd));
        g.drawLine(x, TOP, x, TOP + ph);
        g.setColor(Color.BLACK);
        String s = String.valueOf(1L << e);
        g.drawString(s, x - fm.stringWidth(s) / 2, TOP + ph + 8 + fm.getAscent());
      }
      g.drawRect(LEFT, TOP, pw, ph);
      g.drawString(xLabel, LEFT + (pw - fm.stringWidth(xLabel)) / 2, HEIGHT - 18);
      Graphics2D rotated = (Graphics2D) g.create();
      rotated.rotate(-Math.PI / 2);
      rotated.drawString(yLabel, -(TOP + (ph + fm.stringWidth(yLabel)) / 2), 24);
      rotated.dispose();
      g.setFont(font.deriveFont(Font.BOLD, 17f));
      g.drawString(title, (WIDTH - g.getFontMetrics().stringWidth(title)) / 2, TOP - 18);
      g.setFont(font);
      for (int i = 0; i < series.size(); i++) {
        Series s = series.get(i);
        g.setColor(COLOURS[i % COLOURS.length]);
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D path = new Path2D.Double();
        for (int k = 0; k < s.x().length; k++) {
          double px = LEFT + (log2(s.x()[k]) - lx0) / (lx1 - lx0) * pw;
          double py = TOP + ph - s.y()[k] / yTop * ph;
          if (k == 0) {
            path.moveTo(px, py);
          } else {
            path.lineTo(px, py);
          }
          g.fillOval((int) px - 4, (int) py - 4, 8, 8);
        }
        g.draw(path);
        int ly = TOP + 14 + i * (fm.getHeight() + 4);
        g.drawLine(LEFT + 14, ly, LEFT + 44, ly);
        g.setColor(Color.BLACK);
        g.drawString(s.label(), LEFT + 52, ly + fm.getAscent() / 2 - 1);
      }
    } finally {
      g.dispose();
    }
    try {
      Path parent = png.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      ImageIO.write(img, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + png, e);
    }
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
