package io.argus.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.ModelSpec;
import io.argus.models.siamfc.BackboneConfig;
import io.argus.models.siamfc.SiamFcWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;

class TrainerTest {

  private static final BackboneConfig TINY = BackboneConfig.TINY;

  @Test
  void stepsOnAFixedBatchLowerItsLoss() {
    PairBatches.Batch batch;
    try (PairBatches b = new PairBatches(new SquarePairSource(16), 4, 1, 0, 1)) {
      batch = b.next();
    }
    try (SiamFcTrainingGraph g = new SiamFcTrainingGraph(TINY, 0.9, 5e-4)) {
      g.load(SiamFcWeights.initial(TINY, 3));
      float before = g.loss(batch);
      for (int i = 0; i < 15; i++) {
        g.step(batch, 1e-2);
      }
      float after = g.loss(batch);
      System.out.printf("fixed-batch loss %.5f -> %.5f%n", before, after);
      assertThat(after).isLessThan(before * 0.97f);
    }
  }

  @Test
  void batchesAreReproducibleWhateverTheThreads() {
    try (PairBatches one = new PairBatches(new SquarePairSource(16), 2, 42, 0, 1);
        PairBatches two = new PairBatches(new SquarePairSource(16), 2, 42, 0, 3)) {
      for (int k = 0; k < 3; k++) {
        PairBatches.Batch a = one.next();
        PairBatches.Batch b = two.next();
        assertThat(java.util.Arrays.equals(a.instances(), b.instances())).isTrue();
        assertThat(java.util.Arrays.equals(a.exemplars(), b.exemplars())).isTrue();
        assertThat(a.offsetX()).containsExactly(b.offsetX());
      }
    }
  }

  @Test
  void trainsCheckpointsResumesAndExports(@TempDir Path tmp) throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    Path model = tmp.resolve("model");
    TrainOptions first = new TrainOptions(2, 2, 1e-2, 1e-3, 0.9, 5e-4, 7, TINY, ckpt, 1, model, "tiny-test", 2, 2,
        "test");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Trainer.Outcome a = new Trainer(first, new SquarePairSource(8), "squares", new PrintStream(log, true,
        StandardCharsets.UTF_8)).run();
    assertThat(a.stepsRun()).isEqualTo(2);
    assertThat(Trainer.latestCheckpoint(ckpt).getFileName().toString()).isEqualTo("step-0000002.weights");

    TrainOptions more = new TrainOptions(3, 2, 1e-2, 1e-3, 0.9, 5e-4, 7, TINY, ckpt, 1, model, "tiny-test", 2, 2,
        "test");
    Trainer.Outcome b = new Trainer(more, new SquarePairSource(8), "squares", new PrintStream(log, true,
        StandardCharsets.UTF_8)).run();
    assertThat(b.stepsRun()).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("3/3 loss");

    ModelSpec spec = ModelSpec.read(model);
    assertThat(spec.name()).isEqualTo("tiny-test");
    assertThat(spec.provenance()).containsEntry("seed", "7").containsEntry("steps", "3").containsKey("finalLoss");
    assertThat(Files.isRegularFile(model.resolve("saved_model.pb"))).isTrue();
    try (SavedModelBundle bundle = SavedModelBundle.loader(model.toString()).withTags("serve").load()) {
      assertThat(bundle.function(ModelSpec.TRACK).signature().outputNames()).containsExactly("response");
    }
  }
}
