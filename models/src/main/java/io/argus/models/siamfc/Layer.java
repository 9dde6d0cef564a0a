package io.argus.models.siamfc;

import java.util.List;

/**
 * One convolution of SiamFC's AlexNet backbone with what follows it. Weights are HWIO
 * ({@code [k, k, in/groups, out]}); a grouped layer's two halves are the two output halves of
 * that one tensor, as in the original MatConvNet and the PyTorch ports.
 *
 * @param name parameter prefix: {@code conv1} ... {@code conv5}
 * @param kernel square kernel side
 * @param stride convolution stride
 * @param groups 1 or 2
 * @param in input channels
 * @param out output channels
 * @param batchNorm followed by batch norm + ReLU (all but the last layer)
 * @param pool followed by a 3x3 stride-2 max-pool
 */
public record Layer(String name, int kernel, int stride, int groups, int in, int out, boolean batchNorm, boolean pool) {

  /** The five layers of the paper's backbone at the given widths. */
  public static List<Layer> of(BackboneConfig c) {
    return List.of(
        new Layer("conv1", 11, 2, 1, 3, c.conv1(), true, true),
        new Layer("conv2", 5, 1, 2, c.conv1(), c.conv2(), true, true),
        new Layer("conv3", 3, 1, 1, c.conv2(), c.conv3(), true, false),
        new Layer("conv4", 3, 1, 2, c.conv3(), c.conv4(), true, false),
        new Layer("conv5", 3, 1, 2, c.conv4(), c.conv5(), false, false));
  }

  public long[] weightShape() {
    return new long[] {kernel, kernel, in / groups, out};
  }

  public String weights() {
    return name + "/weights";
  }

  public String bias() {
    return name + "/bias";
  }

  public String gamma() {
    return name + "/bn/gamma";
  }

  public String beta() {
    return name + "/bn/beta";
  }

  public String mean() {
    return name + "/bn/mean";
  }

  public String variance() {
    return name + "/bn/variance";
  }

  /** Output side of this layer (and its pool) for a given input side; VALID padding throughout. */
  public int outputSide(int inputSide) {
    int s = (inputSide - kernel) / stride + 1;
    return pool ? (s - 3) / 2 + 1 : s;
  }
}
