package io.argus.models.cfnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.Crops;
import io.argus.models.image.RgbImage;
import io.argus.models.matconvnet.MatConvNetImport;
import io.argus.models.siamfc.FloatTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/**
 * The three CFNet networks of ../shared/data/weights/cfnet, imported once each: shapes and
 * settings, and on a real frame (Crossing, frame 1, ground-truth box) the response peaks at the
 * centre when the search crop is the exemplar's crop, and moves by shift / stride cells when the
 * object sits off-centre in the search crop. Skips where the shared data is absent.
 */
class RealCfNetTest {

  private static Path weights;
  private static Path crossing;

  @TempDir
  static Path dir;

  @BeforeAll
  static void findData() {
    for (String root : new String[] {"../shared/data", "../../shared/data"}) {
      if (Files.isDirectory(Path.of(root, "weights", "cfnet"))) {
        weights = Path.of(root, "weights", "cfnet");
        crossing = Path.of(root, "sequences", "Crossing");
      }
    }
    if (weights == null) {
      System.out.println("skipped: ../shared/data/weights/cfnet absent");
    }
  }

  private static void check(String file, List<Integer> embedding, double scaleStep, double templateLr) {
    Assumptions.assumeTrue(weights != null, "skipped: ../shared/data/weights/cfnet absent");
    Path out = dir.resolve(file);
    ModelSpec spec = MatConvNetImport.importNetwork(weights.resolve(file), out, null, Map.of(), null);
    assertThat(spec.family()).isEqualTo("cfnet");
    assertThat(spec.exemplarSize()).isEqualTo(255);
    assertThat(spec.instanceSize()).isEqualTo(255);
    assertThat(spec.scoreSize()).isEqualTo(33);
    assertThat(spec.stride()).isEqualTo(4);
    assertThat(spec.embeddingShape()).isEqualTo(embedding);
    assertThat(spec.hyper()).containsEntry("scaleStep", scaleStep).containsEntry("templateLr", templateLr)
        .containsEntry("responseUpsample", 8.0);

    if (!Files.isDirectory(crossing)) {
      System.out.println("skipped response check: " + crossing + " absent");
      return;
    }
    Sequence seq = Sequence.open(crossing);
    RgbImage frame = seq.image(0);
    Box box = seq.truth(0);
    double side = Crops.contextSide(box.width(), box.height(), 0.5);
    float[] mean = frame.meanColour();
    float[] exemplar = Crops.cropAndResize(frame, box.cx(), box.cy(), side, 255, mean);
    int shift = 32; // crop pixels: the object appears 32 px right of the search crop's centre
    float[] search = new float[2 * 255 * 255 * 3];
    System.arraycopy(exemplar, 0, search, 0, exemplar.length);
    Crops.cropAndResize(frame, box.cx() - shift * side / 255, box.cy(), side, 255, mean, search, exemplar.length);

    try (SavedModelBundle b = SavedModelBundle.load(out.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 z = FloatTensors.of(exemplar, 1, 255, 255, 3);
        Result t = b.function(ModelSpec.TEMPLATE).call(Map.of(ModelSpec.EXEMPLAR, z))) {
      float[] e = FloatTensors.read(t.get(ModelSpec.EMBEDDING).orElseThrow());
      assertThat(e).hasSize(embedding.get(0) * embedding.get(1) * embedding.get(2));
      float[] twice = new float[2 * e.length];
      System.arraycopy(e, 0, twice, 0, e.length);
      System.arraycopy(e, 0, twice, e.length, e.length);
      try (TFloat32 emb = FloatTensors.of(twice, 2, embedding.get(0), embedding.get(1), embedding.get(2));
          TFloat32 x = FloatTensors.of(search, 2, 255, 255, 3);
          Result r = b.function(ModelSpec.TRACK).call(Map.of(ModelSpec.EMBEDDING, emb, ModelSpec.INSTANCE, x))) {
        float[] resp = FloatTensors.read(r.get("response").orElseThrow());
        int centred = argmax(resp, 0, 33 * 33);
        int shifted = argmax(resp, 33 * 33, 33 * 33);
        System.out.printf("%s: centred peak (%d, %d), shifted peak (%d, %d)%n", file, centred / 33, centred % 33,
            shifted / 33, shifted % 33);
        assertThat(centred / 33).isBetween(15, 17);
        assertThat(centred % 33).isBetween(15, 17);
        assertThat(shifted / 33).isBetween(15, 17);
        assertThat(shifted % 33).isBetween(16 + shift / 4 - 1, 16 + shift / 4 + 1);
      }
    }
  }

  private static int argmax(float[] a, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (a[from + i] > a[from + best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void cfnetConv1() {
    check("cfnet-conv1_e75.mat", List.of(30, 30, 32), 1.0355, 0.0058);
  }

  @Test
  void cfnetConv2() {
    check("cfnet-conv2_e80.mat", List.of(25, 25, 32), 1.0575, 0.005);
  }

  @Test
  void baselineConv3OnCfnetConv3() {
    check("baseline-conv3-on-cfnet-conv3_e100.mat", List.of(21, 21, 32), 1.034, 0.008);
  }
}
