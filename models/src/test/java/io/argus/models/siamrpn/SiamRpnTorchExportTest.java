package io.argus.models.siamrpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/**
 * ONNX files written by PyTorch's own exporter (torch 1.13.1, {@code torch.onnx.export} as the
 * README tells users to run it) from a tiny network with pysot's siamrpn_alex_dwxcorr architecture
 * and random weights, with PyTorch's outputs for two targets beside them
 * ({@code src/test/python/export_tiny_siamrpn.py} wrote both). Imported here, run batched, and
 * compared with PyTorch: the real exporter's operator set and layouts, not an imitation of them.
 */
class SiamRpnTorchExportTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({
      "template.onnx, search.onnx",                     // opset 11, constant folding: batch norm fused, constant view shapes
      "template_unfolded.onnx, search_unfolded.onnx"})  // opset 13, no folding: BatchNormalization, Unsqueeze/Concat shapes
  void importedGraphsReproducePyTorchForTwoTargets(String template, String search) throws Exception {
    ModelSpec spec = SiamRpnImport.export(resource(template), resource(search), tmp.resolve("m"),
        SiamRpnImport.Options.defaults());
    assertThat(spec.embeddingShape()).containsExactly(6, 6, 8);
    assertThat(spec.scoreSize()).isEqualTo(21);
    float[] z = new float[2 * 127 * 127 * 3];
    float[] x = new float[2 * 287 * 287 * 3];
    for (int b = 0; b < 2; b++) {
      formula(z, b, 127);
      formula(x, b, 287);
    }
    try (SavedModelBundle m = SavedModelBundle.loader(tmp.resolve("m").toString()).withTags("serve").load()) {
      float[] zf;
      try (TFloat32 zt = SiamRpnNetTest.tensor(z, 2, 127, 127, 3);
          Result r = m.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, zt))) {
        zf = SiamRpnNetTest.floats(r.get(ModelSpec.EMBEDDING).orElseThrow());
      }
      SiamRpnNetTest.assertClose("zf", zf, floats("zf.bin"));
      try (TFloat32 e = SiamRpnNetTest.tensor(zf, 2, 6, 6, 8);
          TFloat32 xt = SiamRpnNetTest.tensor(x, 2, 287, 287, 3);
          Result r = m.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, xt))) {
        SiamRpnNetTest.assertClose("cls", SiamRpnNetTest.floats(r.get("cls").orElseThrow()), floats("cls.bin"));
        SiamRpnNetTest.assertClose("loc", SiamRpnNetTest.floats(r.get("loc").orElseThrow()), floats("loc.bin"));
      }
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

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(SiamRpnTorchExportTest.class.getResource("/siamrpn-torch/" + name).toURI());
  }

  private static float[] floats(String name) throws IOException, URISyntaxException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(resource(name))).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
