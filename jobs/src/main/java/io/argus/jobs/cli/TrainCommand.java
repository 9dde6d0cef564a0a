package io.argus.jobs.cli;

import io.argus.models.siamfc.BackboneConfig;
import io.argus.models.train.CentreError;
import io.argus.models.train.PairSource;
import io.argus.models.train.TrainOptions;
import io.argus.models.train.Trainer;
import io.argus.models.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code argus train}: trains a SiamFC model on generated scenes and/or real sequences and exports it. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
        "Trains a SiamFC model (AlexNet backbone, balanced logistic loss, SGD with momentum) and exports it as a",
        "model directory (SavedModel + argus-model.json) with batch norm folded into the convolutions.",
        "Reproducible: the same options and data give the same pairs and initial weights.",
        "Example: argus train --scenes --steps 1500 --backbone slim --seed 20240601 --output runs/siamfc-slim"})
public final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--scenes", description = "Train on generated scenes (look-alike distractors, occlusion, scale and light change).")
  boolean scenes;

  @Option(names = "--sequences", arity = "1..*", paramLabel = "DIR",
      description = "Train on real sequences: OTB layout (<name>/img/*.jpg + groundtruth_rect.txt) or GOT-10k layout, one dataset root or sequence folder per DIR.")
  List<Path> sequences = new ArrayList<>();

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to write.")
  Path output;

  @Option(names = "--name", description = "Model name in the metadata (default: siamfc-<widths>).")
  String name;

  @Option(names = "--backbone", defaultValue = "slim",
      description = "Channel widths: standard (96,256,384,384,256), slim (48,128,192,192,128), or five numbers. Default: ${DEFAULT-VALUE}.")
  String backbone;

  @Option(names = "--steps", defaultValue = "1500", description = "SGD steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--batch", defaultValue = "8", description = "Pairs per step. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--lr-start", defaultValue = "1e-2", description = "Learning rate at the first step. Default: ${DEFAULT-VALUE}.")
  double lrStart;

  @Option(names = "--lr-end", defaultValue = "1e-5", description = "Learning rate at the last step (exponential decay). Default: ${DEFAULT-VALUE}.")
  double lrEnd;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
  double momentum;

  @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
  double weightDecay;

  @Option(names = "--seed", defaultValue = "20240601", description = "Seed of the initial weights and of every pair. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Save variables here every --checkpoint-every steps; a rerun with the same directory resumes from the latest.")
  Path checkpointDir;

  @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints. Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Option(names = "--bn-batches", defaultValue = "20",
      description = "Batches over which batch-norm population statistics are measured before export. Default: ${DEFAULT-VALUE}.")
  int bnBatches;

  @Option(names = "--workers", defaultValue = "2", description = "Threads generating pairs. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--eval-pairs", defaultValue = "0",
      description = "After export, measure the response-peak centre error on this many held-out pairs (another seed). Default: ${DEFAULT-VALUE}.")
  int evalPairs;

  @Override
  public Integer call() {
    if (!scenes && sequences.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no training data: give --scenes, --sequences DIR..., or both");
    }
    for (Path p : sequences) {
      if (!Files.isDirectory(p)) {
        throw new ParameterException(spec.commandLine(), "--sequences " + p + " is not a directory");
      }
    }
    BackboneConfig widths;
    try {
      widths = BackboneConfig.parse(backbone);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    TrainOptions options = new TrainOptions(steps, batch, lrStart, lrEnd, momentum, weightDecay, seed, widths,
        checkpointDir, checkpointEvery, output, name != null ? name : "siamfc-" + widths.text(), bnBatches, workers,
        "argus train " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    PairSource source = TrainingData.source(scenes, sequences, seed);
    String description = TrainingData.describe(scenes, sequences);
    System.out.printf("training %s on %s: %d steps x %d pairs, seed %d%n", options.modelName(), description, steps,
        batch, seed);
    Trainer.Outcome outcome = new Trainer(options, source, description, System.out).run();
    System.out.printf("final loss %.4f, %.2f s/step%n", outcome.finalLoss(), outcome.secondsPerStep());
    if (evalPairs > 0) {
      // other scenes (another pool seed) and other draws: pairs the training never saw
      long heldOut = seed ^ 0x4E1DL;
      CentreError.Stats s = CentreError.measure(output, TrainingData.source(scenes, sequences, heldOut), heldOut,
          evalPairs);
      System.out.println("held-out centre error: " + s);
    }
    return 0;
  }
}
