package io.argus.operators.flink;

/**
 * Cheap checks on an encoded image before anyone decodes it. Some decoders (Java's ImageIO
 * among them) fill a truncated JPEG with grey and return it without an error, so a frame cut
 * short in transit would be tracked as if it were real; the markers at both ends of the file
 * catch that whichever decoder runs after them.
 */
final class ImageIntegrity {

  /** Trailing padding some encoders write after the end-of-image marker. */
  private static final int MAX_PADDING = 16;
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] PNG_IEND = {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

  private ImageIntegrity() {}

  /** What is wrong with {@code data} as an image of {@code encoding}, or null when nothing is. */
  static String problem(String encoding, byte[] data) {
    return switch (encoding) {
      case "JPEG" -> jpegProblem(data);
      case "PNG" -> pngProblem(data);
      default -> null; // other encodings are refused earlier, by Frames.parse
    };
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
