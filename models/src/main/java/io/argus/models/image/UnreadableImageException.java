package io.argus.models.image;

/** Bytes that do not decode to an image; the message says why, for the dead-letter record. */
public final class UnreadableImageException extends IllegalArgumentException {
  public UnreadableImageException(String message) {
    super(message);
  }
}
