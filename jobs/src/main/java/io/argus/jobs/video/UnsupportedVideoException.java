package io.argus.jobs.video;

/** A video this project cannot decode; the message names the codec, what is supported and how to convert. */
public final class UnsupportedVideoException extends IllegalArgumentException {

  public UnsupportedVideoException(String message) {
    super(message);
  }
}
