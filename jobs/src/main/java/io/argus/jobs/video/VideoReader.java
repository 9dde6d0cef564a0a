package io.argus.jobs.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a video file frame by frame, in display order, with no native code: AVI files holding
 * MPEG-4 Part 2 (XviD, DivX 4/5, FFmpeg mpeg4; decoded by JCodec) or Motion JPEG (passed on as
 * JPEG). Anything else is refused with the codec's name and a conversion that works.
 *
 * <p>Sequential only: MPEG-4 frames depend on the frames before them, and B-frames on one after,
 * so starting again means opening a new reader.
 */
public final class VideoReader implements AutoCloseable {

  /** MPEG-4 Part 2 (Simple and Advanced Simple profile) fourccs, as FFmpeg's riff tables name them. */
  static final Set<String> MPEG4_PART2 = Set.of("XVID", "DIVX", "DX50", "FMP4", "MP4V", "MP4S", "M4S2", "3IV2",
      "XVIX", "RMP4", "UMP4", "SMP4", "DM4V", "HDX4", "BLZ0", "FFDS", "FVFW", "DCOD", "PM4V", "DXGM");
  static final Set<String> MOTION_JPEG = Set.of("MJPG", "AVRN", "DMB1", "JPGL", "MJPA", "JPEG");

  /** Codecs met in the wild that this reader cannot decode, for the error message. */
  private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
      Map.entry("DIV3", "DivX 3 / Microsoft MPEG-4 v3"), Map.entry("DIV4", "DivX 3 / Microsoft MPEG-4 v3"),
      Map.entry("DIV5", "DivX 3 / Microsoft MPEG-4 v3"), Map.entry("DIV6", "DivX 3 / Microsoft MPEG-4 v3"),
      Map.entry("MP43", "Microsoft MPEG-4 v3"), Map.entry("MPG3", "Microsoft MPEG-4 v3"),
      Map.entry("AP41", "Microsoft MPEG-4 v3"), Map.entry("COL1", "Microsoft MPEG-4 v3"),
      Map.entry("MP42", "Microsoft MPEG-4 v2"), Map.entry("DIV2", "Microsoft MPEG-4 v2"),
      Map.entry("MPG4", "Microsoft MPEG-4 v1"), Map.entry("MP41", "Microsoft MPEG-4 v1"),
      Map.entry("H264", "H.264"), Map.entry("X264", "H.264"), Map.entry("AVC1", "H.264"), Map.entry("DAVC", "H.264"),
      Map.entry("HEVC", "H.265"), Map.entry("H265", "H.265"), Map.entry("HVC1", "H.265"),
      Map.entry("WMV1", "Windows Media Video 7"), Map.entry("WMV2", "Windows Media Video 8"),
      Map.entry("WMV3", "Windows Media Video 9"), Map.entry("WVC1", "VC-1"),
      Map.entry("MPG1", "MPEG-1"), Map.entry("MPG2", "MPEG-2"), Map.entry("MPEG", "MPEG-1/2"),
      Map.entry("CVID", "Cinepak"), Map.entry("IV50", "Indeo 5"), Map.entry("IV41", "Indeo 4"),
      Map.entry("IV32", "Indeo 3"), Map.entry("MSVC", "Microsoft Video 1"), Map.entry("CRAM", "Microsoft Video 1"),
      Map.entry("DVSD", "DV"), Map.entry("HFYU", "HuffYUV"), Map.entry("FFV1", "FFV1"), Map.entry("VP80", "VP8"),
      Map.entry("VP90", "VP9"), Map.entry("", "uncompressed RGB"), Map.entry("DIB", "uncompressed RGB"),
      Map.entry("RGB", "uncompressed RGB"), Map.entry("I420", "uncompressed YUV"), Map.entry("YV12", "uncompressed YUV"),
      Map.entry("YUY2", "uncompressed YUV"));

  private final Path file;
  private final AviDemuxer demuxer;
  private final FrameDecoder decoder;
  private final VideoInfo info;
  private final ArrayDeque<VideoFrame> ready = new ArrayDeque<>();
  private final List<VideoFrame> batch = new ArrayList<>(4);
  private int nextChunk;
  private boolean flushed;
  private int position;

  private VideoReader(Path file, AviDemuxer demuxer, FrameDecoder decoder, VideoInfo info) {
    this.file = file;
    this.demuxer = demuxer;
    this.decoder = decoder;
    this.info = info;
  }

  /**
   * Opens a video and decodes its first frame, so an unreadable file fails here.
   *
   * @throws UnsupportedVideoException for a container or codec this reader cannot decode
   * @throws IllegalArgumentException for a file that is not there or not a video
   */
  public static VideoReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no video file at " + file.toAbsolutePath());
    }
    if (!AviDemuxer.isAvi(file)) {
      throw new UnsupportedVideoException(file.getFileName() + " is not an AVI file; videos are read from AVI "
          + "(MPEG-4 Part 2 or Motion JPEG). " + conversionHint(file));
    }
    AviDemuxer demuxer = AviDemuxer.open(file);
    try {
      AviDemuxer.Header h = demuxer.header();
      String fourcc = h.fourcc().toUpperCase(Locale.ROOT);
      FrameDecoder decoder;
      if (MPEG4_PART2.contains(fourcc)) {
        decoder = new Mpeg4Part2Decoder(h.width(), h.height());
      } else if (MOTION_JPEG.contains(fourcc)) {
        decoder = new MotionJpegDecoder();
      } else {
        throw unsupported(file, h.fourcc());
      }
      VideoInfo info = new VideoInfo(h.fourcc(), h.width(), h.height(), h.fps(), demuxer.frameCount());
      VideoReader reader = new VideoReader(file, demuxer, decoder, info);
      if (!reader.fill()) {
        throw new IllegalArgumentException(file.getFileName() + ": no frame of its " + h.fourcc()
            + " video could be decoded; the file is damaged or not what its header says. " + conversionHint(file));
      }
      return reader;
    } catch (RuntimeException e) {
      demuxer.close();
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  public VideoInfo info() {
    return info;
  }

  /** Index of the frame {@link #next()} returns. */
  public int position() {
    return position;
  }

  /** The next frame in display order, or null after the last. */
  public VideoFrame next() {
    if (position >= info.frames() || !fill()) {
      return null;
    }
    position++;
    return ready.poll();
  }

  /** Decodes chunks until a frame is ready or the stream ends; false when there is none left. */
  private boolean fill() {
    while (ready.isEmpty()) {
      if (nextChunk < demuxer.frameCount()) {
        decoder.decode(demuxer.frame(nextChunk++), batch);
      } else if (!flushed) {
        decoder.flush(batch);
        flushed = true;
      } else {
        return false;
      }
      ready.addAll(batch);
      batch.clear();
    }
    return true;
  }

  @Override
  public void close() {
    demuxer.close();
  }

  static UnsupportedVideoException unsupported(Path file, String fourcc) {
    String name = UNSUPPORTED.get(fourcc.trim().toUpperCase(Locale.ROOT));
    return new UnsupportedVideoException(file.getFileName() + ": video codec '" + fourcc + "'"
        + (name == null ? "" : " (" + name + ")") + " is not supported. Supported in AVI: MPEG-4 Part 2 "
        + "(XVID, DIVX, DX50, FMP4, MP4V, ...) and Motion JPEG (MJPG). " + conversionHint(file));
  }

  private static String conversionHint(Path file) {
    String name = file.getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return "Convert it to a directory of JPEGs with `mkdir " + stem + " && ffmpeg -i " + name + " " + stem + "/%06d.jpg` and use --images "
        + stem + ", or re-encode it with `ffmpeg -i " + name + " -c:v mpeg4 -q:v 2 " + stem + "-mpeg4.avi`.";
  }
}
