package io.argus.models.onnx;

import static io.argus.models.onnx.TestGraphs.f;
import static io.argus.models.onnx.TestGraphs.i;
import static io.argus.models.onnx.TestGraphs.ints;
import static io.argus.models.onnx.TestGraphs.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.onnx.TestGraphs.Array;
import io.argus.models.siammask.SiamMaskImport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * SiamMask through the ONNX importer: the new operators (ConvTranspose, Resize, Upsample) against
 * their definitions, and a tiny pysot-shaped SiamMask exported as three graphs, imported, saved and
 * run through its template, track and mask signatures against plain loops over the same weights.
 */
class SiamMaskImportTest {

  private final Random random = new Random(5);

  @Test
  void convTransposeMatchesItsDefinition() {
    Array x = TestGraphs.random(random, 1, 3, 4, 4);
    Array w = TestGraphs.random(random, 3, 2, 3, 3);
    float[] b = {0.5f, -0.25f};
    OnnxModel m = new TestGraphs(13).input("x", 1, 3, 4, 4).weight("w", w.shape(), w.data())
        .weight("b", new long[] {2}, b)
        .node("ConvTranspose", "up", List.of("x", "w", "b"), "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
            ints("pads", 1, 1, 1, 1), ints("output_padding", 1, 1))
        .output("y").model();
    Array got = TestGraphs.run(m, Map.of("x", x)).get("y");
    Array want = SiamMaskOnnx.convTranspose(x, w, b, 2, 1, 1);
    assertThat(got.shape()).containsExactly(1, 2, 8, 8);
    assertClose(got.data(), want.data(), 1e-5);
  }

  @Test
  void resizeAndUpsampleNearestFollowPyTorchsFloorIndices() {
    Array x = TestGraphs.random(random, 1, 2, 15, 15);
    OnnxModel bySizes = new TestGraphs(13).input("x", 1, 2, 15, 15).weight("roi", new long[] {0}, new float[0])
        .weight("scales", new long[] {0}, new float[0]).longs("sizes", 1, 2, 31, 31)
        .node("Resize", "r", List.of("x", "roi", "scales", "sizes"), "y", s("mode", "nearest"),
            s("coordinate_transformation_mode", "asymmetric"), s("nearest_mode", "floor"))
        .output("y").model();
    assertThat(TestGraphs.run(bySizes, Map.of("x", x)).get("y").data())
        .containsExactly(SiamMaskOnnx.resizeNearest(x, 31).data());
    OnnxModel byScales = new TestGraphs(13).input("x", 1, 2, 15, 15).weight("roi", new long[] {0}, new float[0])
        .weight("scales", new long[] {4}, new float[] {1, 1, 2, 2})
        .node("Resize", "r", List.of("x", "roi", "scales"), "y", s("mode", "nearest"),
            s("coordinate_transformation_mode", "asymmetric"), s("nearest_mode", "floor"))
        .output("y").model();
    assertThat(TestGraphs.run(byScales, Map.of("x", x)).get("y").data())
        .containsExactly(SiamMaskOnnx.resizeNearest(x, 30).data());
    OnnxModel upsample = new TestGraphs(9).input("x", 1, 2, 15, 15)
        .weight("scales", new long[] {4}, new float[] {1, 1, 2, 2})
        .node("Upsample", "u", List.of("x", "scales"), "y", s("mode", "nearest")).output("y").model();
    assertThat(TestGraphs.run(upsample, Map.of("x", x)).get("y").data())
        .containsExactly(SiamMaskOnnx.resizeNearest(x, 30).data());
  }

  @Test
  void resizeRefusesCoordinatesItDoesNotImplement() {
    OnnxModel halfPixel = new TestGraphs(13).input("x", 1, 2, 15, 15).weight("roi", new long[] {0}, new float[0])
        .weight("scales", new long[] {4}, new float[] {1, 1, 2, 2})
        .node("Resize", "r", List.of("x", "roi", "scales"), "y", s("mode", "linear"))
        .output("y").model();
    assertThatThrownBy(() -> TestGraphs.run(halfPixel, Map.of("x", TestGraphs.random(random, 1, 2, 15, 15))))
        .isInstanceOf(OnnxImportException.class).hasMessageContaining("mode 'linear'")
        .hasMessageContaining("asymmetric");
  }

  @Test
  void importedSiamMaskMatchesPlainLoopsPerItemAndCell(@TempDir Path dir) throws Exception {
    SiamMaskOnnx net = new SiamMaskOnnx(17);
    Path t = net.template(dir.resolve("siammask_template.onnx"));
    Path s = net.search(dir.resolve("siammask_search.onnx"));
    Path r = net.refine(dir.resolve("siammask_refine.onnx"));
    Path out = dir.resolve("model");
    ModelSpec spec = SiamMaskImport.export(t, s, r, out, null, null);
    assertThat(spec.family()).isEqualTo("siammask");
    assertThat(spec.name()).isEqualTo("siammask");
    assertThat(spec.embeddingShape()).containsExactly(7, 7, SiamMaskOnnx.C);
    assertThat(spec.outputs()).containsEntry("cls", List.of(25, 25, 10)).containsEntry("loc", List.of(25, 25, 20));

    int b = 2;
    float[] exemplars = uniform(b * 127 * 127 * 3);
    float[] instances = uniform(b * 255 * 255 * 3);
    int[] positions = {3, 21, 12, 0};
    try (SavedModelBundle m = SavedModelBundle.load(out.toString(), "serve")) {
      float[] zf;
      try (TFloat32 ex = TFloat32.tensorOf(Shape.of(b, 127, 127, 3), DataBuffers.of(exemplars, true, false));
          Result res = m.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ex))) {
        zf = floats(res, ModelSpec.EMBEDDING);
      }
      float[] cls;
      float[] loc;
      float[] mask;
      try (TFloat32 e = TFloat32.tensorOf(Shape.of(b, 7, 7, SiamMaskOnnx.C), DataBuffers.of(zf, true, false));
          TFloat32 in = TFloat32.tensorOf(Shape.of(b, 255, 255, 3), DataBuffers.of(instances, true, false));
          TInt32 pos = TInt32.tensorOf(Shape.of(b, 2), DataBuffers.of(positions, true, false));
          Result tr = m.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, in));
          Result mr = m.function(ModelSpec.MASK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, in,
              ModelSpec.POSITION, pos))) {
        cls = floats(tr, "cls");
        loc = floats(tr, "loc");
        mask = floats(mr, ModelSpec.MASK);
      }
      for (int item = 0; item < b; item++) {
        Array zWant = net.template(SiamMaskOnnx.bgrNchw(exemplars, item * 127 * 127 * 3, 127));
        Array zGot = new Array(new long[] {1, 7, 7, SiamMaskOnnx.C},
            Arrays.copyOfRange(zf, item * 49 * SiamMaskOnnx.C, (item + 1) * 49 * SiamMaskOnnx.C)).nchw();
        assertClose(zGot.data(), zWant.data(), 1e-4);
        SiamMaskOnnx.Reference ref = net.track(zWant, SiamMaskOnnx.bgrNchw(instances, item * 255 * 255 * 3, 255),
            positions[2 * item], positions[2 * item + 1]);
        assertClose(nchw(cls, item, 25, 10), ref.cls().data(), 1e-3);
        assertClose(nchw(loc, item, 25, 20), ref.loc().data(), 1e-3);
        assertClose(Arrays.copyOfRange(mask, item * 127 * 127, (item + 1) * 127 * 127), ref.mask(), 1e-3);
      }
    }
  }

  private float[] uniform(int n) {
    float[] v = new float[n];
    for (int k = 0; k < n; k++) {
      v[k] = random.nextFloat() * 255;
    }
    return v;
  }

  private static float[] nchw(float[] nhwcBatch, int item, int side, int channels) {
    int per = side * side * channels;
    return new Array(new long[] {1, side, side, channels},
        Arrays.copyOfRange(nhwcBatch, item * per, (item + 1) * per)).nchw().data();
  }

  private static float[] floats(Result r, String name) {
    TFloat32 t = (TFloat32) r.get(name).orElseThrow();
    float[] d = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(d, false, false));
    return d;
  }

  static void assertClose(float[] got, float[] want, double tol) {
    assertThat(got).hasSameSizeAs(want);
    double scale = 0;
    for (float w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    for (int k = 0; k < got.length; k++) {
      assertThat((double) got[k]).as("index %d", k).isCloseTo(want[k], within(tol * Math.max(1, scale)));
    }
  }
}
