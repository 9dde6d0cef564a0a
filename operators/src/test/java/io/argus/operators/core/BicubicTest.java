package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BicubicTest {

  @Test
  void weightsAreKeysKernelWithOpenCvParameter() {
    // Keys kernel, a = -0.75: W(x) = 1.25|x|^3 - 2.25|x|^2 + 1 (|x| <= 1),
    // -0.75|x|^3 + 3.75|x|^2 - 6|x| + 3 (1 < |x| < 2); taps at distances 1 + t, t, 1 - t, 2 - t
    assertThat(Bicubic.weights(0.5f, Bicubic.OPENCV_A))
        .containsExactly(new float[] {-0.09375f, 0.59375f, 0.59375f, -0.09375f}, within(1e-7f));
    assertThat(Bicubic.weights(0.25f, Bicubic.OPENCV_A))
        .containsExactly(new float[] {-0.10546875f, 0.87890625f, 0.26171875f, -0.03515625f}, within(1e-7f));
    assertThat(Bicubic.weights(0f, Bicubic.OPENCV_A)).containsExactly(new float[] {0, 1, 0, 0}, within(1e-7f));
  }

  @Test
  void upsamplesARampWithHalfPixelCentresAndReplicatedBorder() {
    // 4x4 map whose value is the column index; x2 puts destination d at source d/2 - 0.25
    float[] src = new float[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        src[r * 4 + c] = c;
      }
    }
    float[] up = new Bicubic(4, 8).resize(src, 0);
    // d = 3 -> 1.25: taps 0,1,2,3 with t = 0.25 -> 1*0.87890625 + 2*0.26171875 + 3*(-0.03515625)
    assertThat(up[3]).isCloseTo(1.296875f, within(1e-6f));
    // d = 2 -> 0.75: taps -1,0,1,2 -> values 0,0,1,2 with t = 0.75 -> 0.87890625 + 2*(-0.10546875)
    assertThat(up[2]).isCloseTo(0.66796875f, within(1e-6f));
    // d = 0 -> -0.25: taps -2..1 clamp to 0,0,0,1 -> only the last weight (t = 0.75) sees a 1
    assertThat(up[0]).isCloseTo(-0.10546875f, within(1e-6f));
    // every row is the same: the vertical weights sum to one
    for (int r = 1; r < 8; r++) {
      assertThat(up[r * 8 + 3]).isCloseTo(1.296875f, within(1e-6f));
    }
  }

  @Test
  void separableProductOfTwoRamps() {
    float[] src = new float[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        src[r * 4 + c] = r * c;
      }
    }
    float[] up = new float[70];
    new Bicubic(4, 8).resize(src, 0, up, 6);
    assertThat(up[6 + 3 * 8 + 3]).isCloseTo(1.296875f * 1.296875f, within(1e-5f));
  }

  @Test
  void keysMinusHalfReproducesLinearFunctions() {
    // a = -0.5 (PIL, MATLAB) is exact on ramps; OpenCV's -0.75 is not (1.296875 above)
    float[] src = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};
    float[] up = new Bicubic(4, 8, -0.5).resize(src, 0);
    assertThat(up[3]).isCloseTo(1.25f, within(1e-6f));
  }
}
