package io.argus.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CropsTest {

  /** The per-pixel definition (bilinear at each output cell's centre, padColour outside), kept naive on purpose. */
  private static float[] reference(RgbImage img, double cx, double cy, double side, int out, float[] pad) {
    float[] dst = new float[out * out * 3];
    double scale = side / out;
    int o = 0;
    for (int oy = 0; oy < out; oy++) {
      double sy = cy - side / 2 + (oy + 0.5) * scale - 0.5;
      int iy = (int) Math.floor(sy);
      float fy = (float) (sy - iy);
      for (int ox = 0; ox < out; ox++) {
        double sx = cx - side / 2 + (ox + 0.5) * scale - 0.5;
        int ix = (int) Math.floor(sx);
        float fx = (float) (sx - ix);
        for (int c = 0; c < 3; c++) {
          float p00 = at(img, ix, iy, c, pad);
          float p10 = at(img, ix + 1, iy, c, pad);
          float p01 = at(img, ix, iy + 1, c, pad);
          float p11 = at(img, ix + 1, iy + 1, c, pad);
          float top = p00 + (p10 - p00) * fx;
          float bottom = p01 + (p11 - p01) * fx;
          dst[o++] = top + (bottom - top) * fy;
        }
      }
    }
    return dst;
  }

  private static float at(RgbImage img, int x, int y, int c, float[] pad) {
    return x < 0 || y < 0 || x >= img.width() || y >= img.height() ? pad[c] : img.at(x, y, c);
  }

  private static RgbImage random(Random r, int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    r.nextBytes(rgb);
    return new RgbImage(w, h, rgb);
  }

  @Test
  void cropsAreBitIdenticalToThePerPixelDefinitionInsideAcrossAndOutsideTheFrame() {
    Random r = new Random(7);
    RgbImage img = random(r, 97, 61);
    float[] pad = {11.5f, 120.25f, 240f};
    for (int k = 0; k < 300; k++) {
      double side = 1 + r.nextDouble() * 200; // up- and down-sampling
      double cx = -60 + r.nextDouble() * 220; // inside, across every border, wholly outside
      double cy = -60 + r.nextDouble() * 180;
      int out = 1 + r.nextInt(40);
      float[] fast = new float[out * out * 3 + 5];
      Crops.cropAndResize(img, cx, cy, side, out, pad, fast, 5);
      float[] slow = reference(img, cx, cy, side, out, pad);
      for (int i = 0; i < slow.length; i++) {
        assertThat(Float.floatToRawIntBits(fast[5 + i])).as("crop %d value %d", k, i)
            .isEqualTo(Float.floatToRawIntBits(slow[i]));
      }
    }
  }

  @Test
  void aPixelAlignedCropAtScaleOneCopiesThePixels() {
    RgbImage img = random(new Random(3), 20, 10);
    float[] crop = Crops.cropAndResize(img, 7 + 2, 4 + 2, 4, 4, new float[] {0, 0, 0});
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(crop[(y * 4 + x) * 3 + c]).isEqualTo(img.at(7 + x, 4 + y, c));
        }
      }
    }
  }

  @Test
  void samplesOutsideTheFrameTakeThePadColour() {
    RgbImage img = random(new Random(5), 8, 8);
    float[] crop = Crops.cropAndResize(img, -100, -100, 10, 5, new float[] {1, 2, 3});
    for (int i = 0; i < crop.length; i++) {
      assertThat(crop[i]).isEqualTo(1 + i % 3);
    }
  }
}
