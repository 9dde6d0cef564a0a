package io.argus.models.siammask;

import java.util.List;

/**
 * Depths and widths of a SiamMask network built here ({@link SiamMaskNet}): pysot's
 * siammask_r50_l3 at {@link #pysot()}, a tiny one for tests at {@link #tiny()}.
 *
 * @param stem conv1 channels (64)
 * @param blocks bottleneck blocks of layer1, layer2, layer3 (3, 4, 6)
 * @param planes bottleneck widths of layer1..3 (64, 128, 256; outputs are 4x these)
 * @param adjust channels after the 1x1 adjust layer: embedding and search features (256)
 * @param hidden channels of the RPN and mask heads' correlation (256)
 * @param anchors anchors per response cell (5)
 * @param refineDivisor divides the refine module's widths (1: pysot's 16/4, 64/16, 128/32)
 * @param spatialAttention CenterMask's spatial-attention-guided module on the mask correlation feature
 */
public record SiamMaskConfig(int stem, List<Integer> blocks, List<Integer> planes, int adjust, int hidden, int anchors,
    int refineDivisor, boolean spatialAttention) {

  public SiamMaskConfig {
    blocks = List.copyOf(blocks);
    planes = List.copyOf(planes);
    if (blocks.size() != 3 || planes.size() != 3 || blocks.stream().anyMatch(b -> b < 1)
        || planes.stream().anyMatch(p -> p < 1) || stem < 1 || adjust < 1 || hidden < 1 || anchors < 1
        || refineDivisor < 1) {
      throw new IllegalArgumentException("a SiamMask config needs 3 block counts and 3 widths for layer1..3, all"
          + " positive, and positive stem/adjust/hidden/anchors/refineDivisor; got " + this);
    }
  }

  public static SiamMaskConfig pysot() {
    return new SiamMaskConfig(64, List.of(3, 4, 6), List.of(64, 128, 256), 256, 256, 5, 1, false);
  }

  /** A few thousand weights per layer: for tests and plumbing, runs in milliseconds. */
  public static SiamMaskConfig tiny() {
    return new SiamMaskConfig(4, List.of(1, 2, 2), List.of(2, 4, 6), 8, 8, 5, 4, false);
  }

  public SiamMaskConfig withSpatialAttention(boolean on) {
    return new SiamMaskConfig(stem, blocks, planes, adjust, hidden, anchors, refineDivisor, on);
  }

  /** A refine width of pysot's, divided (at least 1). */
  int refine(int pysotWidth) {
    return Math.max(1, pysotWidth / refineDivisor);
  }

  /** One line for the metadata's provenance. */
  public String text() {
    return "resnet-atrous stem " + stem + ", blocks " + blocks + ", planes " + planes + ", adjust " + adjust
        + ", hidden " + hidden + ", anchors " + anchors + ", refine widths / " + refineDivisor
        + (spatialAttention ? ", CenterMask spatial attention on the mask feature" : "");
  }
}
