package io.argus.jobs.render;

import io.argus.jobs.video.Yuv;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.VideoEncoder.EncodedFrame;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * Writes frames as an H.264 MP4 with JCodec's pure-Java encoder (baseline profile, an IDR frame
 * every 25 frames, constant frame rate). The frame size is fixed by the first frame.
 *
 * <p>Colour goes in as BT.601 studio range, which is what players assume for a stream without a
 * colour description; JCodec's own RGB path writes full-range samples into such a stream, and
 * the video plays back with crushed blacks and whites.
 */
public final class H264Mp4Writer implements AutoCloseable {

  static final int MOTION_SEARCH_RANGE = 8;

  private final Path file;
  private final FileChannelWrapper channel;
  private final MP4Muxer muxer;
  private final H264Encoder encoder = H264Encoder.createH264Encoder();
  private final int timescale;
  private final int frameDuration;
  private MuxerTrack track;
  private ByteBuffer out;
  private int width;
  private int height;
  private long frames;
  private boolean closed;

  private H264Mp4Writer(Path file, FileChannelWrapper channel, MP4Muxer muxer, int timescale, int frameDuration,
      int searchRange) {
    this.file = file;
    this.channel = channel;
    this.muxer = muxer;
    this.timescale = timescale;
    this.frameDuration = frameDuration;
    // JCodec searches motion exhaustively: at its default of 16 pixels the search is most of the
    // encoding time; 8 is about twice as fast for 15% more bytes on tracked camera footage
    encoder.setMotionSearchRange(searchRange);
  }

  /** @param fps frames per second (fractional rates such as 29.97 are kept to 1/1000) */
  public static H264Mp4Writer create(Path file, double fps) {
    return create(file, fps, MOTION_SEARCH_RANGE);
  }

  /** @param searchRange motion search range in pixels (benchmarks compare them) */
  static H264Mp4Writer create(Path file, double fps, int searchRange) {
    if (!(fps > 0 && fps <= 1000)) {
      throw new IllegalArgumentException("video frame rate must be in (0, 1000] fps, got " + fps);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannelWrapper ch = NIOUtils.writableChannel(file.toFile());
      boolean whole = Math.abs(fps - Math.rint(fps)) < 1e-9;
      int timescale = whole ? (int) Math.rint(fps) : (int) Math.rint(fps * 1000);
      int duration = whole ? 1 : 1000;
      return new H264Mp4Writer(file, ch, MP4Muxer.createMP4MuxerToChannel(ch), timescale, duration, searchRange);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  public long frames() {
    return frames;
  }

  /** Appends one frame; it must have the size of the first. */
  public void write(BufferedImage image) {
    int[] rgb;
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt ints && ints.getNumBanks() == 1
        && image.getRaster().getWidth() == image.getWidth()) {
      rgb = ints.getData();
    } else {
      rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
    write(rgb, image.getWidth(), image.getHeight());
  }

  /** Appends one frame of packed 0xRRGGBB pixels, row-major. */
  public void write(int[] rgb, int w, int h) {
    if (closed) {
      throw new IllegalStateException(file + " is already closed");
    }
    if (track == null) {
      width = w;
      height = h;
      track = muxer.addVideoTrack(Codec.H264, VideoCodecMeta.createSimpleVideoCodecMeta(new Size(w, h),
          ColorSpace.YUV420J));
    } else if (w != width || h != height) {
      throw new IllegalArgumentException(file + " holds " + width + "x" + height + " frames; got one of " + w + "x" + h);
    }
    Picture picture = Yuv.fromRgb(rgb, w, h);
    if (out == null) {
      out = ByteBuffer.allocate(Math.max(1 << 16, picture.getWidth() * picture.getHeight() * 3));
    }
    out.clear();
    EncodedFrame encoded = encoder.encodeFrame(picture, out);
    ByteBuffer data = encoded.getData();
    ByteBuffer copy = ByteBuffer.allocate(data.remaining()); // the muxer keeps the packet until it writes it
    copy.put(data).flip();
    Packet packet = Packet.createPacket(copy, frames * frameDuration, timescale, frameDuration, frames,
        encoded.isKeyFrame() ? Packet.FrameType.KEY : Packet.FrameType.INTER, null);
    try {
      track.addFrame(packet);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    frames++;
  }

  /** Writes the MP4 index; a file with no frames is removed rather than left unplayable. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (track != null) {
        muxer.finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + file, e);
    } finally {
      NIOUtils.closeQuietly(channel);
      if (track == null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // an empty file left behind is harmless
        }
      }
    }
  }
}
