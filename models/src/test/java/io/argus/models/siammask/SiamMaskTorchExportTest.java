package io.argus.models.siammask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ONNX files written by PyTorch's own exporter (torch 1.13.1, through the README's three wrappers)
 * from a tiny network with pysot's siammask_r50_l3 architecture and random weights, with PyTorch's
 * outputs for two targets beside them, each mask made by pysot's own {@code Refine.forward} (its
 * pad-and-slice crops) at the target's cell ({@code src/test/python/export_tiny_siammask.py} wrote
 * both). Imported, run batched through all three signatures, and compared with PyTorch.
 */
class SiamMaskTorchExportTest {

  @TempDir Path tmp;

  /** The cells the script refined each item at, (row, column). */
  private static final int[] POSITIONS = {3, 21, 12, 0};

  @Test
  void importedGraphsReproducePyTorchForTwoTargetsAtTheirOwnCells() throws Exception {
    ModelSpec spec = SiamMaskImport.export(resource("template.onnx"), resource("search.onnx"), resource("refine.onnx"),
        tmp.resolve("m"), "tiny-torch", null);
    assertThat(spec.embeddingShape()).containsExactly(7, 7, 8);
    assertThat(spec.scoreSize()).isEqualTo(25);
    float[] z = new float[2 * 127 * 127 * 3];
    float[] x = new float[2 * 255 * 255 * 3];
    for (int b = 0; b < 2; b++) {
      formula(z, b, 127);
      formula(x, b, 255);
    }
    try (SavedModelBundle m = SavedModelBundle.loader(tmp.resolve("m").toString()).withTags("serve").load()) {
      float[] zf;
      try (TFloat32 zt = tensor(z, 2, 127, 127, 3);
          Result r = m.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, zt))) {
        zf = floats(r, ModelSpec.EMBEDDING);
      }
      assertClose("zf", zf, floats("zf.bin"));
      try (TFloat32 e = tensor(zf, 2, 7, 7, 8); TFloat32 xt = tensor(x, 2, 255, 255, 3);
          TInt32 pos = TInt32.tensorOf(Shape.of(2, 2), DataBuffers.of(POSITIONS, true, false));
          Result r = m.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, xt));
          Result mr = m.function(ModelSpec.MASK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, xt,
              ModelSpec.POSITION, pos))) {
        assertClose("cls", floats(r, "cls"), floats("cls.bin"));
        assertClose("loc", floats(r, "loc"), floats("loc.bin"));
        assertClose("mask", floats(mr, ModelSpec.MASK), floats("mask.bin"));
      }
    }
  }

  private static void assertClose(String what, float[] got, float[] want) {
    assertThat(got).as(what).hasSameSizeAs(want);
    double scale = 0;
    for (float w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    for (int i = 0; i < got.length; i++) {
      assertThat((double) got[i]).as("%s[%d]", what, i).isCloseTo(want[i], within(1e-4 * Math.max(1, scale)));
    }
  }

  /** The script's input: item b, pixel (y, x), RGB channel c -> ((y*131 + x*71 + c*37 + b*53) * 7) % 256. */
  private static void formula(float[] dst, int b, int side) {
    int off = b * side * side * 3;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          dst[off + (y * side + x) * 3 + c] = ((y * 131 + x * 71 + c * 37 + b * 53) * 7) % 256;
        }
      }
    }
  }

  private static TFloat32 tensor(float[] v, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }

  private static float[] floats(Result r, String name) {
    TFloat32 t = (TFloat32) r.get(name).orElseThrow();
    float[] d = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(d, false, false));
    return d;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(SiamMaskTorchExportTest.class.getResource("/siammask-torch/" + name).toURI());
  }

  private static float[] floats(String name) throws IOException, URISyntaxException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(resource(name))).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
