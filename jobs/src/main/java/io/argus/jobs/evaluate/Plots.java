package io.argus.jobs.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The two OTB plots as PNG: success (fraction of frames over an IoU threshold) and precision
 * (fraction of frames within a centre-error threshold), several curves each, with a legend
 * ranked by the curve's score (AUC or precision@20) as in the OTB papers.
 */
public final class Plots {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 640;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] COLOURS = {
    new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f)};

  private Plots() {}

  /**
   * One curve.
   *
   * @param label legend text (sequence or tracker name)
   * @param x abscissae, increasing
   * @param y ordinates in 0..1
   * @param score the number shown in brackets in the legend and used to rank the curves
   */
  public record Curve(String label, double[] x, double[] y, double score) {
    public Curve {
      if (x.length != y.length || x.length < 2) {
        throw new IllegalArgumentException("curve '" + label + "' needs matching x and y of at least 2 points, got "
            + x.length + " and " + y.length);
      }
    }
  }

  /** Writes success.png and precision.png for a report: one curve per sequence plus the mean. */
  public static List<Path> write(EvaluationReport report, Path dir) {
    List<Curve> success = new ArrayList<>();
    List<Curve> precision = new ArrayList<>();
    for (EvaluationReport.SequenceResult s : report.sequences()) {
      success.add(successCurve(s.sequence(), s.successCurve(), s.auc()));
      precision.add(precisionCurve(s.sequence(), s.precisionCurve(), s.precision20()));
    }
    if (report.sequences().size() > 1) {
      success.add(successCurve("mean", report.mean().successCurve(), report.mean().auc()));
      precision.add(precisionCurve("mean", report.mean().precisionCurve(), report.mean().precision20()));
    }
    String model = report.model() == null ? "" : " - " + report.model();
    Path s = dir.resolve("success.png");
    Path p = dir.resolve("precision.png");
    success(success, "Success plots of OPE" + model, s);
    precision(precision, "Precision plots of OPE" + model, p);
    return List.of(s, p);
  }

  /** A success-curve series from the 21 values of {@link OnePassEvaluation#success()}. */
  public static Curve successCurve(String label, double[] success, double auc) {
    double[] x = new double[success.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i / (double) (x.length - 1);
    }
    return new Curve(label, x, success, auc);
  }

  /** A precision-curve series from {@link OnePassEvaluation#precision()} (one value per pixel). */
  public static Curve precisionCurve(String label, double[] precision, double at20) {
    double[] x = new double[precision.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return new Curve(label, x, precision, at20);
  }

  public static void success(List<Curve> curves, String title, Path png) {
    plot(curves, title, "Overlap threshold", "Success rate", 0, 1, 0.1, "AUC", true, png);
  }

  public static void precision(List<Curve> curves, String title, Path png) {
    double maxX = curves.stream().mapToDouble(c -> c.x()[c.x().length - 1]).max().orElse(50);
    plot(curves, title, "Location error threshold (pixels)", "Precision", 0, maxX, maxX > 20 ? 5 : 1, "P@20", false, png);
  }

  private static void plot(List<Curve> curves, String title, String xLabel, String yLabel, double x0, double x1,
      double xTick, String scoreName, boolean legendLowerLeft, Path png) {
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("nothing to plot for " + png);
    }
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      int pw = WIDTH - LEFT - RIGHT;
      int ph = HEIGHT - TOP - BOTTOM;
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
      g.setFont(font);
      FontMetrics fm = g.getFontMetrics();

      // grid and ticks
      Stroke grid = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f);
      for (int i = 0; i <= 10; i++) {
        double v = i / 10.0;
        int y = TOP + ph - (int) Math.round(v * ph);
        g.setColor(new Color(0xdddddd));
        g.setStroke(grid);
        g.drawLine(LEFT, y, LEFT + pw, y);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(LEFT - 5, y, LEFT, y);
        String s = String.format(Locale.ROOT, "%.1f", v);
        g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
      }
      int ticks = (int) Math.round((x1 - x0) / xTick);
      for (int i = 0; i <= ticks; i++) {
        double v = x0 + i * xTick;
        int x = LEFT + (int) Math.round((v - x0) / (x1 - x0) * pw);
        g.setColor(new Color(0xdddddd));
        g.setStroke(grid);
        g.drawLine(x, TOP, x, TOP + ph);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(x, TOP + ph, x, TOP + ph + 5);
        String s = xTick < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
        g.drawString(s, x - fm.stringWidth(s) / 2, TOP + ph + 8 + fm.getAscent());
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, pw, ph);

      // labels and title
      g.drawString(xLabel, LEFT + (pw - fm.stringWidth(xLabel)) / 2, HEIGHT - 18);
      Graphics2D rotated = (Graphics2D) g.create();
      rotated.rotate(-Math.PI / 2);
      rotated.drawString(yLabel, -(TOP + (ph + fm.stringWidth(yLabel)) / 2), 24);
      rotated.dispose();
      Font titleFont = font.deriveFont(Font.BOLD, 18f);
      g.setFont(titleFont);
      FontMetrics tfm = g.getFontMetrics();
      g.drawString(title, (WIDTH - tfm.stringWidth(title)) / 2, TOP - 16);
      g.setFont(font);

      // curves, best last so it is drawn on top; legend best first
      List<Curve> ranked = new ArrayList<>(curves);
      ranked.sort(Comparator.comparingDouble(Curve::score).reversed());
      for (int r = ranked.size() - 1; r >= 0; r--) {
        Curve c = ranked.get(r);
        g.setColor(COLOURS[r % COLOURS.length]);
        g.setStroke(stroke(r, c.label().equals("mean")));
        Path2D path = new Path2D.Double();
        for (int i = 0; i < c.x().length; i++) {
          double px = LEFT + (c.x()[i] - x0) / (x1 - x0) * pw;
          double py = TOP + ph - Math.max(0, Math.min(1, c.y()[i])) * ph;
          if (i == 0) {
            path.moveTo(px, py);
          } else {
            path.lineTo(px, py);
          }
        }
        g.draw(path);
      }

      // legend box
      List<String> lines = new ArrayList<>();
      for (Curve c : ranked) {
        lines.add(String.format(Locale.ROOT, "%s [%.3f]", c.label(), c.score()));
      }
      int lineH = fm.getHeight() + 2;
      int textW = lines.stream().mapToInt(fm::stringWidth).max().orElse(0);
      int boxW = textW + 60;
      int boxH = lines.size() * lineH + 12 + lineH;
      int bx = legendLowerLeft ? LEFT + 12 : LEFT + pw - boxW - 12;
      int by = TOP + ph - boxH - 12;
      g.setColor(new Color(255, 255, 255, 230));
      g.fillRect(bx, by, boxW, boxH);
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(bx, by, boxW, boxH);
      g.setColor(Color.BLACK);
      g.drawString(scoreName + " in brackets", bx + 10, by + 6 + fm.getAscent());
      for (int r = 0; r < lines.size(); r++) {
        int ly = by + 6 + (r + 1) * lineH;
        g.setColor(COLOURS[r % COLOURS.length]);
        g.setStroke(stroke(r, ranked.get(r).label().equals("mean")));
        g.drawLine(bx + 10, ly + lineH / 2, bx + 42, ly + lineH / 2);
        g.setColor(Color.BLACK);
        g.drawString(lines.get(r), bx + 50, ly + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(img, "png", png.toFile())) {
        throw new IllegalStateException("this JVM has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + png, e);
    }
  }

  /** Solid lines for the first ten curves, dashed for the next ten, so colours can repeat; mean thick. */
  private static Stroke stroke(int rank, boolean mean) {
    float width = mean ? 4f : 2.2f;
    if (rank < COLOURS.length) {
      return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f);
  }
}
