package io.argus.jobs.video;

import io.argus.models.data.ImageEncoding;
import io.argus.models.image.RgbImage;

/**
 * One frame of a video in display order: decoded pixels, or, for Motion JPEG, the camera's own JPEG
 * (passed on as it is: decoding and re-encoding it would only lose quality and time).
 */
public final class VideoFrame {

  private final RgbImage pixels;
  private final byte[] jpeg;

  private VideoFrame(RgbImage pixels, byte[] jpeg) {
    this.pixels = pixels;
    this.jpeg = jpeg;
  }

  static VideoFrame ofPixels(RgbImage pixels) {
    return new VideoFrame(pixels, null);
  }

  static VideoFrame ofJpeg(byte[] jpeg) {
    return new VideoFrame(null, jpeg);
  }

  /** The pixels (a JPEG frame is decoded on each call). */
  public RgbImage image() {
    return pixels != null ? pixels : RgbImage.decode(jpeg);
  }

  /** JPEG bytes: the original ones where the video is Motion JPEG, else the pixels encoded at this quality. */
  public byte[] jpeg(float quality) {
    return jpeg != null ? jpeg : ImageEncoding.jpeg(pixels, quality);
  }

  /** True when {@link #jpeg(float)} returns the video's own bytes. */
  public boolean isOriginalJpeg() {
    return jpeg != null;
  }
}
