package io.argus.models.siamrpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.ModelSpec;
import io.argus.models.onnx.OnnxImportException;
import io.argus.models.onnx.OnnxModel;
import io.argus.models.onnx.proto.Onnx.ModelProto;
import io.argus.models.onnx.proto.Onnx.NodeProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The SiamRPN graph built here and the one imported from pysot-style ONNX exports, both against
 * the plain-loop reference ({@link SiamRpnReference}) on a small seeded network and two targets
 * in one batched call.
 */
class SiamRpnNetTest {

  static final SiamRpnConfig CONFIG = SiamRpnConfig.TINY;
  static final SiamRpnWeights WEIGHTS = SiamRpnWeights.random(CONFIG, 7);
  static final int B = 2;
  static final int Z = 127 * 127 * 3;
  static final int X = 287 * 287 * 3;

  static float[] exemplars;
  static float[] instances;
  static float[] refEmbedding;
  static float[] refCls;
  static float[] refLoc;

  @TempDir static Path tmp;

  @BeforeAll
  static void reference() {
    Random r = new Random(3);
    exemplars = new float[B * Z];
    instances = new float[B * X];
    for (int i = 0; i < exemplars.length; i++) {
      exemplars[i] = r.nextInt(256);
    }
    for (int i = 0; i < instances.length; i++) {
      instances[i] = r.nextInt(256);
    }
    int s = 21;
    int k = CONFIG.anchors();
    refEmbedding = new float[B * 6 * 6 * CONFIG.conv5()];
    refCls = new float[B * s * s * 2 * k];
    refLoc = new float[B * s * s * 4 * k];
    for (int b = 0; b < B; b++) {
      SiamRpnReference.Map3 zf = SiamRpnReference.backbone(SiamRpnReference.bgr(exemplars, b * Z, 127), WEIGHTS);
      SiamRpnReference.Map3 xf = SiamRpnReference.backbone(SiamRpnReference.bgr(instances, b * X, 287), WEIGHTS);
      System.arraycopy(zf.hwc(), 0, refEmbedding, b * zf.v().length, zf.v().length);
      SiamRpnReference.Map3 cls = SiamRpnReference.head(zf, xf, WEIGHTS, "rpn_head.cls");
      SiamRpnReference.Map3 loc = SiamRpnReference.head(zf, xf, WEIGHTS, "rpn_head.loc");
      assertThat(new int[] {cls.c(), cls.h(), cls.w()}).containsExactly(2 * k, s, s);
      System.arraycopy(cls.hwc(), 0, refCls, b * cls.v().length, cls.v().length);
      System.arraycopy(loc.hwc(), 0, refLoc, b * loc.v().length, loc.v().length);
    }
  }

  @Test
  void geometryIsPysotAlex() {
    assertThat(SiamRpnNet.featureSide(127)).isEqualTo(6);
    assertThat(SiamRpnNet.featureSide(287)).isEqualTo(26);
    assertThat(SiamRpnNet.scoreSize()).isEqualTo(21);
    ModelSpec spec = SiamRpnNet.spec("m", 256, 5, SiamRpnNet.defaultHyper(), Map.of());
    assertThat(spec.embeddingShape()).containsExactly(6, 6, 256);
    assertThat(spec.outputs()).containsEntry("cls", List.of(21, 21, 10)).containsEntry("loc", List.of(21, 21, 20));
    assertThat(spec.hyper("penaltyK")).isEqualTo(0.16);
    assertThat(spec.hyper("windowInfluence")).isEqualTo(0.40);
    assertThat(spec.hyper("lr")).isEqualTo(0.30);
  }

  @Test
  void builtGraphMatchesTheReferenceForEveryTargetOfTheBatch() throws IOException {
    Path dir = tmp.resolve("native");
    SiamRpnNet.export(dir, "tiny-siamrpn", CONFIG, WEIGHTS, Map.of("seed", "7"));
    checkModel(dir);
  }

  @Test
  void importedOnnxMatchesTheReference() throws IOException {
    Path t = PysotOnnx.writeTemplate(tmp.resolve("siamrpn_template.onnx"), WEIGHTS);
    Path s = PysotOnnx.writeSearch(tmp.resolve("siamrpn_search.onnx"), WEIGHTS, CONFIG);
    Path dir = tmp.resolve("imported");
    ModelSpec spec = SiamRpnImport.export(t, s, dir, SiamRpnImport.Options.defaults());
    assertThat(spec.name()).isEqualTo("siamrpn");
    assertThat(spec.family()).isEqualTo("siamrpn");
    assertThat(spec.instanceSize()).isEqualTo(287);
    assertThat(spec.scoreSize()).isEqualTo(21);
    assertThat(spec.embeddingShape()).containsExactly(6, 6, CONFIG.conv5());
    checkModel(dir);
  }

  @Test
  void anUnknownOperatorIsRefusedNamingItsNode() throws IOException {
    Path t = PysotOnnx.writeTemplate(tmp.resolve("ok_template.onnx"), WEIGHTS);
    Path s = PysotOnnx.writeSearch(tmp.resolve("ok_search.onnx"), WEIGHTS, CONFIG);
    ModelProto m = OnnxModel.read(s).proto();
    ModelProto.Builder b = m.toBuilder();
    int relu = 0;
    while (!b.getGraph().getNode(relu).getOpType().equals("Relu")) {
      relu++;
    }
    NodeProto n = b.getGraph().getNode(relu);
    b.getGraphBuilder().setNode(relu, n.toBuilder().setOpType("Elu"));
    Path bad = tmp.resolve("bad_search.onnx");
    try (OutputStream out = Files.newOutputStream(bad)) {
      b.build().writeTo(out);
    }
    assertThatThrownBy(() -> SiamRpnImport.export(t, bad, tmp.resolve("bad"), SiamRpnImport.Options.defaults()))
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("'" + n.getName() + "'")
        .hasMessageContaining("Elu is not supported");
  }

  @Test
  void swappedGraphsAreRefusedWithAHint() throws IOException {
    Path t = PysotOnnx.writeTemplate(tmp.resolve("sw_template.onnx"), WEIGHTS);
    Path s = PysotOnnx.writeSearch(tmp.resolve("sw_search.onnx"), WEIGHTS, CONFIG);
    assertThatThrownBy(() -> SiamRpnImport.export(s, t, tmp.resolve("sw"), SiamRpnImport.Options.defaults()))
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining("swapped");
  }

  /** Loads the model directory as the tracker would and compares both signatures with the reference. */
  private static void checkModel(Path dir) {
    try (SavedModelBundle m = SavedModelBundle.loader(dir.toString()).withTags("serve").load()) {
      float[] zf;
      try (TFloat32 z = tensor(exemplars, B, 127, 127, 3);
          Result r = m.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, z))) {
        zf = floats(r.get(ModelSpec.EMBEDDING).orElseThrow());
      }
      assertClose("embedding", zf, refEmbedding);
      try (TFloat32 e = tensor(zf, B, 6, 6, CONFIG.conv5());
          TFloat32 x = tensor(instances, B, 287, 287, 3);
          Result r = m.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, e, ModelSpec.INSTANCE, x))) {
        assertClose("cls", floats(r.get("cls").orElseThrow()), refCls);
        assertClose("loc", floats(r.get("loc").orElseThrow()), refLoc);
      }
    }
  }

  static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).as(what + " size").hasSameSizeAs(expected);
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertThat(scale).as(what + " is not all zeros").isGreaterThan(1e-3);
    double worst = 0;
    for (int i = 0; i < actual.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst / scale).as(what + ": worst difference relative to the largest value " + scale).isLessThan(1e-4);
  }

  static TFloat32 tensor(float[] v, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }

  static float[] floats(Tensor t) {
    float[] d = new float[(int) t.size()];
    ((TFloat32) t).asRawTensor().data().asFloats().read(d);
    return d;
  }
}
