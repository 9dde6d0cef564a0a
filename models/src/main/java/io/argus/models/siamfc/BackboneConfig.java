package io.argus.models.siamfc;

import java.util.List;

/**
 * Output channel widths of the five convolutions of SiamFC's AlexNet backbone (Bertinetto et
 * al. 2016, as in siamfc-pytorch). Kernels, strides and pooling are fixed by the paper so the
 * geometry (127 -> 6x6, 255 -> 22x22, total stride 8) never changes; only the widths do, so a
 * slim network can train on a laptop.
 *
 * <p>conv2, conv4 and conv5 are grouped in two, so conv1, conv2, conv3 and conv4 (their inputs)
 * and conv2, conv4, conv5 (their outputs) must be even.
 */
public record BackboneConfig(int conv1, int conv2, int conv3, int conv4, int conv5) {

  /** The paper's widths: 96 / 256 / 384 / 384 / 256. */
  public static final BackboneConfig STANDARD = new BackboneConfig(96, 256, 384, 384, 256);

  /** Half width, the default model's: trains at about a third of the standard's cost on a CPU. */
  public static final BackboneConfig SLIM = new BackboneConfig(48, 128, 192, 192, 128);

  /** For unit tests only: seconds, not minutes. */
  public static final BackboneConfig TINY = new BackboneConfig(8, 8, 8, 8, 8);

  public BackboneConfig {
    for (int w : new int[] {conv1, conv2, conv3, conv4, conv5}) {
      if (w <= 0 || w % 2 != 0) {
        throw new IllegalArgumentException("backbone widths must be positive and even (conv2/4/5 are grouped in"
            + " two), got " + List.of(conv1, conv2, conv3, conv4, conv5));
      }
    }
  }

  /** Parses "96,256,384,384,256" or one of the names standard, slim, tiny. */
  public static BackboneConfig parse(String text) {
    switch (text.trim().toLowerCase()) {
      case "standard":
        return STANDARD;
      case "slim":
        return SLIM;
      case "tiny":
        return TINY;
      default:
        break;
    }
    String[] parts = text.split(",");
    if (parts.length != 5) {
      throw new IllegalArgumentException("backbone widths: expected 'standard', 'slim', 'tiny' or five"
          + " comma-separated channel counts like 96,256,384,384,256; got '" + text + "'");
    }
    int[] w = new int[5];
    for (int i = 0; i < 5; i++) {
      try {
        w[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("backbone widths: '" + parts[i].trim() + "' is not a number in '"
            + text + "'");
      }
    }
    return new BackboneConfig(w[0], w[1], w[2], w[3], w[4]);
  }

  /** Channels of the template embedding and of the search features. */
  public int embeddingChannels() {
    return conv5;
  }

  public String text() {
    return conv1 + "," + conv2 + "," + conv3 + "," + conv4 + "," + conv5;
  }
}
