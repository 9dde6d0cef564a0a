package io.argus.models.train;

import io.argus.models.siamfc.BackboneConfig;
import java.nio.file.Path;

/**
 * Everything a SiamFC training run depends on; with the same options and pair source a run is
 * reproducible (pairs are drawn per batch from the seed, weights initialised from it).
 *
 * @param steps SGD steps (batches)
 * @param batch pairs per step
 * @param lrStart learning rate of the first step (siamfc-pytorch: 1e-2)
 * @param lrEnd learning rate of the last step, reached by exponential decay (1e-5)
 * @param momentum SGD momentum (0.9)
 * @param weightDecay L2 weight decay on every parameter, as torch.optim.SGD does (5e-4)
 * @param seed seeds the initial weights and every generated pair
 * @param backbone channel widths
 * @param checkpointDir where variables are saved every {@code checkpointEvery} steps and resumed
 *     from; null for none
 * @param checkpointEvery steps between checkpoints
 * @param outputDir the exported model directory
 * @param modelName the name written in the model metadata
 * @param bnBatches batches over which batch-norm population statistics are measured before export
 * @param workers threads generating pairs
 * @param commandLine how the run was started, for the model's provenance
 */
public record TrainOptions(
    int steps,
    int batch,
    double lrStart,
    double lrEnd,
    double momentum,
    double weightDecay,
    long seed,
    BackboneConfig backbone,
    Path checkpointDir,
    int checkpointEvery,
    Path outputDir,
    String modelName,
    int bnBatches,
    int workers,
    String commandLine) {

  public TrainOptions {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (!(lrStart > 0) || !(lrEnd > 0)) {
      throw new IllegalArgumentException("learning rates must be positive, got " + lrStart + " -> " + lrEnd);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpoint interval must be >= 1 step, got " + checkpointEvery);
    }
    if (bnBatches < 1) {
      throw new IllegalArgumentException("batch-norm statistics need at least one batch, got " + bnBatches);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("pair workers must be >= 1, got " + workers);
    }
    if (outputDir == null) {
      throw new IllegalArgumentException("an output directory for the exported model is required");
    }
  }

  /** siamfc-pytorch's optimiser settings with the given length, seed, widths and output. */
  public static TrainOptions defaults(int steps, long seed, BackboneConfig backbone, Path outputDir) {
    return new TrainOptions(steps, 8, 1e-2, 1e-5, 0.9, 5e-4, seed, backbone, null, 500, outputDir,
        "siamfc-" + backbone.text(), 20, 2, "");
  }

  /** Exponential decay from lrStart at step 0 to lrEnd at the last step. */
  public double learningRate(int step) {
    if (steps <= 1) {
      return lrStart;
    }
    return lrStart * Math.pow(lrEnd / lrStart, step / (double) (steps - 1));
  }
}
