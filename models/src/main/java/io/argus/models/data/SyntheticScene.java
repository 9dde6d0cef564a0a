package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated camera footage with exact ground truth: textured objects moving over a textured
 * background, changing scale, turning their texture, passing in front of each other, under
 * changing light and sensor noise. Objects come in kinds that look alike, so every target has
 * distractors of its own kind, which is what makes tracking (and training) non-trivial.
 *
 * <p>A frame is a pure function of the spec and the frame index: textures and the background
 * are rendered once in the constructor, and every pose is a closed-form function of the index
 * (sums of sines), so a looping camera simulator and a test regenerate frame N independently,
 * from any thread, in any order.
 */
public final class SyntheticScene {

  /** Width of the darker rim drawn inside each object's outline, in base pixels. */
  private static final double RIM = 1.5;

  private final SceneSpec spec;
  private final byte[] background;
  private final SceneObject[] objects;
  private final int[] drawOrder;
  private final double gainOmega;
  private final double gainPhase;
  private final double sweepOmega;
  private final double sweepPhase;
  private final int[] noiseTable;

  public SyntheticScene(SceneSpec spec) {
    this.spec = spec;
    SplittableRandom rng = new SplittableRandom(spec.seed());
    int kinds = spec.effectiveKinds();
    Patterns.Look[] looks = new Patterns.Look[kinds];
    for (int k = 0; k < kinds; k++) {
      looks[k] = Patterns.Look.random(rng);
    }
    this.objects = new SceneObject[spec.objects()];
    int cols = Math.max(1, (int) Math.ceil(Math.sqrt(spec.objects() * (double) spec.width() / spec.height())));
    int rows = (spec.objects() + cols - 1) / cols;
    for (int i = 0; i < objects.length; i++) {
      double[] region = spec.occlusion()
          ? new double[] {0, 0, spec.width(), spec.height()}
          : new double[] {
              (i % cols) * (double) spec.width() / cols, (i / cols) * (double) spec.height() / rows,
              (i % cols + 1) * (double) spec.width() / cols, (i / cols + 1) * (double) spec.height() / rows};
      objects[i] = new SceneObject(i % kinds, looks[i % kinds].variant(rng, 18), spec, region, rng);
    }
    this.drawOrder = permutation(objects.length, rng);
    this.gainOmega = 0.01 + 0.04 * rng.nextDouble();
    this.gainPhase = rng.nextDouble() * 2 * Math.PI;
    this.sweepOmega = 0.01 + 0.03 * rng.nextDouble();
    this.sweepPhase = rng.nextDouble() * 2 * Math.PI;
    this.background = renderBackground(spec, looks, rng);
    this.noiseTable = noiseTable(spec.noise());
  }

  public SceneSpec spec() {
    return spec;
  }

  public int objectCount() {
    return objects.length;
  }

  /** The kind of an object: objects of equal kind are look-alikes (each other's distractors). */
  public int kindOf(int object) {
    return objects[object].kind;
  }

  /** Ground truth of one object in frame {@code index} without rendering: cheap. */
  public Box truth(int object, long index) {
    return clip(objects[object].box(index));
  }

  /** Ground truth of every object in frame {@code index} without rendering. */
  public List<Box> truths(long index) {
    List<Box> out = new ArrayList<>(objects.length);
    for (int i = 0; i < objects.length; i++) {
      out.add(truth(i, index));
    }
    return out;
  }

  /** Whether object {@code a} is drawn in front of object {@code b}. */
  public boolean inFront(int a, int b) {
    for (int i : drawOrder) {
      if (i == a) {
        return false;
      }
      if (i == b) {
        return true;
      }
    }
    throw new IllegalArgumentException("no such objects " + a + ", " + b);
  }

  /** The background without objects, light or noise (for tests and debugging). */
  RgbImage backgroundImage() {
    return new RgbImage(spec.width(), spec.height(), background.clone());
  }

  /** Renders frame {@code index} (any index, negative included; the motion never ends). */
  public SceneFrame frame(long index) {
    int w = spec.width();
    int h = spec.height();
    byte[] px = background.clone();
    byte[] owner = new byte[w * h];
    int[] drawn = new int[objects.length];
    for (int i : drawOrder) {
      drawn[i] = objects[i].paint(index, px, owner, w, h, (byte) (i + 1));
    }
    int[] visible = new int[objects.length];
    for (byte o : owner) {
      if (o != 0) {
        visible[o - 1]++;
      }
    }
    if (spec.blur()) {
      boxBlur3(px, w, h);
    }
    applyLightAndNoise(px, index);
    List<Box> truths = new ArrayList<>(objects.length);
    List<Double> visibility = new ArrayList<>(objects.length);
    for (int i = 0; i < objects.length; i++) {
      truths.add(truth(i, index));
      visibility.add(drawn[i] == 0 ? 0.0 : visible[i] / (double) drawn[i]);
    }
    return new SceneFrame(index, new RgbImage(w, h, px), truths, visibility);
  }

  private Box clip(Box b) {
    double x0 = Math.max(0, b.x());
    double y0 = Math.max(0, b.y());
    double x1 = Math.min(spec.width(), b.x() + b.width());
    double y1 = Math.min(spec.height(), b.y() + b.height());
    return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
  }

  /** Global brightness drift plus a slow horizontal light sweep, then sensor noise. */
  private void applyLightAndNoise(byte[] px, long index) {
    double light = spec.lighting();
    double sigma = spec.noise();
    if (light == 0 && sigma == 0) {
      return;
    }
    int w = spec.width();
    // 8-bit fixed point: integer arithmetic keeps this pass at about a nanosecond a value
    int[] gain = new int[w];
    double global = 0.6 * Math.sin(gainOmega * index + gainPhase);
    for (int x = 0; x < w; x++) {
      gain[x] = (int) Math.round(256 * (1 + light * (global + 0.4 * Math.sin(2 * Math.PI * x / (1.5 * w) + sweepOmega * index + sweepPhase))));
    }
    int[] table = noiseTable;
    int mask = table.length - 1;
    long frameKey = Patterns.mix64(spec.seed() * 31 + index * 0x9E3779B97F4A7C15L);
    for (int y = 0, p = 0; y < spec.height(); y++) {
      // a random window of a fixed Gaussian table per row: as good as fresh noise to the eye
      // and to a network, and one load per value instead of a random number
      int off = (int) Patterns.mix64(frameKey + y);
      for (int x = 0, i = off; x < w; x++) {
        int g = gain[x];
        for (int c = 0; c < 3; c++, p++, i++) {
          int v = ((px[p] & 0xff) * g + table[i & mask] + 128) >> 8;
          px[p] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : v);
        }
      }
    }
  }

  /** Sensor noise of standard deviation sigma in 8-bit fixed point, the same in every JVM. */
  private static int[] noiseTable(double sigma) {
    int[] table = new int[1 << 16];
    if (sigma == 0) {
      return table;
    }
    SplittableRandom rng = new SplittableRandom(0x5EEDL);
    for (int i = 0; i < table.length; i += 2) {
      // Box-Muller from a fixed seed
      double u = 1 - rng.nextDouble();
      double v = rng.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u)) * sigma * 256;
      table[i] = (int) Math.round(r * Math.cos(2 * Math.PI * v));
      table[i + 1] = (int) Math.round(r * Math.sin(2 * Math.PI * v));
    }
    return table;
  }

  private static void boxBlur3(byte[] px, int w, int h) {
    byte[] tmp = new byte[px.length];
    for (int y = 0; y < h; y++) {
      int row = y * w * 3;
      for (int x = 0; x < w; x++) {
        int l = row + Math.max(0, x - 1) * 3;
        int m = row + x * 3;
        int r = row + Math.min(w - 1, x + 1) * 3;
        for (int c = 0; c < 3; c++) {
          tmp[m + c] = (byte) (((px[l + c] & 0xff) + (px[m + c] & 0xff) + (px[r + c] & 0xff) + 1) / 3);
        }
      }
    }
    int stride = w * 3;
    for (int y = 0; y < h; y++) {
      int up = Math.max(0, y - 1) * stride;
      int mid = y * stride;
      int down = Math.min(h - 1, y + 1) * stride;
      for (int i = 0; i < stride; i++) {
        px[mid + i] = (byte) (((tmp[up + i] & 0xff) + (tmp[mid + i] & 0xff) + (tmp[down + i] & 0xff) + 1) / 3);
      }
    }
  }

  private static byte[] renderBackground(SceneSpec spec, Patterns.Look[] looks, SplittableRandom rng) {
    int w = spec.width();
    int h = spec.height();
    byte[] px = new byte[w * h * 3];
    float[][] palette = new float[3][];
    double hue = rng.nextDouble();
    for (int i = 0; i < 3; i++) {
      palette[i] = Patterns.hsv(hue + i * 0.12 * (rng.nextDouble() + 0.3), 0.15 + 0.5 * rng.nextDouble(), 0.3 + 0.6 * rng.nextDouble());
    }
    long seed = rng.nextLong();
    double cell = (0.1 + 0.15 * rng.nextDouble()) * Math.min(w, h);
    double angle = rng.nextDouble() * Math.PI;
    double period = 10 + 30 * rng.nextDouble();
    float[] c = new float[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t;
        int a;
        int b;
        switch (spec.background()) {
          case FLAT -> {
            t = 0.3 * y / h + 0.2 * Patterns.valueNoise(x / (w * 0.5), y / (h * 0.5), seed);
            a = 0;
            b = 1;
          }
          case STRIPES -> {
            double s1 = Math.sin(2 * Math.PI * (x * Math.cos(angle) + y * Math.sin(angle)) / period);
            double s2 = Math.sin(2 * Math.PI * (-x * Math.sin(angle) + y * Math.cos(angle)) / (period * 2.7));
            t = 0.5 + 0.3 * s1 + 0.2 * s2;
            a = s2 > 0.6 ? 2 : 0;
            b = 1;
          }
          default -> {
            double n = Patterns.fractal(x / cell, y / cell, seed, 4);
            t = Math.min(1, Math.max(0, (n - 0.25) * 2));
            a = n < 0.5 ? 0 : 1;
            b = n < 0.5 ? 1 : 2;
          }
        }
        float ft = (float) t;
        // fine grain so that flat areas still carry a little texture
        float grain = (float) ((Patterns.lattice(x, y, seed + 7) - 0.5) * 10);
        int p = (y * w + x) * 3;
        for (int k = 0; k < 3; k++) {
          c[k] = palette[a][k] + (palette[b][k] - palette[a][k]) * ft + grain;
          px[p + k] = (byte) Math.round(Patterns.clamp(c[k]));
        }
      }
    }
    if (spec.background() == SceneSpec.Background.CLUTTER) {
      // static look-alikes of the objects, smaller: hard negatives that never move
      int count = Math.max(4, (int) (w * (long) h / 6000));
      double base = spec.objectSize() * Math.min(w, h);
      for (int i = 0; i < count; i++) {
        Patterns.Look look = looks[rng.nextInt(looks.length)].variant(rng, 30);
        double bh = base * (0.25 + 0.5 * rng.nextDouble());
        double bw = bh * look.aspect();
        double cx = rng.nextDouble() * w;
        double cy = rng.nextDouble() * h;
        double phase = rng.nextDouble() * 100;
        paintStatic(px, w, h, look, cx, cy, bw, bh, phase, c);
      }
    }
    return px;
  }

  private static void paintStatic(byte[] px, int w, int h, Patterns.Look look, double cx, double cy, double bw, double bh,
      double phase, float[] c) {
    int x0 = Math.max(0, (int) Math.floor(cx - bw / 2));
    int x1 = Math.min(w - 1, (int) Math.ceil(cx + bw / 2));
    int y0 = Math.max(0, (int) Math.floor(cy - bh / 2));
    int y1 = Math.min(h - 1, (int) Math.ceil(cy + bh / 2));
    for (int y = y0; y <= y1; y++) {
      double v = y + 0.5 - cy;
      for (int x = x0; x <= x1; x++) {
        double u = x + 0.5 - cx;
        double inside = inside(look.ellipse(), u, v, bw, bh);
        if (inside < 0) {
          continue;
        }
        Patterns.colour(look, u, v, phase, c);
        float shade = inside < RIM ? 0.6f : 1f;
        int p = (y * w + x) * 3;
        for (int k = 0; k < 3; k++) {
          px[p + k] = (byte) Math.round(Patterns.clamp(c[k] * shade));
        }
      }
    }
  }

  /**
   * Approximate distance in pixels from (u, v) inward to the outline of a w x h rectangle or
   * ellipse centred at the origin; negative outside.
   */
  static double inside(boolean ellipse, double u, double v, double w, double h) {
    double hw = w / 2;
    double hh = h / 2;
    if (ellipse) {
      double r = Math.sqrt((u * u) / (hw * hw) + (v * v) / (hh * hh));
      return (1 - r) * Math.min(hw, hh);
    }
    return Math.min(hw - Math.abs(u), hh - Math.abs(v));
  }

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** One moving object: a pre-rendered texture plus closed-form motion, scale, turn and shade. */
  private static final class SceneObject {
    final int kind;
    final boolean ellipse;
    final double baseW;
    final double baseH;
    final int texSide;
    final float[] texture;
    final double scaleAmp;
    final double rotationAmp;
    final double lightAmp;
    final double midX;
    final double midY;
    final double ampX;
    final double ampY;
    final double[] omega = new double[8];
    final double[] phase = new double[8];

    SceneObject(int kind, Patterns.Look look, SceneSpec spec, double[] region, SplittableRandom rng) {
      this.kind = kind;
      this.ellipse = look.ellipse();
      this.scaleAmp = spec.scaleChange();
      this.rotationAmp = spec.rotation();
      this.lightAmp = spec.lighting() * 0.5;
      double maxScale = Math.exp(scaleAmp) * (1 + 0.3 * scaleAmp);
      double h0 = spec.objectSize() * Math.min(spec.width(), spec.height()) * (0.75 + 0.5 * rng.nextDouble());
      double w0 = h0 * look.aspect() * (0.9 + 0.2 * rng.nextDouble());
      double rw = region[2] - region[0];
      double rh = region[3] - region[1];
      // keep every object (at its largest) inside its own cell when objects must not overlap,
      // and mostly inside the frame otherwise
      double fit = spec.occlusion() ? 0.9 : 0.95;
      double shrink = Math.min(1, Math.min(fit * rw / (w0 * maxScale), fit * rh / (h0 * maxScale)));
      this.baseW = Math.max(4, w0 * shrink);
      this.baseH = Math.max(4, h0 * shrink);
      double margin = spec.occlusion() ? 0.4 : 0.5;
      double loX = region[0] + margin * baseW * maxScale;
      double hiX = region[2] - margin * baseW * maxScale;
      double loY = region[1] + margin * baseH * maxScale;
      double hiY = region[3] - margin * baseH * maxScale;
      this.midX = (loX + hiX) / 2;
      this.midY = (loY + hiY) / 2;
      this.ampX = Math.max(0, (hiX - loX) / 2);
      this.ampY = Math.max(0, (hiY - loY) / 2);
      for (int k = 0; k < 8; k++) {
        phase[k] = rng.nextDouble() * 2 * Math.PI;
      }
      // motion: peak speed about spec.speed per axis; capped so tiny ranges do not jitter
      omega[0] = motionOmega(spec.speed(), ampX, rng);
      omega[1] = motionOmega(spec.speed(), ampX, rng);
      omega[2] = motionOmega(spec.speed(), ampY, rng);
      omega[3] = motionOmega(spec.speed(), ampY, rng);
      omega[4] = 0.02 + 0.04 * rng.nextDouble(); // scale
      omega[5] = 0.03 + 0.05 * rng.nextDouble(); // deformation
      omega[6] = 0.02 + 0.05 * rng.nextDouble(); // texture turn
      omega[7] = 0.03 + 0.05 * rng.nextDouble(); // shade
      this.texSide = (int) Math.ceil(Math.hypot(baseW, baseH)) + 3;
      this.texture = renderTexture(look, texSide, rng.nextDouble() * 100, rng.nextLong());
    }

    private static double motionOmega(double speed, double amp, SplittableRandom rng) {
      if (amp < 1 || speed == 0) {
        return 0;
      }
      return Math.min(0.3, speed * (0.6 + 0.4 * rng.nextDouble()) / amp);
    }

    private static float[] renderTexture(Patterns.Look look, int side, double phase, long grainSeed) {
      float[] tex = new float[side * side * 3];
      float[] c = new float[3];
      double half = side / 2.0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          Patterns.colour(look, x + 0.5 - half, y + 0.5 - half, phase, c);
          float grain = (float) ((Patterns.lattice(x, y, grainSeed) - 0.5) * 14);
          int p = (y * side + x) * 3;
          tex[p] = Patterns.clamp(c[0] + grain);
          tex[p + 1] = Patterns.clamp(c[1] + grain);
          tex[p + 2] = Patterns.clamp(c[2] + grain);
        }
      }
      return tex;
    }

    double cx(long t) {
      return midX + ampX * (0.6 * Math.sin(omega[0] * t + phase[0]) + 0.4 * Math.sin(omega[1] * t + phase[1]));
    }

    double cy(long t) {
      return midY + ampY * (0.6 * Math.sin(omega[2] * t + phase[2]) + 0.4 * Math.sin(omega[3] * t + phase[3]));
    }

    double scaleX(long t) {
      return Math.exp(scaleAmp * Math.sin(omega[4] * t + phase[4])) * (1 + 0.3 * scaleAmp * Math.sin(omega[5] * t + phase[5]));
    }

    double scaleY(long t) {
      return Math.exp(scaleAmp * Math.sin(omega[4] * t + phase[4])) * (1 - 0.3 * scaleAmp * Math.sin(omega[5] * t + phase[5]));
    }

    Box box(long t) {
      return Box.fromCentre(cx(t), cy(t), baseW * scaleX(t), baseH * scaleY(t));
    }

    /** Draws the object into px; returns how many pixels it covered. */
    int paint(long t, byte[] px, byte[] owner, int w, int h, byte id) {
      double cx = cx(t);
      double cy = cy(t);
      double sx = scaleX(t);
      double sy = scaleY(t);
      double theta = rotationAmp * Math.sin(omega[6] * t + phase[6]);
      float shade = (float) (1 + lightAmp * Math.sin(omega[7] * t + phase[7]));
      double cos = Math.cos(theta);
      double sin = Math.sin(theta);
      double half = texSide / 2.0 - 0.5;
      double bw = baseW * sx;
      double bh = baseH * sy;
      int x0 = Math.max(0, (int) Math.floor(cx - bw / 2));
      int x1 = Math.min(w - 1, (int) Math.ceil(cx + bw / 2));
      int y0 = Math.max(0, (int) Math.floor(cy - bh / 2));
      int y1 = Math.min(h - 1, (int) Math.ceil(cy + bh / 2));
      int count = 0;
      double hw = baseW / 2;
      double hh = baseH / 2;
      // rim test without a square root: inside the rim band when the normalised radius
      // exceeds 1 - RIM / min(hw, hh) (ellipse), or within RIM of an edge (rectangle)
      double rin = Math.max(0, 1 - RIM / Math.min(hw, hh));
      double rin2 = rin * rin;
      double du = 1 / sx;
      for (int y = y0; y <= y1; y++) {
        double v = (y + 0.5 - cy) / sy;
        if (Math.abs(v) > hh) {
          continue;
        }
        // the row's span inside the outline, in local units, then in pixels
        double span = ellipse ? hw * Math.sqrt(Math.max(0, 1 - (v * v) / (hh * hh))) : hw;
        int xa = Math.max(x0, (int) Math.ceil(cx - span * sx - 0.5));
        int xb = Math.min(x1, (int) Math.floor(cx + span * sx - 0.5));
        if (xa > xb) {
          continue;
        }
        double vv = (v * v) / (hh * hh);
        boolean rowRim = !ellipse && Math.abs(v) > hh - RIM;
        double u = (xa + 0.5 - cx) / sx;
        double tu = cos * u + sin * v + half;
        double tv = -sin * u + cos * v + half;
        double dtu = cos * du;
        double dtv = -sin * du;
        int p = (y * w + xa) * 3;
        int o = y * w + xa;
        for (int x = xa; x <= xb; x++, u += du, tu += dtu, tv += dtv, p += 3, o++) {
          boolean rim = ellipse ? (u * u) / (hw * hw) + vv > rin2 : rowRim || Math.abs(u) > hw - RIM;
          int iu = (int) tu;
          int iv = (int) tv;
          float fu = (float) (tu - iu);
          float fv = (float) (tv - iv);
          int t00 = (iv * texSide + iu) * 3;
          int t01 = t00 + texSide * 3;
          float s = rim ? shade * 0.6f : shade;
          for (int c = 0; c < 3; c++) {
            float top = texture[t00 + c] + (texture[t00 + 3 + c] - texture[t00 + c]) * fu;
            float bottom = texture[t01 + c] + (texture[t01 + 3 + c] - texture[t01 + c]) * fu;
            int val = (int) ((top + (bottom - top) * fv) * s + 0.5f);
            px[p + c] = (byte) (val > 255 ? 255 : val);
          }
          owner[o] = id;
        }
        count += xb - xa + 1;
      }
      return count;
    }
  }
}
