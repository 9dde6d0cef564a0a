package io.argus.jobs.video;

import java.util.List;

/**
 * Turns a video stream's chunks, in file order, into frames in display order. A decoder may hold
 * frames back (B-frames are stored after the frame they are shown before), but over the whole
 * stream it gives exactly one frame per chunk, so frame i of a video is the i-th frame the camera
 * took and ground truth lines up with it: a chunk that decodes to nothing (a dropped frame, a
 * not-coded VOP, a damaged chunk) repeats the frame before it.
 */
interface FrameDecoder {

  /** Decodes one chunk and appends the frames that are now due. */
  void decode(byte[] chunk, List<VideoFrame> out);

  /** Appends the frames still held back, at the end of the stream. */
  void flush(List<VideoFrame> out);
}
