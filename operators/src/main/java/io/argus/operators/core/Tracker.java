package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.Map;

/**
 * One tracker family's inference logic around the network (pysot's {@code tracker/} classes):
 * how to crop, and how to turn raw outputs into a box. Stateless and thread-safe: everything
 * about a target lives in {@link TargetState}; every constant comes from {@link #spec()}.
 */
public interface Tracker {

  ModelSpec spec();

  /** Writes the exemplar crop (context amount, mean-colour padding) for a target box into dst at offset. */
  void exemplar(RgbImage frame, Box box, float[] dst, int offset);

  /** The state of a target just started, given its template embedding. */
  /** A new target: centred on its box, score 1, nothing tracked yet. */
  default TargetState start(StartRequest request, float[] embedding, long frameSequence) {
    Box b = request.box();
    return new TargetState(request.targetId(), request.label(), b.cx(), b.cy(), b.width(), b.height(), 1f, embedding,
        frameSequence, 0, 0);
  }

  /** Search crops per target per frame: 3 for SiamFC (scale pyramid), 1 for NanoTrack/SiamRPN. */
  int searchCropsPerTarget();

  /** Writes {@link #searchCropsPerTarget()} instance crops for the target into dst at offset, one after the other. */
  void searchRegions(TargetState state, RgbImage frame, float[] dst, int offset);

  /**
   * Turns this target's raw outputs into the next state and box. The target's first search crop
   * is item {@code item} of every output; its crops are items item .. item + searchCropsPerTarget() - 1.
   */
  TrackStep locate(TargetState state, Map<String, float[]> outputs, int item, RgbImage frame, long frameSequence);

  /**
   * Rate η of the online template update (CFNet's {@code zLR}): after each frame in which a target
   * was tracked (not lost), its embedding becomes (1 − η) · embedding + η · template(exemplar crop
   * at the new box), computed by {@link BatchedTracking} with one extra batched {@code template}
   * call for all such targets. 0, the default, keeps the first frame's template (SiamFC, SiamRPN).
   */
  default double templateLearningRate() {
    return 0;
  }

  /**
   * The mask half of a family that segments (SiamMask), which {@link BatchedTracking} runs after
   * {@link #locate}; null, the default, for families that give boxes only.
   */
  default MaskRefinement maskRefinement() {
    return null;
  }
}
