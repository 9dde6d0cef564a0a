package io.argus.jobs.video;

import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;

/**
 * Motion JPEG: every chunk is a JPEG image, passed on as it is. Many MJPEG writers (the AVI1
 * convention of capture cards and webcams) leave out the Huffman tables and rely on the standard
 * ones; those are put back into the frame here, so any JPEG decoder downstream reads it.
 */
final class MotionJpegDecoder implements FrameDecoder {

  private static final byte[] STANDARD_TABLES = standardHuffmanSegment();

  private VideoFrame last;
  private int owed;

  @Override
  public void decode(byte[] chunk, List<VideoFrame> out) {
    if (chunk.length < 4 || (chunk[0] & 0xff) != 0xFF || (chunk[1] & 0xff) != 0xD8) {
      // a dropped frame (empty chunk) or not a JPEG: repeat the frame before it
      if (last == null) {
        owed++;
      } else {
        out.add(last);
      }
      return;
    }
    last = VideoFrame.ofJpeg(withHuffmanTables(chunk));
    for (; owed > 0; owed--) {
      out.add(last);
    }
    out.add(last);
  }

  @Override
  public void flush(List<VideoFrame> out) {
    // nothing held back; frames owed before the first JPEG stay owed only if there was none at all
  }

  /** The JPEG with the standard Huffman tables inserted before the scan when it has none of its own. */
  static byte[] withHuffmanTables(byte[] jpeg) {
    int p = 2;
    while (p + 4 <= jpeg.length && (jpeg[p] & 0xff) == 0xFF) {
      int marker = jpeg[p + 1] & 0xff;
      if (marker == 0xFF) { // fill byte
        p++;
        continue;
      }
      if (marker == 0xC4) {
        return jpeg; // has its own tables
      }
      if (marker == 0xDA) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + STANDARD_TABLES.length);
        out.write(jpeg, 0, p);
        out.write(STANDARD_TABLES, 0, STANDARD_TABLES.length);
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
      }
      p += 2 + (((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff));
    }
    return jpeg; // malformed: let the decoder downstream say so
  }

  /** One DHT segment with the four tables of JPEG Annex K (DC/AC, luminance/chrominance). */
  private static byte[] standardHuffmanSegment() {
    JPEGHuffmanTable[] tables = {JPEGHuffmanTable.StdDCLuminance, JPEGHuffmanTable.StdDCChrominance,
        JPEGHuffmanTable.StdACLuminance, JPEGHuffmanTable.StdACChrominance};
    int[] classAndId = {0x00, 0x01, 0x10, 0x11};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int t = 0; t < tables.length; t++) {
      body.write(classAndId[t]);
      for (short n : tables[t].getLengths()) {
        body.write(n);
      }
      for (short v : tables[t].getValues()) {
        body.write(v);
      }
    }
    int length = body.size() + 2;
    ByteArrayOutputStream seg = new ByteArrayOutputStream();
    seg.write(0xFF);
    seg.write(0xC4);
    seg.write(length >> 8);
    seg.write(length & 0xff);
    seg.writeBytes(body.toByteArray());
    return seg.toByteArray();
  }
}
