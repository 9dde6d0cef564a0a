package io.argus.operators.flink;

/**
 * A camera frame as it travels through the job and sits in the per-camera frame buffer: still
 * encoded (a JPEG is ~20x smaller than its pixels), decoded once where it is used.
 *
 * @param source where it came from ("topic/partition@offset"), for dead letters
 */
public record FrameEvent(
    String cameraId,
    long sequence,
    long captureTimeMs,
    String encoding,
    int width,
    int height,
    byte[] data,
    String source) {}
