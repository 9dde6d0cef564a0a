package io.argus.jobs.feed;

/** Frames of one camera, by index: a generated scene or a directory of images. */
public interface CameraFeed {

  String cameraId();

  /** Number of distinct frames; a looping publisher starts again after the last. */
  long length();

  FeedFrame frame(long index);
}
