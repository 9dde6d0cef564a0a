package io.argus.models.matconvnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.ModelSpec;
import io.argus.models.matconvnet.Reference.Map3;
import io.argus.models.siamfc.FloatTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MatConvNetImportTest {

  @TempDir
  Path dir;

  private static final int[] NO_PAD = {0, 0, 0, 0};

  /** One Siamese branch: conv, batch norm, ReLU, max pool, grouped conv (parameters shared by name). */
  private static void branch(DagNnWriter w, String p, String in, int[] conv1Size, int conv1Stride) {
    w.conv(p + "conv1", in, p + "x1", "br_conv1", conv1Size, NO_PAD, new int[] {conv1Stride, conv1Stride});
    w.batchNorm(p + "bn1", p + "x1", p + "x2", "br_bn1", conv1Size[3]);
    w.relu(p + "relu1", p + "x2", p + "x3", 0);
    w.maxPool(p + "pool1", p + "x3", p + "x4", new int[] {3, 3}, NO_PAD, new int[] {2, 2});
    w.conv(p + "conv2", p + "x4", p + "out", "br_conv2", new int[] {3, 3, conv1Size[3] / 2, 4}, new int[] {1, 1, 1, 1},
        new int[] {1, 1});
  }

  private static Map3 branchReference(DagNet net, String p, Map3 x) {
    DagLayer c1 = layer(net, p + "conv1");
    DagLayer bn = layer(net, p + "bn1");
    DagLayer c2 = layer(net, p + "conv2");
    Map3 y = Reference.conv(x, net.param(c1, 0), net.param(c1, 1), NO_PAD, c1.ints("stride", 2, 1));
    y = Reference.relu(Reference.batchNorm(y, net.param(bn, 0), net.param(bn, 1), net.param(bn, 2)), 0);
    y = Reference.maxPool(y, new int[] {3, 3}, NO_PAD, new int[] {2, 2});
    return Reference.conv(y, net.param(c2, 0), net.param(c2, 1), new int[] {1, 1, 1, 1}, new int[] {1, 1});
  }

  private static DagLayer layer(DagNet net, String name) {
    return net.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  private static float[] hann(int n) {
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i + n * j] = (float) ((0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 1) / (n + 1)))
            * (0.5 - 0.5 * Math.cos(2 * Math.PI * (j + 1) / (n + 1))));
      }
    }
    return w;
  }

  /** A CFNet-shaped network: both branches, cosine window, correlation filter, margin crop, XCorr, fin_adjust, loss. */
  private static DagNnWriter cfNet(long seed, int[] conv1Size, int conv1Stride, int featureSide, int margin) {
    DagNnWriter w = new DagNnWriter(seed);
    branch(w, "br1_", "exemplar", conv1Size, conv1Stride);
    branch(w, "br2_", "instance", conv1Size, conv1Stride);
    w.param("join_window", new int[] {featureSide, featureSide}, hann(featureSide));
    w.random("join_cf_target", 0, 1, featureSide, featureSide);
    w.layer("join_cf_window", "MulConst", List.of("br1_out"), "join_cf_example", List.of("join_window"), Map.of());
    w.layer("join_cf", "CorrFilter", List.of("join_cf_example"), "join_tmpl", List.of("join_cf_target"),
        Map.of("lambda", new double[] {0.5}, "bias", new double[] {0}));
    w.layer("join_crop_z", "CropMargin", List.of("join_tmpl"), "join_tmpl_cropped", List.of(),
        Map.of("margin", new double[] {margin}));
    w.layer("join_xcorr", "XCorr", List.of("join_tmpl_cropped", "br2_out"), "join_out", List.of(),
        Map.of("bias", new double[] {0}));
    w.conv("fin_adjust", "join_out", "score", "fin_adjust", new int[] {1, 1, 1, 1}, NO_PAD, new int[] {1, 1});
    w.layer("objective", "LogisticLoss", List.of("score", "eltwise_label"), "objective", List.of(), Map.of());
    return w;
  }

  private static Map3 cfTemplateReference(DagNet net, Map3 exemplar, int margin) {
    Map3 f = Reference.mulConst(branchReference(net, "br1_", exemplar), net.params().get("join_window"));
    Map3 w = Reference.correlationFilter(f, net.params().get("join_cf_target").rowMajor(2), 0.5);
    return Reference.crop(w, margin);
  }

  @Test
  void cfNetBranchesMatchPlainLoops() {
    Path file = dir.resolve("tiny-cf.mat");
    // 15 -> conv 13 -> pool 6 -> conv(pad 1) 6; 23 -> 21 -> 10 -> 10; template 6 - 2 = 4; response 7
    cfNet(11, new int[] {3, 3, 3, 4}, 1, 6, 1).write(file);
    DagNet net = DagNet.read(file);
    MatConvNetImport.Plan plan = MatConvNetImport.plan(net);
    assertThat(plan.correlationFilter()).isTrue();
    assertThat(plan.exemplarInput()).isEqualTo("exemplar");
    assertThat(plan.instanceInput()).isEqualTo("instance");
    assertThat(plan.templateVar()).isEqualTo("join_tmpl_cropped");
    assertThat(plan.responseVar()).isEqualTo("join_out");

    Random rng = new Random(12);
    float[] z = Graphs.random(rng, 2 * 15 * 15 * 3, 0, 255);
    float[] x = Graphs.random(rng, 2 * 23 * 23 * 3, 0, 255);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      MatConvNetImport.Endpoints e = MatConvNetImport.build(tf, plan, 15, 23);
      assertThat(e.template().shape()).containsExactly(4, 4, 4);
      assertThat(e.responseVar().height()).isEqualTo(7);
      assertThat(e.responseVar().stride()).isEqualTo(2);
      Graphs.Fetched t = Graphs.run(g, e.template().value(), Map.of(e.exemplar(), z),
          Map.of(e.exemplar(), new long[] {2, 15, 15, 3}));
      Graphs.Fetched r = Graphs.run(g, e.response(), Map.of(e.embedding(), t.values(), e.instance(), x),
          Map.of(e.embedding(), new long[] {2, 4, 4, 4}, e.instance(), new long[] {2, 23, 23, 3}));
      assertThat(r.shape()).containsExactly(2, 7, 7);
      for (int b = 0; b < 2; b++) {
        Map3 tmpl = cfTemplateReference(net, Map3.item(z, b, 15, 15, 3), 1);
        assertThat(Graphs.maxAbsDiff(Map3.item(t.values(), b, 4, 4, 4).v(), tmpl.v()) / Graphs.maxAbs(tmpl.v()))
            .isLessThan(1e-4);
        Map3 resp = Reference.xcorr(tmpl, branchReference(net, "br2_", Map3.item(x, b, 23, 23, 3)));
        assertThat(Graphs.maxAbsDiff(Map3.item(r.values(), b, 7, 7, 1).v(), resp.v()) / Graphs.maxAbs(resp.v()))
            .isLessThan(1e-4);
      }
    }
  }

  private record Outputs(float[] embedding, float[] response) {}

  private static Outputs callSavedModel(Path modelDir, ModelSpec spec, float[] z, float[] x, int batch) {
    int zs = spec.exemplarSize();
    int xs = spec.instanceSize();
    List<Integer> e = spec.embeddingShape();
    try (SavedModelBundle b = SavedModelBundle.load(modelDir.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 zt = FloatTensors.of(z, batch, zs, zs, 3);
        Result tr = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, zt))) {
      float[] emb = FloatTensors.read(tr.get(ModelSpec.EMBEDDING).orElseThrow());
      try (TFloat32 et = FloatTensors.of(emb, batch, e.get(0), e.get(1), e.get(2));
          TFloat32 xt = FloatTensors.of(x, batch, xs, xs, 3);
          Result rr = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, et, ModelSpec.INSTANCE, xt))) {
        assertThat(rr.get("response").orElseThrow().shape().asArray())
            .containsExactly(batch, spec.scoreSize(), spec.scoreSize());
        return new Outputs(emb, FloatTensors.read(rr.get("response").orElseThrow()));
      }
    }
  }

  @Test
  void exportsCfNetWithCfNetSettingsAndTheLearnedFilterAsEmbedding() {
    Path file = dir.resolve("tiny-cfnet.mat");
    // 255 -> conv 11x11 stride 16: 16 -> pool 7 -> conv(pad 1) 7; margin 1 -> template 5; response 3
    cfNet(21, new int[] {11, 11, 3, 2}, 16, 7, 1).write(file);
    Path out = dir.resolve("model");

    ModelSpec spec = MatConvNetImport.importNetwork(file, out, null, Map.of("windowInfluence", 0.3),
        Map.of("command", "test"));

    assertThat(spec.family()).isEqualTo("cfnet");
    assertThat(spec.name()).isEqualTo("tiny-cfnet");
    assertThat(spec.exemplarSize()).isEqualTo(255);
    assertThat(spec.instanceSize()).isEqualTo(255);
    assertThat(spec.embeddingShape()).containsExactly(5, 5, 4);
    assertThat(spec.scoreSize()).isEqualTo(3);
    assertThat(spec.stride()).isEqualTo(32);
    assertThat(spec.hyper()).containsEntry("windowInfluence", 0.3).containsEntry("templateLr", 0.01)
        .containsEntry("responseUpsample", 8.0);
    assertThat(spec.provenance()).containsKeys("source", "sourceSha256", "response", "hyper", "command");
    assertThat(ModelSpec.read(out)).isEqualTo(spec);

    Random rng = new Random(22);
    float[] z = Graphs.random(rng, 255 * 255 * 3, 0, 255);
    float[] x = Graphs.random(rng, 255 * 255 * 3, 0, 255);
    Outputs o = callSavedModel(out, spec, z, x, 1);
    DagNet net = DagNet.read(file);
    Map3 tmpl = cfTemplateReference(net, Map3.item(z, 0, 255, 255, 3), 1);
    assertThat(Graphs.maxAbsDiff(o.embedding(), tmpl.v()) / Graphs.maxAbs(tmpl.v())).isLessThan(1e-4);
    Map3 resp = Reference.xcorr(tmpl, branchReference(net, "br2_", Map3.item(x, 0, 255, 255, 3)));
    assertThat(Graphs.maxAbsDiff(o.response(), resp.v()) / Graphs.maxAbs(resp.v())).isLessThan(1e-4);
  }

  @Test
  void exportsSiamFcNetWhoseScoreIsTheAdjustedCorrelation() {
    DagNnWriter w = new DagNnWriter(31);
    // names as in SiamFC's 2016 network: nothing in the importer depends on them
    branch(w, "a_", "exemplar", new int[] {11, 11, 3, 4}, 4);
    branch(w, "b_", "instance", new int[] {11, 11, 3, 4}, 4);
    w.layer("xcorr", "XCorr", List.of("a_out", "b_out"), "xcorr_out", List.of(), Map.of());
    w.conv("adjust", "xcorr_out", "score", "adjust", new int[] {1, 1, 1, 1}, NO_PAD, new int[] {1, 1});
    w.layer("objective", "LogisticLoss", List.of("score", "label"), "objective", List.of(), Map.of());
    Path file = dir.resolve("tiny-siamfc.net.mat");
    w.write(file);
    Path out = dir.resolve("siamfc");

    ModelSpec spec = MatConvNetImport.importNetwork(file, out, "tiny", Map.of(), null);

    // 127 -> 30 -> 14 -> 14; 255 -> 62 -> 30 -> 30; 30 - 14 + 1 = 17
    assertThat(spec.family()).isEqualTo("siamfc");
    assertThat(spec.exemplarSize()).isEqualTo(127);
    assertThat(spec.embeddingShape()).containsExactly(14, 14, 4);
    assertThat(spec.scoreSize()).isEqualTo(17);
    assertThat(spec.stride()).isEqualTo(8);
    assertThat(spec.hyper()).containsEntry("responseUpsample", 16.0).containsEntry("templateLr", 0.0);

    Random rng = new Random(32);
    float[] z = Graphs.random(rng, 2 * 127 * 127 * 3, 0, 255);
    float[] x = Graphs.random(rng, 2 * 255 * 255 * 3, 0, 255);
    Outputs o = callSavedModel(out, spec, z, x, 2);
    DagNet net = DagNet.read(file);
    DagLayer adjust = layer(net, "adjust");
    for (int b = 0; b < 2; b++) {
      Map3 tmpl = branchReference(net, "a_", Map3.item(z, b, 127, 127, 3));
      assertThat(Graphs.maxAbsDiff(Map3.item(o.embedding(), b, 14, 14, 4).v(), tmpl.v()) / Graphs.maxAbs(tmpl.v()))
          .isLessThan(1e-5);
      Map3 corr = Reference.xcorr(tmpl, branchReference(net, "b_", Map3.item(x, b, 255, 255, 3)));
      Map3 score = Reference.conv(corr, net.param(adjust, 0), net.param(adjust, 1), NO_PAD, new int[] {1, 1});
      assertThat(Graphs.maxAbsDiff(Map3.item(o.response(), b, 17, 17, 1).v(), score.v()) / Graphs.maxAbs(score.v()))
          .isLessThan(1e-5);
    }
  }

  @Test
  void aNetworkWithoutXCorrIsRejectedWithAReason() {
    DagNnWriter w = new DagNnWriter(41);
    w.relu("r", "input", "out", 0);
    Path file = dir.resolve("plain.mat");
    w.write(file);
    assertThatThrownBy(() -> MatConvNetImport.plan(DagNet.read(file)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 XCorr layers");
  }
}
