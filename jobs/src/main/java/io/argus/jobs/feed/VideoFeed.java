package io.argus.jobs.feed;

import io.argus.jobs.video.VideoFrame;
import io.argus.jobs.video.VideoInfo;
import io.argus.jobs.video.VideoReader;
import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.schemas.proto.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera that replays a video file (see {@link VideoReader} for the formats), JPEG-encoded like
 * a real camera; a Motion JPEG video's own JPEGs go out unchanged.
 *
 * <p>Frames are decoded once, in order, by a background thread that stays up to {@value #AHEAD}
 * frames ahead of the last frame asked for (fewer if the budget is small), and kept encoded in memory up to a budget (256 MB by
 * default: about 6000 frames of 480x360). A clip that fits is decoded exactly once, however often
 * it loops and however often {@code argus local} looks a frame up again. A longer video keeps its
 * most recently used frames; asking for one that is gone re-opens the file and decodes from the
 * start, because an MPEG-4 frame can only be rebuilt from the frames before it (and, with
 * B-frames, one after). Looping therefore costs one pass of decoding per loop for long videos and
 * nothing for short ones.
 *
 * <p>Ground truth: an OTB-style {@code <name>.groundtruth_rect.txt} beside {@code <name>.avi}
 * (1-based x,y,w,h per line, one line per frame) is attached to the frames, so {@code argus local
 * --video} can start a target on frame 0 and score IoU.
 */
public final class VideoFeed implements CameraFeed, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VideoFeed.class);

  public static final long DEFAULT_CACHE_BYTES = 256L << 20;
  static final int AHEAD = 16;
  static final float JPEG_QUALITY = 0.9f;

  private final String cameraId;
  private final Path file;
  private final VideoInfo info;
  private final int width;
  private final int height;
  private final List<Box> truths;
  private final Path truthFile;
  private final long budget;
  private int ahead = AHEAD;

  private final LinkedHashMap<Integer, FeedFrame> cache = new LinkedHashMap<>(64, 0.75f, true); // guarded by cache
  private long cachedBytes; // guarded by cache
  private boolean everEvicted; // guarded by cache

  private final Object decodeLock = new Object();
  private VideoReader reader; // guarded by decodeLock; null once every frame is cached
  private volatile int nextToDecode;
  private volatile int wanted;
  private volatile boolean closed;
  private final Object signal = new Object();
  private final Thread prefetcher;

  private VideoFeed(String cameraId, Path file, VideoReader reader, RgbImage first, List<Box> truths,
      Path truthFile, long budget) {
    this.cameraId = cameraId;
    this.file = file;
    this.reader = reader;
    this.info = reader.info();
    this.width = first.width();
    this.height = first.height();
    this.truths = List.copyOf(truths);
    this.truthFile = truthFile;
    this.budget = budget;
    this.prefetcher = new Thread(this::prefetch, "video-" + cameraId);
    this.prefetcher.setDaemon(true);
  }

  /** Opens a video as a camera with the default frame budget; fails at once on an unsupported or unreadable file. */
  public static VideoFeed open(String cameraId, Path file) {
    return open(cameraId, file, DEFAULT_CACHE_BYTES);
  }

  /** @param cacheBytes how many bytes of encoded frames to keep in memory */
  public static VideoFeed open(String cameraId, Path file, long cacheBytes) {
    Path truthFile = truthFileFor(file);
    List<Box> truths = Files.isRegularFile(truthFile) ? Sequence.readBoxes(truthFile) : List.of();
    VideoReader reader = VideoReader.open(file);
    VideoFeed feed;
    try {
      VideoFrame first = reader.next();
      feed = new VideoFeed(cameraId, file, reader, first.image(), truths, Files.isRegularFile(truthFile) ? truthFile
          : null, cacheBytes);
      FeedFrame f0 = feed.toFeedFrame(0, first);
      feed.put(0, f0);
      feed.nextToDecode = 1;
      // decoding ahead must not push out the frames it decoded before they are asked for
      feed.ahead = (int) Math.max(0, Math.min(AHEAD, cacheBytes / (2L * Math.max(1, f0.encoded().length)) - 1));
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    if (!truths.isEmpty() && truths.size() != feed.info.frames()) {
      LOG.warn("{}: {} frames but {} ground-truth lines in {}; frames past the last line have no truth",
          file.getFileName(), feed.info.frames(), truths.size(), truthFile.getFileName());
    }
    feed.prefetcher.start();
    return feed;
  }

  /** {@code dir/bag.avi} → {@code dir/bag.groundtruth_rect.txt}. */
  public static Path truthFileFor(Path video) {
    String name = video.getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return video.resolveSibling(stem + ".groundtruth_rect.txt");
  }

  public VideoInfo info() {
    return info;
  }

  public Path file() {
    return file;
  }

  /** The ground-truth file in use, or null when the video has none. */
  public Path truthFile() {
    return truthFile;
  }

  /** One 0-based box per annotated frame (possibly fewer than the frames, possibly invalid where the target is absent). */
  public List<Box> groundTruth() {
    return truths;
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  @Override
  public long length() {
    return info.frames();
  }

  @Override
  public FeedFrame frame(long index) {
    if (index < 0 || index >= info.frames()) {
      throw new IndexOutOfBoundsException(file.getFileName() + " has frames 0.." + (info.frames() - 1) + ", not " + index);
    }
    int i = (int) index;
    wanted = i;
    synchronized (signal) {
      signal.notifyAll();
    }
    FeedFrame f = cached(i);
    if (f != null) {
      return f;
    }
    synchronized (decodeLock) {
      f = cached(i);
      return f != null ? f : decodeThrough(i);
    }
  }

  /** Decodes forward to frame i (from the start when i lies behind the reader), caching what it passes. */
  private FeedFrame decodeThrough(int i) {
    if (reader == null || reader.position() > i) {
      if (reader != null) {
        reader.close();
      }
      reader = VideoReader.open(file);
    }
    FeedFrame f = null;
    while (reader.position() <= i) {
      f = decodeNext();
    }
    return f;
  }

  /** Decodes the reader's next frame; JPEG-encodes and caches it unless it is still cached. Holds decodeLock. */
  private FeedFrame decodeNext() {
    int at = reader.position();
    VideoFrame v = reader.next();
    if (v == null) {
      throw new IllegalStateException(file.getFileName() + " ended after " + at + " of its " + info.frames() + " frames");
    }
    nextToDecode = at + 1;
    FeedFrame f = cached(at);
    if (f == null) {
      f = toFeedFrame(at, v);
      put(at, f);
    }
    return f;
  }

  private FeedFrame toFeedFrame(int index, VideoFrame v) {
    List<Box> truth = index < truths.size() ? List.of(truths.get(index)) : List.of();
    return new FeedFrame(v.jpeg(JPEG_QUALITY), Encoding.JPEG, width, height, truth);
  }

  /** Keeps the decoder ahead of the publisher; stops once every frame is cached (and then lets go of the file). */
  private void prefetch() {
    try {
      while (!closed) {
        synchronized (signal) {
          while (!closed && !(nextToDecode < info.frames() && nextToDecode <= wanted + ahead)) {
            signal.wait(1000);
          }
        }
        synchronized (decodeLock) {
          if (closed) {
            return;
          }
          if (reader != null && reader.position() < info.frames() && reader.position() <= wanted + ahead) {
            decodeNext();
          }
          if (allCached()) {
            if (reader != null) {
              reader.close();
              reader = null;
            }
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the publisher's own call for the frame meets the same problem and reports it
      LOG.warn("{}: decoding ahead stopped: {}", file.getFileName(), e.getMessage());
    }
  }

  private FeedFrame cached(int i) {
    synchronized (cache) {
      return cache.get(i);
    }
  }

  private void put(int i, FeedFrame f) {
    synchronized (cache) {
      FeedFrame old = cache.put(i, f);
      cachedBytes += f.encoded().length - (old == null ? 0 : old.encoded().length);
      Iterator<Map.Entry<Integer, FeedFrame>> it = cache.entrySet().iterator();
      while (cachedBytes > budget && cache.size() > 1 && it.hasNext()) {
        Map.Entry<Integer, FeedFrame> eldest = it.next();
        if (eldest.getKey() == i) {
          continue;
        }
        cachedBytes -= eldest.getValue().encoded().length;
        it.remove();
        everEvicted = true;
      }
    }
  }

  /** True once every frame is in memory and none was ever dropped: the file is no longer needed. */
  boolean allCached() {
    synchronized (cache) {
      return !everEvicted && cache.size() == info.frames();
    }
  }

  /** Encoded bytes held in memory. */
  long cachedBytes() {
    synchronized (cache) {
      return cachedBytes;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    synchronized (decodeLock) {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }
}
