package io.argus.jobs.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video stream of an AVI file (RIFF): its header and the position of every compressed frame.
 *
 * <p>Reads {@code RIFF AVI } and any OpenDML {@code RIFF AVIX} extensions, {@code LIST hdrl}
 * ({@code avih}: frame period and size; each {@code LIST strl}: {@code strh} type, handler and
 * rate, {@code strf} bitmap header with the compression fourcc), and every {@code LIST movi}:
 * the chunks of the first video stream ({@code NNdc}, {@code NNdb}), stepping into
 * {@code LIST rec}, past JUNK, audio, index chunks and odd-size padding. Frames come from the
 * scan of {@code movi}, not from {@code idx1}: the scan is what every writer agrees on, and a
 * truncated file still yields the frames it holds. A chunk id that is not a chunk id (damage,
 * a writer's miscount) makes the scan look for the next plausible one instead of giving up.
 *
 * <p>Only offsets are kept (16 bytes a frame); {@link #frame(int)} reads a frame's bytes on demand.
 */
public final class AviDemuxer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AviDemuxer.class);

  /** What the headers say about the video stream and how many frames the file really holds. */
  public record Header(String fourcc, String handler, int width, int height, double fps, int declaredFrames,
      int streamIndex) {}

  private final Path file;
  private final FileChannel channel;
  private final Header header;
  private final long[] offsets;
  private final int[] sizes;

  private AviDemuxer(Path file, FileChannel channel, Header header, long[] offsets, int[] sizes) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    this.offsets = offsets;
    this.sizes = sizes;
  }

  /** True when the file starts with {@code RIFF....AVI }. */
  public static boolean isAvi(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(12);
      ch.read(b, 0);
      return b.position() == 12 && fourcc(b, 0).equals("RIFF") && fourcc(b, 8).equals("AVI ");
    } catch (IOException e) {
      return false;
    }
  }

  public static AviDemuxer open(Path file) {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
    try {
      return new Parser(file, ch).parse();
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  public Header header() {
    return header;
  }

  /** Video chunks found in the file (zero-size "drop" chunks included: each is a frame). */
  public int frameCount() {
    return offsets.length;
  }

  /** Size in bytes of frame i's chunk (0 for a dropped frame). */
  public int frameSize(int i) {
    return sizes[i];
  }

  /** The compressed bytes of frame i. */
  public byte[] frame(int i) {
    byte[] data = new byte[sizes[i]];
    ByteBuffer b = ByteBuffer.wrap(data);
    try {
      while (b.hasRemaining()) {
        if (channel.read(b, offsets[i] + b.position()) < 0) {
          throw new IOException("unexpected end of file at frame " + i);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read frame " + i + " of " + file, e);
    }
    return data;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // read-only: nothing to lose
    }
  }

  static String fourcc(ByteBuffer b, int at) {
    byte[] s = new byte[4];
    for (int i = 0; i < 4; i++) {
      s[i] = b.get(at + i);
    }
    return new String(s, StandardCharsets.ISO_8859_1);
  }

  /** One pass over the RIFF tree; keeps the state the chunk walk needs. */
  private static final class Parser {
    private final Path file;
    private final FileChannel ch;
    private final long fileSize;
    private final ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);

    private int microsPerFrame;
    private int declaredFrames;
    private int avihWidth;
    private int avihHeight;
    private int streams;
    private int videoStream = -1;
    private String handler = "";
    private String compression = "";
    private int width;
    private int height;
    private long rate;
    private long scale;
    private long[] offsets = new long[1024];
    private int[] sizes = new int[1024];
    private int count;
    private boolean resynced;

    Parser(Path file, FileChannel ch) throws IOException {
      this.file = file;
      this.ch = ch;
      this.fileSize = ch.size();
    }

    AviDemuxer parse() throws IOException {
      if (readHead(0) < 12 || !fourcc(head, 0).equals("RIFF") || !fourcc(head, 8).equals("AVI ")) {
        throw new IllegalArgumentException(file + " is not an AVI file (no RIFF AVI header)");
      }
      long pos = 0;
      while (readHead(pos) == 12 && fourcc(head, 0).equals("RIFF")) {
        String form = fourcc(head, 8);
        long end = bounded(pos + 8, uint(head.getInt(4)), fileSize);
        if (form.equals("AVI ") || form.equals("AVIX")) {
          walk(pos + 12, end, 0);
        }
        pos = end + (end & 1);
      }
      if (videoStream < 0) {
        throw new IllegalArgumentException(file + " has no video stream (no strh of type 'vids')");
      }
      if (count == 0) {
        throw new IllegalArgumentException(file + " holds no frames of its video stream: empty, or truncated before "
            + "the first frame");
      }
      double fps = rate > 0 && scale > 0 ? (double) rate / scale : microsPerFrame > 0 ? 1e6 / microsPerFrame : 0;
      String fourcc = compression.isBlank() ? handler : compression;
      Header h = new Header(fourcc.trim(), handler.trim(), width > 0 ? width : avihWidth,
          height > 0 ? height : avihHeight, fps, declaredFrames, videoStream);
      return new AviDemuxer(file, ch, h, Arrays.copyOf(offsets, count), Arrays.copyOf(sizes, count));
    }

    /** Walks the chunks in [pos, end); depth guards against lists nested by corrupt sizes. */
    private void walk(long pos, long end, int depth) throws IOException {
      while (depth < 8 && pos + 8 <= end && readHead(pos) >= 8) {
        String id = fourcc(head, 0);
        long size = uint(head.getInt(4));
        long body = pos + 8;
        if (!isChunkId(id)) {
          return; // garbage outside movi: nothing more to learn here
        }
        switch (id) {
          case "LIST" -> {
            long listEnd = bounded(body, size, end);
            switch (fourcc(head, 8)) {
              case "movi" -> movi(body + 4, listEnd);
              case "hdrl", "strl", "odml" -> walk(body + 4, listEnd, depth + 1);
              default -> { } // INFO and the like: metadata only
            }
          }
          case "avih" -> {
            ByteBuffer b = read(body, (int) Math.min(size, 56));
            if (b.limit() >= 40) {
              microsPerFrame = b.getInt(0);
              declaredFrames = b.getInt(16);
              avihWidth = b.getInt(32);
              avihHeight = b.getInt(36);
            }
          }
          case "strh" -> {
            ByteBuffer b = read(body, (int) Math.min(size, 56));
            streams++;
            if (videoStream < 0 && b.limit() >= 28 && fourcc(b, 0).equals("vids")) {
              videoStream = streams - 1;
              handler = printable(fourcc(b, 4));
              scale = uint(b.getInt(20));
              rate = uint(b.getInt(24));
            }
          }
          case "strf" -> {
            if (videoStream >= 0 && videoStream == streams - 1 && width == 0) {
              ByteBuffer b = read(body, (int) Math.min(size, 40));
              if (b.limit() >= 20) {
                width = b.getInt(4);
                height = Math.abs(b.getInt(8)); // negative: a top-down bitmap
                compression = printable(fourcc(b, 16));
              }
            }
          }
          case "dmlh" -> {
            ByteBuffer b = read(body, 4);
            if (b.limit() == 4 && b.getInt(0) > 0) {
              declaredFrames = b.getInt(0); // OpenDML: the total over all RIFF parts
            }
          }
          default -> { } // JUNK, idx1, indx, strn, vprp, ...
        }
        pos = body + size + (size & 1);
      }
    }

    /** The frames: every {@code NNdc}/{@code NNdb} chunk of the video stream, in file order. */
    private void movi(long pos, long end) throws IOException {
      String dc = String.format("%02ddc", videoStream);
      String db = String.format("%02ddb", videoStream);
      while (pos + 8 <= end && readHead(pos) >= 8) {
        String id = fourcc(head, 0);
        long size = uint(head.getInt(4));
        boolean frame = id.equals(dc) || id.equals(db);
        if (!isChunkId(id) || !frame && pos + 8 + size > end) {
          pos = resync(pos + 1, end);
          continue;
        }
        if (id.equals("LIST")) {
          pos += 12; // LIST rec: its chunks follow directly
          continue;
        }
        if (frame) {
          if (pos + 8 + size > fileSize) {
            LOG.warn("{}: the last frame is cut off ({} of {} bytes): the file is truncated", file.getFileName(),
                fileSize - pos - 8, size);
            return;
          }
          add(pos + 8, (int) size);
        }
        pos += 8 + size + (size & 1);
      }
    }

    /** The next plausible chunk header after damage, searched byte by byte; {@code end} if none. */
    private long resync(long from, long end) throws IOException {
      if (!resynced) {
        LOG.warn("{}: damaged chunk in movi near byte {}; skipping to the next frame", file.getFileName(), from - 1);
        resynced = true;
      }
      int window = 1 << 16;
      for (long p = from; p + 8 <= end; p += window - 8) {
        ByteBuffer b = read(p, (int) Math.min(window, end - p));
        for (int i = 0; i + 8 <= b.limit(); i++) {
          String id = fourcc(b, i);
          if ((isStreamChunk(id) || id.equals("LIST") || id.equals("JUNK")) && p + i + 8 + uint(b.getInt(i + 4)) <= end) {
            return p + i;
          }
        }
      }
      return end;
    }

    private void add(long offset, int size) {
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
        sizes = Arrays.copyOf(sizes, count * 2);
      }
      offsets[count] = offset;
      sizes[count] = size;
      count++;
    }

    /** Reads up to 12 bytes at pos into head; returns how many came. */
    private int readHead(long pos) throws IOException {
      head.clear();
      while (head.hasRemaining() && ch.read(head, pos + head.position()) > 0) {
        // positional reads until full or end of file
      }
      return head.position();
    }

    private ByteBuffer read(long pos, int n) throws IOException {
      ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(n, fileSize - pos))).order(ByteOrder.LITTLE_ENDIAN);
      while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
        // positional reads until full or end of file
      }
      b.flip();
      return b;
    }
  }

  /**
   * The end of a chunk that starts its body at {@code body}: a size of 0 or one past its parent is
   * what a recorder leaves when it stops before finishing the file, so the parent's end is used.
   */
  private static long bounded(long body, long size, long parentEnd) {
    return size == 0 || body + size > parentEnd ? parentEnd : body + size;
  }

  /** Four printable ASCII characters: anything else is damage, not a chunk. */
  static boolean isChunkId(String id) {
    return id.length() == 4 && id.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  /** A stream chunk: two stream digits and a type ({@code 00dc}, {@code 00db}, {@code 01wb}, ...). */
  static boolean isStreamChunk(String id) {
    return id.length() == 4 && Character.isDigit(id.charAt(0)) && Character.isDigit(id.charAt(1))
        && switch (id.substring(2)) {
          case "dc", "db", "wb", "pc", "tx" -> true;
          default -> false;
        };
  }

  private static long uint(int v) {
    return v & 0xffffffffL;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? c : ' ');
    }
    return b.toString();
  }
}
