/**
 * The tracking core: what a Siamese tracker does around its network, in plain Java with no
 * Flink or Kafka, shared by the streaming operator, {@code evaluate} and the benchmarks.
 *
 * <p>Conventions: boxes and centres are 0-based frame pixels in which pixel i covers [i, i+1);
 * crops are HWC RGB floats 0..255; maps are row-major. Per frame, {@link
 * io.argus.operators.core.BatchedTracking} crops every target, makes one batched call of the
 * {@link io.argus.operators.core.SiameseModel}, and lets the family's {@link
 * io.argus.operators.core.Tracker} turn each target's slice of the outputs into a {@link
 * io.argus.operators.core.TrackStep}. All constants come from the model's metadata; {@link
 * io.argus.operators.core.Trackers} maps a model family to its tracker.
 *
 * <p>Families: {@link io.argus.operators.core.SiamFcTracker} (siamfc, cfnet) and {@link
 * io.argus.operators.core.NanoTrackTracker} (nanotrack, anchor-free classification + box maps).
 *
 * <p>Small reusable pieces for the other families: {@link io.argus.operators.core.SearchRegion}
 * (crop geometry), {@link io.argus.operators.core.CosineWindow} (Hann window), {@link
 * io.argus.operators.core.Bicubic} (OpenCV-compatible upsampling), {@link
 * io.argus.operators.core.ScalePyramid} (SiamFC scale penalty), {@link
 * io.argus.operators.core.ShapeChangePenalty} (pysot size/ratio penalty), {@link
 * io.argus.operators.core.FrameClip} (pysot box clipping).
 */
package io.argus.operators.core;
