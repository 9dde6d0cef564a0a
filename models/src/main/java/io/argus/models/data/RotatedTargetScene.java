package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.image.RotatedBox;
import java.util.SplittableRandom;

/**
 * A {@link SyntheticScene} with one more object in front of the others: an elongated textured
 * rectangle that wanders and turns in the image plane, with its exact rotated rectangle as ground
 * truth. This is the footage where a rotated box (SiamMask's) can beat an axis-aligned one: the
 * axis-aligned box of a long thin object at 45 degrees is mostly background.
 *
 * <p>Pixels whose centre lies inside the rotated rectangle are painted (a darker rim inside the
 * outline, the texture turning with the object); everything follows from the spec's seed and
 * the frame index, like the scene it sits on. The target is drawn after the scene's light and
 * noise, so it carries its texture's grain but no sensor noise.
 */
public final class RotatedTargetScene {

  private static final double RIM = 1.5;

  private final SyntheticScene scene;
  private final double length;
  private final double thickness;
  private final double turnPerFrame;
  private final Patterns.Look look;
  private final double texturePhase;
  private final double angle0;
  private final double midX;
  private final double midY;
  private final double ampX;
  private final double ampY;
  private final double[] omega = new double[2];
  private final double[] phase = new double[2];

  /**
   * @param spec the scene behind the target (its objects are distractors the target passes over)
   * @param length the target's long side in pixels
   * @param thickness the target's short side in pixels (at most {@code length})
   * @param turnPerFrame in-plane rotation per frame in degrees (0 = a fixed tilt)
   */
  public RotatedTargetScene(SceneSpec spec, double length, double thickness, double turnPerFrame) {
    if (!(thickness >= 2 && thickness <= length)) {
      throw new IllegalArgumentException("the target needs 2 <= thickness <= length, got " + length + "x" + thickness);
    }
    double diagonal = Math.hypot(length, thickness);
    if (diagonal > Math.min(spec.width(), spec.height()) - 4) {
      throw new IllegalArgumentException("a " + length + "x" + thickness + " target (diagonal " + Math.round(diagonal)
          + " px) cannot turn inside a " + spec.width() + "x" + spec.height() + " frame: make it smaller");
    }
    if (!Double.isFinite(turnPerFrame)) {
      throw new IllegalArgumentException("turnPerFrame must be finite degrees, got " + turnPerFrame);
    }
    this.scene = new SyntheticScene(spec);
    this.length = length;
    this.thickness = thickness;
    this.turnPerFrame = turnPerFrame;
    // a stream of its own, so the scene behind renders exactly as SyntheticScene(spec) alone
    SplittableRandom rng = new SplittableRandom(spec.seed() ^ 0x6A09E667F3BCC909L);
    this.look = Patterns.Look.random(rng);
    this.texturePhase = rng.nextDouble() * 100;
    this.angle0 = rng.nextDouble() * 180;
    // the whole turning target stays inside the frame: its centre keeps half a diagonal away
    double r = diagonal / 2 + 2;
    this.midX = spec.width() / 2.0;
    this.midY = spec.height() / 2.0;
    this.ampX = Math.max(0, spec.width() / 2.0 - r);
    this.ampY = Math.max(0, spec.height() / 2.0 - r);
    for (int k = 0; k < 2; k++) {
      double amp = k == 0 ? ampX : ampY;
      omega[k] = amp < 1 || spec.speed() == 0 ? 0 : Math.min(0.3, spec.speed() * (0.6 + 0.4 * rng.nextDouble()) / amp);
      phase[k] = rng.nextDouble() * 2 * Math.PI;
    }
  }

  public SceneSpec spec() {
    return scene.spec();
  }

  /** The target's exact rotated rectangle in frame {@code index} (angle in degrees, any value). */
  public RotatedBox truth(long index) {
    return new RotatedBox(midX + ampX * Math.sin(omega[0] * index + phase[0]),
        midY + ampY * Math.sin(omega[1] * index + phase[1]), length, thickness, angle0 + turnPerFrame * index);
  }

  /** The axis-aligned box of the target in frame {@code index} (what a box-only tracker is scored on). */
  public Box axisTruth(long index) {
    return truth(index).bounds();
  }

  /** Renders frame {@code index}: the scene, then the target on top. */
  public RgbImage frame(long index) {
    SceneFrame behind = scene.frame(index);
    byte[] px = behind.image().rgb();
    int w = spec().width();
    int h = spec().height();
    RotatedBox t = truth(index);
    double rad = Math.toRadians(t.angle());
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    Box b = t.bounds();
    int x0 = Math.max(0, (int) Math.floor(b.x()));
    int x1 = Math.min(w - 1, (int) Math.ceil(b.x() + b.width()));
    int y0 = Math.max(0, (int) Math.floor(b.y()));
    int y1 = Math.min(h - 1, (int) Math.ceil(b.y() + b.height()));
    double hl = length / 2;
    double ht = thickness / 2;
    float[] c = new float[3];
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x + 0.5 - t.cx();
        double dy = y + 0.5 - t.cy();
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        double inside = Math.min(hl - Math.abs(u), ht - Math.abs(v));
        if (inside < 0) {
          continue;
        }
        Patterns.colour(look, u, v, texturePhase, c);
        float grain = (float) ((Patterns.lattice((long) Math.floor(u), (long) Math.floor(v), look.noiseSeed()) - 0.5) * 14);
        float shade = inside < RIM ? 0.6f : 1f;
        int p = (y * w + x) * 3;
        for (int k = 0; k < 3; k++) {
          px[p + k] = (byte) Math.round(Patterns.clamp((c[k] + grain) * shade));
        }
      }
    }
    return new RgbImage(w, h, px);
  }

  /**
   * The target's ideal mask in crop space, as a segmentation network would output it for a crop
   * of side {@code side} centred at (cx, cy) resampled to size x size (the geometry of {@link
   * io.argus.models.image.Crops#cropAndResize}): 1 where a crop pixel's centre falls inside the
   * target's rectangle, 0 elsewhere; row-major.
   */
  public float[] cropMask(long index, double cx, double cy, double side, int size) {
    RotatedBox t = truth(index);
    double rad = Math.toRadians(t.angle());
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    float[] out = new float[size * size];
    double scale = side / size;
    for (int j = 0; j < size; j++) {
      double dy = cy - side / 2 + (j + 0.5) * scale - t.cy();
      for (int i = 0; i < size; i++) {
        double dx = cx - side / 2 + (i + 0.5) * scale - t.cx();
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        if (Math.abs(u) <= length / 2 && Math.abs(v) <= thickness / 2) {
          out[j * size + i] = 1;
        }
      }
    }
    return out;
  }
}
