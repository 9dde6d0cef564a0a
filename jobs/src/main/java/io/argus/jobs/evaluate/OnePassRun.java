package io.argus.jobs.evaluate;

import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs the tracking core one-pass over a sequence: start on the first frame from its ground
 * truth, then track every later frame without ever re-initialising, through the same
 * {@link BatchedTracking} the streaming job uses. The time covers the whole loop: reading and
 * decoding each frame, crops, the model and post-processing.
 */
public final class OnePassRun {

  private OnePassRun() {}

  /** Predicted boxes (the first is the ground truth it started from) and the seconds it took. */
  public record Result(List<Box> predicted, double seconds) {}

  /**
   * @param maxFrames stop after this many frames (0 = all)
   * @param progress called with the number of frames done after each frame
   */
  public static Result run(BatchedTracking tracking, Sequence sequence, int maxFrames, IntConsumer progress) {
    Box start = sequence.truth(0);
    if (!start.isValid()) {
      throw new IllegalArgumentException(sequence.name() + ": the first frame has no valid ground-truth box (" + start
          + "); one-pass evaluation starts from it");
    }
    int n = maxFrames > 0 ? Math.min(maxFrames, sequence.size()) : sequence.size();
    List<Box> predicted = new ArrayList<>(n);
    long t0 = System.nanoTime();
    RgbImage first = sequence.image(0);
    TargetState state = tracking.start(first, List.of(new StartRequest(sequence.name(), start, null)), 0).get(0);
    predicted.add(start);
    progress.accept(1);
    for (int f = 1; f < n; f++) {
      RgbImage frame = sequence.image(f);
      TrackStep step = tracking.track(frame, List.of(state), f).get(0);
      state = step.state();
      predicted.add(step.box());
      progress.accept(f + 1);
    }
    return new Result(predicted, (System.nanoTime() - t0) / 1e9);
  }
}
