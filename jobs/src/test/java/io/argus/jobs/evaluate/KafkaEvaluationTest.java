package io.argus.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.feed.SceneFeed;
import io.argus.models.DefaultModel;
import io.argus.models.data.ImageEncoding;
import io.argus.models.data.SceneFrame;
import io.argus.models.data.Sequence;
import io.argus.models.data.SyntheticScene;
import io.argus.models.image.Box;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.SavedModelRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --through-kafka} scores the boxes the product publishes; {@code evaluate} scores
 * the tracking core run in-process. Same frames, same model, same core: the boxes must agree.
 */
class KafkaEvaluationTest {

  @TempDir Path tmp;

  @Test
  void theBrokerAndTheJobGiveTheBoxesTheCoreGives() throws Exception {
    SyntheticScene scene = new SyntheticScene(SceneFeed.demoSpec(320, 240, 2, 21));
    Path dir = tmp.resolve("scene");
    Files.createDirectories(dir.resolve("img"));
    StringBuilder gt = new StringBuilder();
    for (int t = 0; t < 12; t++) {
      SceneFrame f = scene.frame(t);
      Files.write(dir.resolve("img").resolve(String.format("%04d.jpg", t + 1)), ImageEncoding.jpeg(f.image(), 0.9f));
      Box b = f.truths().get(0);
      gt.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f%n", b.x() + 1, b.y() + 1, b.width(), b.height()));
    }
    Files.writeString(dir.resolve("groundtruth_rect.txt"), gt);
    Sequence sequence = Sequence.open(dir);

    List<Box> direct;
    try (SavedModelRunner runner = SavedModelRunner.load(DefaultModel.materialize())) {
      direct = OnePassRun.run(new BatchedTracking(Trackers.forSpec(runner.spec()), runner), sequence, 0, i -> { })
          .predicted();
    }
    KafkaEvaluation.Run viaKafka = KafkaEvaluation.run("default", List.of(sequence), 0, System.out);

    List<Box> published = viaKafka.predicted().get(0);
    assertThat(published).hasSize(12);
    for (int t = 0; t < 12; t++) {
      Box a = direct.get(t);
      Box b = published.get(t);
      assertThat(b.isValid()).as("frame %d has an update", t).isTrue();
      // the topic carries floats; the core computes in doubles
      assertThat(Math.abs(a.x() - b.x()) + Math.abs(a.y() - b.y()) + Math.abs(a.width() - b.width())
          + Math.abs(a.height() - b.height())).as("box difference at frame %d", t).isLessThan(0.01);
    }
    double auc = OnePassEvaluation.of(published, sequence.groundTruth()).auc();
    System.out.printf(Locale.ROOT, "through Kafka: AUC %.3f over 12 frames in %.1f s%n", auc, viaKafka.seconds());
    assertThat(auc).isGreaterThan(0.5);
  }
}
