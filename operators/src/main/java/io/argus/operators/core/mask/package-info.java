/**
 * Masks and rotated boxes of the mask-producing trackers (SiamMask): paste-back of a crop-space
 * mask into the frame ({@link io.argus.operators.core.mask.MaskOutline}), the minimum-area
 * rectangle ({@link io.argus.operators.core.mask.MinAreaRect}) and COCO run-length masks ({@link
 * io.argus.operators.core.mask.RleMask}). Plain Java, no Flink, no TensorFlow.
 */
package io.argus.operators.core.mask;
