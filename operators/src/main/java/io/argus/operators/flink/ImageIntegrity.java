package io.argus.operators.flink;

/**
 * Cheap checks on an encoded image before anyone decodes it. Some decoders (Java's ImageIO
 * among them) fill a truncated JPEG with grey and return it without an error, so a frame cut
 * short in transit would be tracked as if it were real; the markers at both ends of the file
 * catch that whichever decoder runs after them.
 *
 * <p>The picture size in the image's own header must be the size the frame declares. Decoders
 * allocate the whole picture from the header before they read a pixel: a few bytes declaring
 * 20000 x 20000 would cost ImageIO a 1.2 GB raster, and the OutOfMemoryError would fail the task
 * on the same record after every restart.
 */
final class ImageIntegrity {

  /** Trailing padding some encoders write after the end-of-image marker. */
  private static final int MAX_PADDING = 16;
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] PNG_IEND = {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

  private ImageIntegrity() {}

  /**
   * What is wrong with {@code data} as an image of {@code encoding} and of the declared size, or
   * null when nothing is.
   */
  static String problem(String encoding, byte[] data, int width, int height) {
    String problem = switch (encoding) {
      case "JPEG" -> jpegProblem(data);
      case "PNG" -> pngProblem(data);
      default -> null; // other encodings are refused earlier, by Frames.parse
    };
    if (problem != null) {
      return problem;
    }
    int[] size = switch (encoding) {
      case "JPEG" -> jpegSize(data);
      case "PNG" -> pngSize(data);
      default -> new int[] {width, height};
    };
    if (size == null) {
      return "the " + encoding + " has no readable header with its picture size";
    }
    if (size[0] != width || size[1] != height) {
      return "it declares " + width + "x" + height + " but its image is " + size[0] + "x" + size[1]
          + " (its " + encoding + " header, checked before decoding); the camera must send its true picture size";
    }
    return null;
  }

  /** Width and height from the PNG's IHDR chunk, which must come first; null when it does not. */
  private static int[] pngSize(byte[] d) {
    int at = PNG_SIGNATURE.length;
    if (d.length < at + 16 || d[at + 4] != 'I' || d[at + 5] != 'H' || d[at + 6] != 'D' || d[at + 7] != 'R') {
      return null;
    }
    return new int[] {int32(d, at + 8), int32(d, at + 12)};
  }

  /**
   * Width and height from the JPEG's frame header (SOF0..SOF15 but DHT, JPG and DAC), walking the
   * marker segments from the start as libjpeg does; null when the scan or the end comes first
   * (libjpeg refuses such a file too).
   */
  private static int[] jpegSize(byte[] d) {
    int i = 2;
    while (i + 3 < d.length) {
      if ((d[i] & 0xFF) != 0xFF) {
        i++; // extraneous bytes between segments: libjpeg skips to the next marker, and so must this
        continue;
      }
      int marker = d[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte before a marker
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        i += 2; // markers without a length
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return null;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        // length (2), precision (1), height (2), width (2)
        return i + 8 < d.length ? new int[] {uint16(d, i + 7), uint16(d, i + 5)} : null;
      }
      int length = uint16(d, i + 2);
      if (length < 2) {
        return null;
      }
      i += 2 + length;
    }
    return null;
  }

  private static int uint16(byte[] d, int at) {
    return ((d[at] & 0xFF) << 8) | (d[at + 1] & 0xFF);
  }

  /** A PNG size is unsigned 31-bit; a larger one reads negative and so never matches a declared size. */
  private static int int32(byte[] d, int at) {
    return (uint16(d, at) << 16) | uint16(d, at + 2);
  }

  private static String jpegProblem(byte[] d) {
    if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
      return "the data is not a JPEG (it does not start with the start-of-image marker FF D8)";
    }
    int end = d.length;
    while (end > 2 && d.length - end < MAX_PADDING && d[end - 1] == 0) {
      end--;
    }
    if ((d[end - 2] & 0xFF) != 0xFF || (d[end - 1] & 0xFF) != 0xD9) {
      return "the JPEG is truncated (" + d.length + " bytes and no end-of-image marker FF D9); "
          + "check the camera's uplink and the producer's message size limits";
    }
    return null;
  }

  private static String pngProblem(byte[] d) {
    if (d.length < PNG_SIGNATURE.length + 12 || !startsWith(d, PNG_SIGNATURE)) {
      return "the data is not a PNG (it does not start with the PNG signature)";
    }
    for (int i = 0; i < PNG_IEND.length; i++) {
      if (d[d.length - PNG_IEND.length + i] != PNG_IEND[i]) {
        return "the PNG is truncated (" + d.length + " bytes and no IEND chunk at the end); "
            + "check the camera's uplink and the producer's message size limits";
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] d, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (d[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
