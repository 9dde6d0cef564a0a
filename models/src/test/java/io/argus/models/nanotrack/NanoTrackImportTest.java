package io.argus.models.nanotrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.Crops;
import io.argus.models.image.RgbImage;
import io.argus.models.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The real NanoTrack v1, v2, v3 ONNX files (from ../shared/data; skipped where absent): shapes,
 * batched runs equal per-item runs (the batch-1 reshapes were rewritten), a tracking sanity check
 * on a real frame, and the exported SavedModel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NanoTrackImportTest {

  enum Version {
    V1("nanotrack_v1_backbone_sim.onnx", "nanotrack_v1_head_sim.onnx", 48, 16),
    V2("nanotrack_v2_backbone_sim.onnx", "nanotrack_v2_head_sim.onnx", 48, 16),
    V3("nanotrack_v3_backbone.onnx", "nanotrack_v3_head.onnx", 96, 15);

    final String backbone;
    final String head;
    final int channels;
    final int scoreSize;

    Version(String backbone, String head, int channels, int scoreSize) {
      this.backbone = backbone;
      this.head = head;
      this.channels = channels;
      this.scoreSize = scoreSize;
    }
  }

  /** One imported graph and session per version, shared by the tests. */
  private record Loaded(Graph graph, Session session, NanoTrackGraph net) {}

  private final Map<Version, Loaded> loaded = new EnumMap<>(Version.class);
  private Path weights;
  private float[] exemplars;
  private float[] instances;

  static Path sharedData() {
    for (String p : new String[] {"../shared/data", "../../shared/data"}) {
      Path d = Path.of(p);
      if (Files.isDirectory(d.resolve("weights/nanotrack"))) {
        return d;
      }
    }
    return null;
  }

  @BeforeAll
  void loadCrops() throws IOException {
    Path data = sharedData();
    if (data == null) {
      System.out.println("NanoTrackImportTest skipped: ../shared/data (NanoTrack ONNX weights) absent");
      return;
    }
    weights = data.resolve("weights/nanotrack");
    // Three targets from real footage: exemplar crops on frame 1, search crops on a later frame
    exemplars = new float[3 * 127 * 127 * 3];
    instances = new float[3 * 255 * 255 * 3];
    String[][] targets = {{"Crossing", "1", "10"}, {"bag", "1", "5"}, {"Girl", "1", "20"}};
    for (int k = 0; k < 3; k++) {
      Path seq = data.resolve("sequences").resolve(targets[k][0]);
      int f0 = Integer.parseInt(targets[k][1]);
      int f1 = Integer.parseInt(targets[k][2]);
      double[] box = box(seq, f0);
      double side = Crops.contextSide(box[2], box[3], 0.5);
      RgbImage first = frame(seq, f0);
      Crops.cropAndResize(first, box[0], box[1], side, 127, first.meanColour(), exemplars, k * 127 * 127 * 3);
      RgbImage later = frame(seq, f1);
      Crops.cropAndResize(later, box[0], box[1], side * 255 / 127, 255, later.meanColour(), instances, k * 255 * 255 * 3);
    }
  }

  private Loaded load(Version v) {
    Assumptions.assumeTrue(weights != null, "skipped: ../shared/data absent");
    return loaded.computeIfAbsent(v, k -> {
      Graph g = new Graph();
      NanoTrackGraph net = NanoTrackGraph.build(Ops.create(g), OnnxModel.read(weights.resolve(v.backbone)),
          OnnxModel.read(weights.resolve(v.head)), NetworkInput.RGB);
      return new Loaded(g, new Session(g), net);
    });
  }

  @AfterAll
  void close() {
    for (Loaded l : loaded.values()) {
      l.session().close();
      l.graph().close();
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void importsWithTheShapesOfItsVersion(Version v) {
    Loaded l = load(v);
    assertThat(l.net().embeddingShape()).containsExactly(8, 8, v.channels);
    assertThat(l.net().scoreSize()).isEqualTo(v.scoreSize);
    float[][] z = run(l, List.of(l.net().embedding()), Map.of(l.net().exemplar(), slice(exemplars, 0, 1, 127)));
    assertThat(z[0]).hasSize(8 * 8 * v.channels);
    float[][] out = run(l, List.of(l.net().cls(), l.net().loc()),
        Map.of(l.net().embeddingIn(), z[0], l.net().instance(), slice(instances, 0, 1, 255)));
    assertThat(out[0]).hasSize(v.scoreSize * v.scoreSize * 2);
    assertThat(out[1]).hasSize(v.scoreSize * v.scoreSize * 4);
    for (float d : out[1]) {
      assertThat(d).isPositive(); // box distances come out of Exp
    }
  }

  /** B = 3 in one call gives what three B = 1 calls give: the batch-1 reshapes were rewritten per item. */
  @ParameterizedTest
  @EnumSource(Version.class)
  void aBatchOfThreeEqualsThreeSingleRuns(Version v) {
    Loaded l = load(v);
    NanoTrackGraph n = l.net();
    float[] z3 = run(l, List.of(n.embedding()), Map.of(n.exemplar(), exemplars))[0];
    float[][] out3 = run(l, List.of(n.cls(), n.loc()), Map.of(n.embeddingIn(), z3, n.instance(), instances));
    int zs = 8 * 8 * v.channels;
    int cs = v.scoreSize * v.scoreSize * 2;
    int ls = v.scoreSize * v.scoreSize * 4;
    for (int k = 0; k < 3; k++) {
      float[] z1 = run(l, List.of(n.embedding()), Map.of(n.exemplar(), slice(exemplars, k, 1, 127)))[0];
      assertClose(z1, z3, k * zs);
      float[][] out1 = run(l, List.of(n.cls(), n.loc()), Map.of(n.embeddingIn(), z1, n.instance(), slice(instances, k, 1, 255)));
      assertClose(out1[0], out3[0], k * cs);
      assertClose(out1[1], out3[1], k * ls);
    }
    // and the items really differ, so the comparison above could fail
    assertThat(out3[0][0]).isNotCloseTo(out3[0][cs], within(1e-6f));
  }

  /** Template and search crop of the same frame and centre: the target score peaks at the centre cell. */
  @ParameterizedTest
  @EnumSource(Version.class)
  void targetScorePeaksAtTheCentreWhenTheSearchCropHoldsTheExemplar(Version v) throws IOException {
    Loaded l = load(v);
    NanoTrackGraph n = l.net();
    Path seq = sharedData().resolve("sequences/Crossing");
    double[] box = box(seq, 1);
    double side = Crops.contextSide(box[2], box[3], 0.5);
    RgbImage img = frame(seq, 1);
    float[] z = Crops.cropAndResize(img, box[0], box[1], side, 127, img.meanColour());
    float[] x = Crops.cropAndResize(img, box[0], box[1], side * 255 / 127, 255, img.meanColour());
    float[] zf = run(l, List.of(n.embedding()), Map.of(n.exemplar(), z))[0];
    float[][] out = run(l, List.of(n.cls(), n.loc()), Map.of(n.embeddingIn(), zf, n.instance(), x));
    int s = v.scoreSize;
    int best = 0;
    double bestScore = -1;
    for (int c = 0; c < s * s; c++) {
      double score = 1 / (1 + Math.exp(out[0][2 * c] - out[0][2 * c + 1])); // softmax, channel 1
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    int centre = s / 2;
    System.out.printf("%s: peak %.3f at (%d, %d), centre cell (%d, %d)%n", v, bestScore, best / s, best % s, centre, centre);
    assertThat(Math.abs(best / s - centre)).isLessThanOrEqualTo(1);
    assertThat(Math.abs(best % s - centre)).isLessThanOrEqualTo(1);
    assertThat(bestScore).isGreaterThan(0.9);
    // the box at the centre cell has the target's size in search-crop pixels (scale 127 / side)
    int c = centre * s + centre;
    double w = out[1][4 * c] + out[1][4 * c + 2];
    double h = out[1][4 * c + 1] + out[1][4 * c + 3];
    double scale = 127 / side;
    System.out.printf("%s: box %.1f x %.1f, target %.1f x %.1f%n", v, w, h, box[2] * scale, box[3] * scale);
    // a 17-pixel-wide pedestrian: the box head widens it by a few pixels at this scale
    assertThat(w / (box[2] * scale)).isBetween(0.7, 1.5);
    assertThat(h / (box[3] * scale)).isBetween(0.7, 1.4);
  }

  @Test
  void exportsASavedModelThatAnswersLikeTheGraph(@TempDir Path dir) {
    Loaded l = load(Version.V3);
    ModelSpec spec = NanoTrackImport.export(weights.resolve(Version.V3.backbone), weights.resolve(Version.V3.head), dir,
        NanoTrackImport.Options.defaults());
    ModelSpec read = ModelSpec.read(dir);
    assertThat(read).isEqualTo(spec);
    assertThat(read.family()).isEqualTo("nanotrack");
    assertThat(read.name()).isEqualTo("nanotrack-v3");
    assertThat(read.scoreSize()).isEqualTo(15);
    assertThat(read.stride()).isEqualTo(16);
    assertThat(read.embeddingShape()).containsExactly(8, 8, 96);
    assertThat(read.outputs()).containsEntry("cls", List.of(15, 15, 2)).containsEntry("loc", List.of(15, 15, 4));
    assertThat(read.hyper("windowInfluence")).isEqualTo(0.455);
    assertThat(read.hyper("penaltyK")).isEqualTo(0.055);

    NanoTrackGraph n = l.net();
    float[] zIn = slice(exemplars, 1, 2, 127);
    float[] xIn = slice(instances, 1, 2, 255);
    float[] z = run(l, List.of(n.embedding()), Map.of(n.exemplar(), zIn))[0];
    float[][] expected = run(l, List.of(n.cls(), n.loc()), Map.of(n.embeddingIn(), z, n.instance(), xIn));
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 ex = tensor(zIn, 2, 127, 127, 3);
        Result zr = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, ex));
        TFloat32 inst = tensor(xIn, 2, 255, 255, 3)) {
      TFloat32 emb = (TFloat32) zr.get(ModelSpec.EMBEDDING).orElseThrow();
      assertClose(floats(emb), z, 0);
      try (Result tr = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, emb, ModelSpec.INSTANCE, inst))) {
        TFloat32 cls = (TFloat32) tr.get("cls").orElseThrow();
        assertThat(cls.shape().asArray()).containsExactly(2, 15, 15, 2);
        assertClose(floats(cls), expected[0], 0);
        assertClose(floats((TFloat32) tr.get("loc").orElseThrow()), expected[1], 0);
      }
    }
  }

  private static void assertClose(float[] item, float[] batch, int offset) {
    for (int i = 0; i < item.length; i++) {
      float e = item[i];
      assertThat(batch[offset + i]).as("element %d", i).isCloseTo(e, within(1e-4f * Math.max(1f, Math.abs(e))));
    }
  }

  private static float[] slice(float[] all, int from, int count, int size) {
    int per = size * size * 3;
    float[] out = new float[count * per];
    System.arraycopy(all, from * per, out, 0, count * per);
    return out;
  }

  private static TFloat32 tensor(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  private static float[] floats(TFloat32 t) {
    float[] d = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(d);
    return d;
  }

  /** Feeds batches (batch size from the array length) and fetches outputs as flat arrays. */
  private static float[][] run(Loaded l, List<Operand<TFloat32>> fetch, Map<Operand<TFloat32>, float[]> feeds) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = l.session().runner();
      for (Map.Entry<Operand<TFloat32>, float[]> f : feeds.entrySet()) {
        long[] s = f.getKey().shape().asArray();
        long per = s[1] * s[2] * s[3];
        s[0] = f.getValue().length / per;
        TFloat32 t = tensor(f.getValue(), s);
        owned.add(t);
        r.feed(f.getKey(), t);
      }
      fetch.forEach(r::fetch);
      try (Result res = r.run()) {
        float[][] out = new float[fetch.size()][];
        for (int i = 0; i < out.length; i++) {
          out[i] = floats((TFloat32) res.get(i));
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** Ground-truth box of a frame (1-based), as centre x, centre y, width, height in 0-based pixel space. */
  static double[] box(Path seq, int frame) throws IOException {
    String[] p = Files.readAllLines(seq.resolve("groundtruth_rect.txt")).get(frame - 1).trim().split("[,\\s]+");
    double x = Double.parseDouble(p[0]) - 1;
    double y = Double.parseDouble(p[1]) - 1;
    double w = Double.parseDouble(p[2]);
    double h = Double.parseDouble(p[3]);
    return new double[] {x + w / 2, y + h / 2, w, h};
  }

  static RgbImage frame(Path seq, int frame) throws IOException {
    try (var files = Files.list(seq.resolve("img"))) {
      List<Path> sorted = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
      return RgbImage.decode(Files.readAllBytes(sorted.get(frame - 1)));
    }
  }
}
