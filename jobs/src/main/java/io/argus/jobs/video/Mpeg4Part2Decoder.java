package io.argus.jobs.video;

import io.argus.models.image.RgbImage;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.mpeg4.MPEG4Decoder;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.model.Picture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MPEG-4 Part 2 (XviD, DivX 4/5, FFmpeg's mpeg4) with JCodec's decoder, plus what the AVI storage of
 * that codec needs on top of a bare decoder:
 *
 * <ul>
 *   <li>one chunk may hold two VOPs ("packed bitstream": DivX/XviD put a P-frame and the B-frame
 *       shown before it in one chunk, followed later by a placeholder chunk); each VOP is decoded
 *       on its own;
 *   <li>B-frames come after the reference frame they are shown before, so a decoded reference
 *       frame is held back until the next one arrives (one frame of delay) and B-frames go out at
 *       once; this restores display order with or without B-frames;
 *   <li>a not-coded VOP, an empty chunk or a VOP the decoder rejects produce nothing; when that
 *       leaves the output more than one frame behind the chunks, the latest frame is repeated, so
 *       frame i is still the i-th frame the camera took. Packed placeholders never trigger it.
 * </ul>
 */
final class Mpeg4Part2Decoder implements FrameDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(Mpeg4Part2Decoder.class);
  private static final int VOP_START = 0xB6;
  private static final int B_VOP = 2;

  private final MPEG4Decoder decoder = new MPEG4Decoder();
  private int width;
  private int height;
  private boolean sizeChecked;
  private RgbImage pending;
  private RgbImage lastOut;
  private long chunks;
  private long emitted;
  private long failures;

  /** @param width the frame width the container declares (the VOL header, where it differs, wins) */
  Mpeg4Part2Decoder(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("MPEG-4 video needs a frame size in its header, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  @Override
  public void decode(byte[] chunk, List<VideoFrame> out) {
    chunks++;
    int[] vops = vopStarts(chunk);
    for (int v = 0; v < vops.length; v++) {
      int from = v == 0 ? 0 : vops[v]; // headers before the first VOP (VOL, user data) go with it
      int to = v + 1 < vops.length ? vops[v + 1] : chunk.length;
      boolean bFrame = vops[v] + 4 < chunk.length && ((chunk[vops[v] + 4] & 0xff) >> 6) == B_VOP;
      RgbImage image = decodeVop(ByteBuffer.wrap(chunk, from, to - from).slice());
      if (image == null) {
        continue;
      }
      if (bFrame) {
        emit(image, out);
      } else {
        if (pending != null) {
          emit(pending, out);
        }
        pending = image;
      }
    }
    // one frame behind is the reorder delay; further behind means a frame decoded to nothing
    while (emitted < chunks - 1 && (pending != null || lastOut != null)) {
      emit(pending != null ? pending : lastOut, out);
    }
  }

  @Override
  public void flush(List<VideoFrame> out) {
    if (pending != null) {
      emit(pending, out);
      pending = null;
    }
    while (emitted < chunks && lastOut != null) {
      emit(lastOut, out);
    }
    if (failures > 0) {
      LOG.warn("{} of {} MPEG-4 frames could not be decoded and repeat the frame before them", failures, chunks);
    }
  }

  private void emit(RgbImage image, List<VideoFrame> out) {
    out.add(VideoFrame.ofPixels(image));
    lastOut = image;
    emitted++;
  }

  private RgbImage decodeVop(ByteBuffer vop) {
    try {
      if (!sizeChecked) {
        // the VOL header is the authority on the size; AVI headers have been seen to disagree
        VideoCodecMeta meta = decoder.getCodecMeta(vop.duplicate());
        if (meta != null) {
          sizeChecked = true;
          if (meta.getSize().getWidth() != width || meta.getSize().getHeight() != height) {
            LOG.warn("the AVI header says {}x{}, the MPEG-4 stream {}x{}; using the stream's", width, height,
                meta.getSize().getWidth(), meta.getSize().getHeight());
            width = meta.getSize().getWidth();
            height = meta.getSize().getHeight();
          }
        }
      }
      // a fresh buffer per VOP: the decoder keeps the two last reference pictures inside the buffers it was given
      int mbw = (width + 15) >> 4;
      int mbh = (height + 15) >> 4;
      byte[][] buffer = {new byte[mbw * mbh * 256], new byte[mbw * mbh * 64], new byte[mbw * mbh * 64]};
      Picture p = decoder.decodeFrame(vop, buffer);
      return p == null ? null : Yuv.toRgb(p);
    } catch (RuntimeException e) {
      if (failures++ == 0) {
        LOG.warn("MPEG-4 frame {} could not be decoded ({}); repeating the frame before it", chunks - 1, e.toString());
      }
      return null;
    }
  }

  /** Offsets of the VOP start codes (00 00 01 B6) in a chunk. */
  static int[] vopStarts(byte[] b) {
    int[] found = new int[2];
    int n = 0;
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xff) == VOP_START) {
        if (n == found.length) {
          found = java.util.Arrays.copyOf(found, n * 2);
        }
        found[n++] = i;
        i += 3;
      }
    }
    return java.util.Arrays.copyOf(found, n);
  }
}
