package io.argus.models.nanotrack;

/**
 * The channel order the NanoTrack network is fed. The model's input is always RGB 0..255; for
 * {@link #BGR} the graph flips the channels before the backbone.
 *
 * <p>The two references disagree. OpenCV's TrackerNano converts its BGR frame with
 * {@code blobFromImage(crop, 1.0, Size(), Scalar(), swapRB = true)}, and the author's ncnn demo
 * with {@code PIXEL_BGR2RGB}: the network sees RGB, 0..255, no mean or scale. The pysot-style
 * Python tracker of the training repository feeds the BGR crop as is.
 */
public enum NetworkInput {
  /** As OpenCV TrackerNano and the ncnn demo: no flip (the default, the reference of STACK.md's figures). */
  RGB,
  /** As the Python (pysot) tracker: channels flipped inside the graph. */
  BGR
}
