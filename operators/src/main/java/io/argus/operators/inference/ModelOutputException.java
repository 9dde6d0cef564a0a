package io.argus.operators.inference;

/**
 * The network produced NaN or infinite values. The input reached the model, so the frame (or
 * the target) is bad rather than the job: the operator dead-letters it and carries on.
 */
public final class ModelOutputException extends RuntimeException {

  private final String output;
  private final int item;

  public ModelOutputException(String message, String output, int item) {
    super(message);
    this.output = output;
    this.item = item;
  }

  /** Name of the offending output ({@code embedding}, {@code response}, ...). */
  public String output() {
    return output;
  }

  /** Batch row of the first non-finite value: with BatchedTracking, the search crop index. */
  public int item() {
    return item;
  }
}
