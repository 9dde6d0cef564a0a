package io.argus.operators.core;

import io.argus.models.image.Box;
import java.util.Arrays;
import java.util.Objects;

/**
 * One target's tracker state, as Flink keeps it per target ({@code MapState<String, TargetState>}).
 *
 * <p>Only primitives, String and float[] so Flink serialises it as a POJO, never with Kryo.
 * The target is (cx, cy, width, height) in 0-based frame pixels; the search-region side of the
 * Siamese trackers follows from the size and the context amount, so it is not stored.
 *
 * @param targetId id chosen by whoever started the track, unique within a camera
 * @param label free text from the start command (may be null)
 * @param cx centre x in frame pixels
 * @param cy centre y in frame pixels
 * @param width target width in pixels
 * @param height target height in pixels
 * @param score tracker confidence of the last step (raw network score; 1 on the starting frame)
 * @param embedding template embedding, {@code ModelSpec.embeddingSize()} floats, made once at start
 * @param lastFrameSequence sequence number of the last frame this state saw
 * @param framesTracked frames processed since the start (0 on the starting frame)
 * @param lowScoreStreak consecutive frames whose score was under the model's lost threshold
 */
public record TargetState(
    String targetId,
    String label,
    double cx,
    double cy,
    double width,
    double height,
    float score,
    float[] embedding,
    long lastFrameSequence,
    int framesTracked,
    int lowScoreStreak) {

  public Box box() {
    return Box.fromCentre(cx, cy, width, height);
  }

  /** The same target moved to a new box after one more frame. */
  TargetState next(double cx, double cy, double width, double height, float score, long frameSequence,
      int lowScoreStreak) {
    return new TargetState(targetId, label, cx, cy, width, height, score, embedding, frameSequence,
        framesTracked + 1, lowScoreStreak);
  }

  /**
   * The same target with its template blended towards a fresh one (online template update):
   * (1 − rate) · embedding + rate · fresh[offset .. offset + embedding.length). A new array: states
   * already handed out keep theirs.
   */
  public TargetState withTemplateUpdate(float[] fresh, int offset, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("template learning rate must be in [0, 1], got " + rate);
    }
    if (fresh == null || offset < 0 || fresh.length < offset + embedding.length) {
      throw new IllegalArgumentException("target '" + targetId + "': a fresh template of " + embedding.length
          + " floats at offset " + offset + " does not fit " + (fresh == null ? "null" : fresh.length + " floats"));
    }
    float[] blended = new float[embedding.length];
    float keep = (float) (1 - rate);
    float take = (float) rate;
    for (int i = 0; i < blended.length; i++) {
      blended[i] = keep * embedding[i] + take * fresh[offset + i];
    }
    return new TargetState(targetId, label, cx, cy, width, height, score, blended, lastFrameSequence, framesTracked,
        lowScoreStreak);
  }

  // Records compare arrays by reference; state tests and Flink state checks need content equality.
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TargetState s)) {
      return false;
    }
    return Double.compare(cx, s.cx) == 0 && Double.compare(cy, s.cy) == 0
        && Double.compare(width, s.width) == 0 && Double.compare(height, s.height) == 0
        && Float.compare(score, s.score) == 0 && lastFrameSequence == s.lastFrameSequence
        && framesTracked == s.framesTracked && lowScoreStreak == s.lowScoreStreak
        && Objects.equals(targetId, s.targetId) && Objects.equals(label, s.label)
        && Arrays.equals(embedding, s.embedding);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(targetId, label, cx, cy, width, height, score, lastFrameSequence, framesTracked,
        lowScoreStreak);
    return 31 * h + Arrays.hashCode(embedding);
  }

  @Override
  public String toString() {
    return "TargetState[" + targetId + (label == null ? "" : " '" + label + "'")
        + String.format(" centre (%.1f, %.1f) size %.1fx%.1f score %.3f", cx, cy, width, height, score)
        + " frame " + lastFrameSequence + " tracked " + framesTracked + " lowScoreStreak " + lowScoreStreak
        + " embedding " + (embedding == null ? "null" : embedding.length + " floats") + "]";
  }
}
