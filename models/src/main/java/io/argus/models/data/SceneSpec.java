package io.argus.models.data;

/**
 * What a {@link SyntheticScene} shows. Two scenes with equal specs render identical footage.
 *
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param objects number of moving textured objects (1..64)
 * @param seed everything random in the scene (textures, paths, z-order, noise) follows from it
 * @param objectSize typical object height as a fraction of min(width, height) (0.02..0.8)
 * @param speed typical peak object speed in pixels per frame (0 = still)
 * @param scaleChange amplitude of the log-scale oscillation of each object (0 = constant size;
 *     0.3 means sizes between about 0.74x and 1.35x); also drives a smaller aspect deformation
 * @param rotation amplitude in radians of the in-plane rotation of each object's texture
 *     (the outline stays axis-aligned so the ground-truth box is exact)
 * @param occlusion true: objects roam the whole frame and pass over each other (fixed
 *     z-order); false: each object keeps to its own cell of a grid and never overlaps another
 * @param background the procedural texture behind the objects
 * @param noise standard deviation of the per-pixel sensor noise in grey levels (0 = none)
 * @param lighting amplitude of the global and per-object brightness changes (0 = constant)
 * @param blur true applies a 3x3 box blur to every frame (defocus)
 * @param kinds number of distinct object kinds (texture pattern, palette, outline); objects of
 *     one kind look alike and are each other's distractors; 0 = ceil(objects / 2), so every
 *     object has a look-alike when there are at least two
 */
public record SceneSpec(
    int width,
    int height,
    int objects,
    long seed,
    double objectSize,
    double speed,
    double scaleChange,
    double rotation,
    boolean occlusion,
    Background background,
    double noise,
    double lighting,
    boolean blur,
    int kinds) {

  /** Procedural backgrounds, from easy to hard. */
  public enum Background {
    /** One colour with a soft gradient. */
    FLAT,
    /** Soft stripes and tiles in two colours. */
    STRIPES,
    /** Multi-octave coloured value noise (foliage, gravel). */
    NOISE,
    /** Noise plus static small shapes painted with the objects' own patterns: hard negatives. */
    CLUTTER
  }

  public SceneSpec {
    if (width < 32 || height < 32 || width > 8192 || height > 8192) {
      throw new IllegalArgumentException("scene size must be 32..8192 pixels a side, got " + width + "x" + height);
    }
    if (objects < 1 || objects > 64) {
      throw new IllegalArgumentException("a scene holds 1..64 objects, got " + objects);
    }
    if (!(objectSize >= 0.02 && objectSize <= 0.8)) {
      throw new IllegalArgumentException("objectSize is a fraction of the frame's shorter side in 0.02..0.8, got " + objectSize);
    }
    requireRange("speed", speed, 0, 100);
    requireRange("scaleChange", scaleChange, 0, 1);
    requireRange("rotation", rotation, 0, Math.PI);
    requireRange("noise", noise, 0, 64);
    requireRange("lighting", lighting, 0, 0.9);
    if (background == null) {
      throw new IllegalArgumentException("background must be one of FLAT, STRIPES, NOISE, CLUTTER");
    }
    if (kinds < 0 || kinds > objects) {
      throw new IllegalArgumentException("kinds must be 0 (automatic) or 1.." + objects + ", got " + kinds);
    }
  }

  /** A moderately hard scene: look-alike objects that move, scale, occlude, under changing light. */
  public static SceneSpec of(int width, int height, int objects, long seed) {
    return new SceneSpec(width, height, objects, seed, 0.2, 2.0, 0.25, 0.3, true, Background.NOISE, 3.0, 0.15, false, 0);
  }

  /** The number of kinds actually used (resolves the automatic 0). */
  public int effectiveKinds() {
    return kinds == 0 ? (objects + 1) / 2 : kinds;
  }

  public SceneSpec withSize(int w, int h) {
    return new SceneSpec(w, h, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withObjects(int n) {
    return new SceneSpec(width, height, n, seed, objectSize, speed, scaleChange, rotation, occlusion, background, noise, lighting, blur,
        Math.min(kinds, n));
  }

  public SceneSpec withSeed(long s) {
    return new SceneSpec(width, height, objects, s, objectSize, speed, scaleChange, rotation, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withObjectSize(double v) {
    return new SceneSpec(width, height, objects, seed, v, speed, scaleChange, rotation, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withSpeed(double v) {
    return new SceneSpec(width, height, objects, seed, objectSize, v, scaleChange, rotation, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withScaleChange(double v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, v, rotation, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withRotation(double v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, v, occlusion, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withOcclusion(boolean v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, v, background, noise, lighting, blur, kinds);
  }

  public SceneSpec withBackground(Background v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, v, noise, lighting, blur, kinds);
  }

  public SceneSpec withNoise(double v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, background, v, lighting, blur, kinds);
  }

  public SceneSpec withLighting(double v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, background, noise, v, blur, kinds);
  }

  public SceneSpec withBlur(boolean v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, background, noise, lighting, v, kinds);
  }

  public SceneSpec withKinds(int v) {
    return new SceneSpec(width, height, objects, seed, objectSize, speed, scaleChange, rotation, occlusion, background, noise, lighting, blur, v);
  }

  private static void requireRange(String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
    }
  }
}
