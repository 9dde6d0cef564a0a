package io.argus.models.siamrpn;

import java.util.List;

/**
 * Channel widths of pysot's {@code siamrpn_alex_dwxcorr}: the five convolutions of AlexNetLegacy
 * (pysot {@code models/backbone/alexnet.py}, 96 / 256 / 384 / 384 / 256 times width_mult), the
 * hidden width of the DepthwiseRPN head (256) and the number of anchors per position (5).
 * Kernels, strides and pooling are fixed, so the geometry (127 -> 6 x 6, 287 -> 26 x 26, total
 * stride 8, 21 x 21 score map) never depends on the widths; only tests and slim models change them.
 *
 * @param conv1 output channels of the 11 x 11 stride-2 convolution
 * @param conv2 output channels of the 5 x 5 convolution
 * @param conv3 output channels of the first 3 x 3 convolution
 * @param conv4 output channels of the second 3 x 3 convolution
 * @param conv5 output channels of the last 3 x 3 convolution: the features' channels
 * @param hidden channels inside each DepthwiseXCorr (pysot's out_channels of DepthwiseRPN)
 * @param anchors anchors per score-map position (ratios x scales; pysot's ANCHOR_NUM)
 */
public record SiamRpnConfig(int conv1, int conv2, int conv3, int conv4, int conv5, int hidden, int anchors) {

  /** pysot siamrpn_alex_dwxcorr: width_mult 1.0, DepthwiseRPN(anchor_num 5, in 256, out 256). */
  public static final SiamRpnConfig ALEX = new SiamRpnConfig(96, 256, 384, 384, 256, 256, 5);

  /** For unit tests: seconds, not minutes. */
  public static final SiamRpnConfig TINY = new SiamRpnConfig(8, 8, 8, 8, 8, 8, 5);

  public SiamRpnConfig {
    for (int w : new int[] {conv1, conv2, conv3, conv4, conv5, hidden, anchors}) {
      if (w <= 0) {
        throw new IllegalArgumentException("SiamRPN widths and anchor count must be positive, got "
            + List.of(conv1, conv2, conv3, conv4, conv5, hidden, anchors));
      }
    }
  }

  /** AlexNetLegacy's widths times width_mult, truncated as pysot does ({@code int(x * width_mult)}). */
  public static SiamRpnConfig widthMult(double widthMult, int hidden, int anchors) {
    int[] base = {96, 256, 384, 384, 256};
    int[] w = new int[5];
    for (int i = 0; i < 5; i++) {
      w[i] = (int) (base[i] * widthMult);
    }
    return new SiamRpnConfig(w[0], w[1], w[2], w[3], w[4], hidden, anchors);
  }

  /** Convolution output widths of the backbone, conv1 .. conv5. */
  public int[] backboneWidths() {
    return new int[] {conv1, conv2, conv3, conv4, conv5};
  }
}
