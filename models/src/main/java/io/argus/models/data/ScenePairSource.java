package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.train.PairSource;
import io.argus.models.train.TrainingPair;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Training pairs cut from generated scenes, biased towards hard ones: among several candidate
 * (object, frame, gap) triples the hardest is kept most of the time, where hard means a
 * look-alike close to the target in the search frame, a large scale change between the two
 * frames, or the target partly covered. An untrained Siamese network already matches an object
 * whose appearance does not change; these pairs carry what it must learn to ignore.
 *
 * <p>Scenes come from a pool of lazily built, randomly configured scenes (sizes, speeds,
 * backgrounds, noise, light, blur vary from scene to scene); a scene costs ~0.2 s to build and
 * ~0.5 MB to keep, a pair ~2 ms of rendering plus the crops.
 */
public final class ScenePairSource implements PairSource {

  private static final int CANDIDATES = 6;
  private static final double HARD_FRACTION = 0.75;
  private static final long FRAMES = 1_000_000;

  private final long seed;
  private final int maxGap;
  private final PairSettings settings;
  private final AtomicReferenceArray<SyntheticScene> pool;

  /**
   * @param seed seeds every scene of the pool
   * @param scenes pool size (distinct scenes); 64 keeps ~32 MB
   * @param maxGap largest frame distance between exemplar and search frame (~30)
   */
  public ScenePairSource(long seed, int scenes, int maxGap, PairSettings settings) {
    if (scenes < 1 || maxGap < 1) {
      throw new IllegalArgumentException("need at least one scene and maxGap >= 1, got " + scenes + ", " + maxGap);
    }
    this.seed = seed;
    this.maxGap = maxGap;
    this.settings = settings;
    this.pool = new AtomicReferenceArray<>(scenes);
  }

  /** 64 scenes, gaps up to 30 frames, SiamFC crops. */
  public static ScenePairSource hard(long seed) {
    return new ScenePairSource(seed, 64, 30, PairSettings.siamfc());
  }

  /** The random scene configuration used for pool entry {@code k} of a source seeded {@code seed}. */
  public static SceneSpec trainingSpec(long sceneSeed) {
    SplittableRandom r = new SplittableRandom(sceneSeed);
    int objects = 4 + r.nextInt(6);
    SceneSpec.Background[] bgs = SceneSpec.Background.values();
    double pick = r.nextDouble();
    SceneSpec.Background bg = pick < 0.1 ? bgs[0] : pick < 0.3 ? bgs[1] : pick < 0.6 ? bgs[2] : bgs[3];
    return new SceneSpec(480, 360, objects, r.nextLong(),
        0.12 + 0.18 * r.nextDouble(), // object size
        1 + 4 * r.nextDouble(), // speed
        0.1 + 0.3 * r.nextDouble(), // scale change
        0.5 * r.nextDouble(), // texture turn
        r.nextDouble() < 0.85, // occlusion
        bg,
        8 * r.nextDouble(), // noise
        0.3 * r.nextDouble(), // lighting
        r.nextDouble() < 0.3, // blur
        Math.max(1, objects / 3)); // three look-alikes per kind
  }

  @Override
  public TrainingPair next(SplittableRandom rng) {
    for (int attempt = 0; ; attempt++) {
      SyntheticScene scene = scene(rng.nextInt(pool.length()));
      Candidate c = choose(scene, rng);
      if (c == null) {
        continue;
      }
      SceneFrame z = scene.frame(c.exemplarFrame);
      SceneFrame x = scene.frame(c.searchFrame);
      // the exemplar must show the target; the search frame may hide up to 70% of it
      if (attempt < 20 && (z.visibility().get(c.object) < 0.6 || x.visibility().get(c.object) < 0.3)) {
        continue;
      }
      return SiamesePairs.cut(z.image(), z.truths().get(c.object), x.image(), x.truths().get(c.object), settings, rng);
    }
  }

  private record Candidate(int object, long exemplarFrame, long searchFrame, double hardness) {}

  private Candidate choose(SyntheticScene scene, SplittableRandom rng) {
    Candidate first = null;
    Candidate hardest = null;
    for (int k = 0; k < CANDIDATES; k++) {
      int object = rng.nextInt(scene.objectCount());
      long t = rng.nextLong(FRAMES);
      int gap = 1 + rng.nextInt(maxGap);
      long t2 = rng.nextBoolean() ? t + gap : t - gap;
      Box z = scene.truth(object, t);
      Box x = scene.truth(object, t2);
      if (z.width() < 8 || z.height() < 8 || x.width() < 8 || x.height() < 8) {
        continue;
      }
      Candidate c = new Candidate(object, t, t2, hardness(scene, object, t2, z, x));
      if (first == null) {
        first = c;
      }
      if (hardest == null || c.hardness > hardest.hardness) {
        hardest = c;
      }
    }
    return rng.nextDouble() < HARD_FRACTION ? hardest : first;
  }

  /** 0..~2: look-alike near the target in the search frame, scale change, cover by others. */
  private double hardness(SyntheticScene scene, int object, long t2, Box z, Box x) {
    double searchRadius = io.argus.models.image.Crops.contextSide(x.width(), x.height(), settings.context())
        * settings.instanceSize() / settings.exemplarSize() / 2;
    double distractor = 0;
    double cover = 0;
    for (int j = 0; j < scene.objectCount(); j++) {
      if (j == object) {
        continue;
      }
      Box other = scene.truth(j, t2);
      if (scene.kindOf(j) == scene.kindOf(object)) {
        distractor = Math.max(distractor, 1 - Math.min(1, x.centreDistance(other) / searchRadius));
      }
      if (scene.inFront(j, object)) {
        cover += intersection(x, other) / x.area();
      }
    }
    double scale = Math.abs(Math.log(x.area() / z.area())) / Math.log(2);
    return distractor + 0.5 * Math.min(1, scale) + 0.5 * Math.min(0.7, cover);
  }

  private static double intersection(Box a, Box b) {
    double ix = Math.max(0, Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x()));
    double iy = Math.max(0, Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y()));
    return ix * iy;
  }

  private SyntheticScene scene(int k) {
    SyntheticScene s = pool.get(k);
    if (s == null) {
      // two threads may build the same scene; both builds are identical, one wins
      pool.compareAndSet(k, null, new SyntheticScene(trainingSpec(Patterns.mix64(seed * 1_000_003L + k))));
      s = pool.get(k);
    }
    return s;
  }
}
