package io.argus.jobs.video;

import io.argus.models.data.ImageEncoding;
import io.argus.models.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small AVI files for tests, chunk by chunk as the RIFF layout prescribes: a video stream
 * (any fourcc), optionally an audio stream interleaved with it, JUNK, a {@code LIST rec}
 * grouping, odd-size chunks with their pad byte, and an {@code idx1} index.
 */
public final class TestAvi {

  private String fourcc = "MJPG";
  private int width = 64;
  private int height = 48;
  private int rate = 25;
  private int scale = 1;
  private boolean audio;
  private boolean recList;
  private final List<byte[]> frames = new ArrayList<>();

  public TestAvi fourcc(String f) {
    fourcc = f;
    return this;
  }

  public TestAvi size(int w, int h) {
    width = w;
    height = h;
    return this;
  }

  public TestAvi rate(int rate, int scale) {
    this.rate = rate;
    this.scale = scale;
    return this;
  }

  /** Interleaves an audio chunk (odd size) before every video chunk. */
  public TestAvi withAudio() {
    audio = true;
    return this;
  }

  /** Groups every two chunks into a {@code LIST rec}. */
  public TestAvi withRecLists() {
    recList = true;
    return this;
  }

  public TestAvi frame(byte[] chunk) {
    frames.add(chunk);
    return this;
  }

  /** A frame of k: a flat colour per frame with a white square at x = 4k, as JPEG. */
  public static RgbImage pattern(int k, int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        boolean square = x >= 4 * k && x < 4 * k + 12 && y >= 8 && y < 20;
        rgb[i] = (byte) (square ? 255 : 40 + 20 * k);
        rgb[i + 1] = (byte) (square ? 255 : 200 - 15 * k);
        rgb[i + 2] = (byte) (square ? 255 : 90);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  public static byte[] jpeg(RgbImage image) {
    return ImageEncoding.jpeg(image, 0.95f);
  }

  public byte[] bytes() {
    Chunks hdrl = new Chunks();
    hdrl.chunk("avih", le(56).putInt(1_000_000 * scale / rate).putInt(0).putInt(0).putInt(0x10)
        .putInt(frames.size()).putInt(0).putInt(audio ? 2 : 1).putInt(0).putInt(width).putInt(height).array());
    Chunks strl = new Chunks();
    strl.chunk("strh", le(56).put(ascii("vids")).put(ascii(fourcc)).putInt(0).putInt(0).putInt(0).putInt(scale)
        .putInt(rate).putInt(0).putInt(frames.size()).array());
    strl.chunk("strf", le(40).putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24)
        .put(ascii(fourcc)).putInt(width * height * 3).array());
    strl.chunk("JUNK", new byte[13]);
    hdrl.list("strl", strl);
    if (audio) {
      Chunks astrl = new Chunks();
      astrl.chunk("strh", le(56).put(ascii("auds")).putInt(0).putInt(0).putInt(0).putInt(0).putInt(1)
          .putInt(8000).array());
      astrl.chunk("strf", le(18).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(8000)
          .putShort((short) 1).putShort((short) 8).array());
      hdrl.list("strl", astrl);
    }
    Chunks movi = new Chunks();
    Chunks rec = null;
    ByteArrayOutputStream idx1 = new ByteArrayOutputStream();
    for (int i = 0; i < frames.size(); i++) {
      Chunks target = movi;
      if (recList) {
        rec = new Chunks();
        target = rec;
      }
      if (audio) {
        target.chunk("01wb", new byte[7]);
      }
      target.chunk("00dc", frames.get(i));
      idx1.writeBytes(le(16).put(ascii("00dc")).putInt(0x10).putInt(0).putInt(frames.get(i).length).array());
      if (recList) {
        movi.list("rec ", rec);
      }
    }
    Chunks avi = new Chunks();
    avi.list("hdrl", hdrl);
    avi.chunk("JUNK", new byte[30]);
    avi.list("movi", movi);
    avi.chunk("idx1", idx1.toByteArray());
    Chunks riff = new Chunks();
    riff.out.writeBytes(ascii("RIFF"));
    riff.out.writeBytes(le(4).putInt(avi.out.size() + 4).array());
    riff.out.writeBytes(ascii("AVI "));
    riff.out.writeBytes(avi.out.toByteArray());
    return riff.out.toByteArray();
  }

  public Path write(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }

  private static final class Chunks {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void chunk(String id, byte[] body) {
      out.writeBytes(ascii(id));
      out.writeBytes(le(4).putInt(body.length).array());
      out.writeBytes(body);
      if ((body.length & 1) == 1) {
        out.write(0);
      }
    }

    void list(String type, Chunks inner) {
      out.writeBytes(ascii("LIST"));
      out.writeBytes(le(4).putInt(inner.out.size() + 4).array());
      out.writeBytes(ascii(type));
      out.writeBytes(inner.out.toByteArray());
    }
  }

  static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
