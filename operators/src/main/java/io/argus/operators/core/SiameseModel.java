package io.argus.operators.core;

import io.argus.models.ModelSpec;
import java.util.Map;

/**
 * The network behind a tracker: the two batched signatures of the model contract
 * ({@link ModelSpec}). Implemented by {@code inference.SavedModelRunner}; faked only in unit tests
 * of the core.
 */
public interface SiameseModel extends AutoCloseable {

  ModelSpec spec();

  /**
   * Template branch.
   *
   * @param exemplars batch x exemplarSize x exemplarSize x 3 floats (HWC, RGB 0..255), exactly
   * @param batch number of exemplar crops, at least 1
   * @return batch x {@code spec().embeddingSize()} floats
   */
  float[] template(float[] exemplars, int batch);

  /**
   * Search branch and the family's head.
   *
   * @param embeddings batch x embeddingSize floats: one template embedding per search crop
   * @param instances batch x instanceSize x instanceSize x 3 floats (HWC, RGB 0..255), exactly
   * @param batch number of search crops, at least 1
   * @return the raw outputs by name ({@code spec().outputs()}), each batch x per-item size floats
   */
  Map<String, float[]> track(float[] embeddings, float[] instances, int batch);

  /**
   * The optional {@value ModelSpec#MASK} signature (SiamMask): the mask refined at one score-map
   * cell per search crop.
   *
   * @param embeddings batch x embeddingSize floats, as for {@link #track}
   * @param instances batch x instanceSize x instanceSize x 3 floats, as for {@link #track}
   * @param positions batch x 2: row and column of the chosen cell, each in 0 .. scoreSize - 1
   * @return batch x exemplarSize x exemplarSize mask probabilities
   * @throws UnsupportedOperationException when the model has no such signature
   */
  default float[] mask(float[] embeddings, float[] instances, int[] positions, int batch) {
    throw new UnsupportedOperationException("model '" + spec().name() + "' (" + spec().family() + ") has no '"
        + ModelSpec.MASK + "' signature: only segmenting families (siammask) refine masks");
  }

  /** Whether {@link #mask} works: the model has the {@value ModelSpec#MASK} signature. */
  default boolean hasMask() {
    return false;
  }

  @Override
  void close();
}
