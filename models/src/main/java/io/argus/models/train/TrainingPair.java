package io.argus.models.train;

/**
 * One SiamFC training example: an exemplar crop and a search crop of the same object.
 *
 * @param exemplar exemplarSize x exemplarSize x 3 floats, RGB 0..255, HWC, target centred
 * @param instance instanceSize x instanceSize x 3 floats, RGB 0..255, HWC
 * @param offsetX where the target centre lies in the search crop, in crop pixels, relative to
 *     the crop centre (0 when centred); the label map is shifted by it
 * @param offsetY as offsetX, vertically
 */
public record TrainingPair(float[] exemplar, float[] instance, float offsetX, float offsetY) {}
