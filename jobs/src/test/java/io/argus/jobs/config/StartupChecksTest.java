package io.argus.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.DefaultModel;
import io.argus.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model half of the start-up checks: each refusal names what is wrong and what to do. */
class StartupChecksTest {

  @TempDir Path tmp;

  private static List<String> modelProblems(Map<String, String> overrides) {
    List<String> notes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    StartupChecks.checkModel(Settings.load(null, Map.of(), overrides), notes, problems);
    if (problems.isEmpty()) {
      assertThat(notes).hasSize(1);
    }
    return problems;
  }

  /** A copy of the default model's metadata, changed by {@code change}, in its own directory. */
  private Path model(String name, java.util.function.UnaryOperator<ModelSpec> change, boolean savedModel) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    change.apply(ModelSpec.read(DefaultModel.materialize())).write(dir);
    if (savedModel) {
      Files.copy(DefaultModel.materialize().resolve("saved_model.pb"), dir.resolve("saved_model.pb"));
    }
    return dir;
  }

  private static ModelSpec family(ModelSpec s, String family) {
    return new ModelSpec(family, s.name(), s.exemplarSize(), s.instanceSize(), s.scoreSize(), s.stride(),
        s.embeddingShape(), s.outputs(), s.hyper(), s.provenance());
  }

  @Test
  void theDefaultModelPassesWithAndWithoutKnownOverrides() {
    assertThat(modelProblems(Map.of())).isEmpty();
    assertThat(modelProblems(Map.of("tracker.hyper.windowInfluence", "0.3"))).isEmpty();
  }

  @Test
  void aMissingModelDirectoryIsRefused() {
    assertThat(modelProblems(Map.of("model.path", tmp.resolve("nowhere").toString())))
        .singleElement().asString().contains("model (model.path=").contains("does not exist");
  }

  @Test
  void aDirectoryWithoutMetadataIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertThat(modelProblems(Map.of("model.path", dir.toString())))
        .singleElement().asString().contains("no argus-model.json");
  }

  @Test
  void aFamilyWithoutATrackerIsRefused() throws Exception {
    Path dir = model("rpn", s -> family(s, "siamese-unicorn"), true);
    assertThat(modelProblems(Map.of("model.path", dir.toString())))
        .singleElement().asString().contains("family 'siamese-unicorn'").contains("has no tracker; known families: " + io.argus.operators.core.Trackers.families());
  }

  @Test
  void metadataWithoutASavedModelIsRefused() throws Exception {
    Path dir = model("no-graph", s -> s, false);
    assertThat(modelProblems(Map.of("model.path", dir.toString())))
        .singleElement().asString().contains("no saved_model.pb");
  }

  @Test
  void outputsThatDoNotMatchTheContractAreRefused() throws Exception {
    Path dir = model("bad-outputs", s -> new ModelSpec(s.family(), s.name(), s.exemplarSize(), s.instanceSize(),
        s.scoreSize(), s.stride(), List.of(6, 6), Map.of("response", List.of(9, 9)), s.hyper(), s.provenance()), true);
    List<String> problems = modelProblems(Map.of("model.path", dir.toString()));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("embeddingShape must be three positive sizes"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("must declare output 'response' of shape [17, 17]"));
  }

  @Test
  void anOverrideOfAHyperParameterTheModelDoesNotHaveIsRefused() {
    assertThat(modelProblems(Map.of("tracker.hyper.penaltyK", "0.04")))
        .singleElement().asString().contains("tracker.hyper.penaltyK: model 'siamfc-slim-default' has no "
            + "hyper-parameter 'penaltyK'").contains("windowInfluence");
  }

  @Test
  void verifyListsEveryProblemAndTheEscapeHatch() {
    // nothing listens on port 1: the Kafka half fails fast and is reported with the model's problem
    Settings s = Settings.load(null, Map.of(), Map.of("model.path", tmp.resolve("nowhere").toString(),
        "kafka.bootstrap.servers", "localhost:1", "checks.timeout.ms", "1500"));
    assertThatThrownBy(() -> StartupChecks.verify(s))
        .isInstanceOf(StartupChecks.Failure.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("cannot reach Kafka at localhost:1 within 1500 ms")
        .hasMessageContaining("--skip-checks")
        .satisfies(e -> assertThat(((StartupChecks.Failure) e).problems()).hasSize(2));
  }
}
