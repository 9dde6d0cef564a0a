package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-frame orchestration shared by the Flink operator, {@code evaluate} and the benchmarks, so
 * all three run the same tracker: crop every target, make ONE batched model call per frame (or
 * per group of frames of different cameras, {@link #track(List)}), and hand each target its slice
 * of the outputs. Where the tracker updates templates online
 * ({@link Tracker#templateLearningRate()} > 0), a second batched call makes the fresh templates.
 *
 * <p>Holds no per-target state; thread-safe if the tracker and model are (both shipped ones are).
 */
public final class BatchedTracking {

  private final Tracker tracker;
  private final SiameseModel model;
  private final ModelSpec spec;
  private final int exemplarFloats;
  private final int instanceFloats;
  private final int embeddingSize;

  public BatchedTracking(Tracker tracker, SiameseModel model) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.model = Objects.requireNonNull(model, "model");
    this.spec = model.spec();
    ModelSpec t = tracker.spec();
    if (t.exemplarSize() != spec.exemplarSize() || t.instanceSize() != spec.instanceSize()
        || !t.embeddingShape().equals(spec.embeddingShape()) || !t.outputs().equals(spec.outputs())) {
      throw new IllegalArgumentException("tracker made for model '" + t.name() + "' (exemplar " + t.exemplarSize()
          + ", instance " + t.instanceSize() + ", embedding " + t.embeddingShape() + ", outputs " + t.outputs()
          + ") does not fit model '" + spec.name() + "' (exemplar " + spec.exemplarSize() + ", instance "
          + spec.instanceSize() + ", embedding " + spec.embeddingShape() + ", outputs " + spec.outputs()
          + "): build the tracker with Trackers.forSpec(model.spec())");
    }
    if (tracker.maskRefinement() != null && !model.hasMask()) {
      throw new IllegalArgumentException("model '" + spec.name() + "' (" + spec.family() + ") has no '" + ModelSpec.MASK
          + "' signature, which its tracker needs to refine masks: export it again (argus import-onnx --family "
          + spec.family() + ")");
    }
    this.exemplarFloats = spec.exemplarSize() * spec.exemplarSize() * 3;
    this.instanceFloats = spec.instanceSize() * spec.instanceSize() * 3;
    this.embeddingSize = spec.embeddingSize();
  }

  /**
   * Throws an {@link IllegalArgumentException} saying why when the request's box does not overlap
   * the frame (its template would be nothing but padding). The operator may call it per request
   * to dead-letter bad commands one by one; {@link #start} calls it for every request.
   */
  public static void checkStartable(RgbImage frame, StartRequest request) {
    Box b = request.box();
    if (b.x() >= frame.width() || b.y() >= frame.height() || b.x() + b.width() <= 0 || b.y() + b.height() <= 0) {
      throw new IllegalArgumentException(String.format(
          "target '%s': box x=%.1f y=%.1f w=%.1f h=%.1f lies outside the %dx%d frame (0-based pixels, top-left corner)",
          request.targetId(), b.x(), b.y(), b.width(), b.height(), frame.width(), frame.height()));
    }
  }

  /**
   * Starts every requested target on this frame with one batched {@code template} call.
   *
   * @throws IllegalArgumentException naming the first request whose box lies outside the frame
   *     (see {@link #checkStartable}); nothing is started then
   */
  public List<TargetState> start(RgbImage frame, List<StartRequest> requests, long frameSequence) {
    if (requests.isEmpty()) {
      return List.of();
    }
    for (StartRequest r : requests) {
      checkStartable(frame, r);
    }
    int n = requests.size();
    float[] exemplars = new float[n * exemplarFloats];
    for (int i = 0; i < n; i++) {
      tracker.exemplar(frame, requests.get(i).box(), exemplars, i * exemplarFloats);
    }
    float[] embeddings = model.template(exemplars, n);
    if (embeddings.length != n * embeddingSize) {
      throw new IllegalStateException("model '" + spec.name() + "' returned " + embeddings.length
          + " embedding floats for " + n + " exemplars, expected " + n + " x " + embeddingSize);
    }
    List<TargetState> started = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] embedding = Arrays.copyOfRange(embeddings, i * embeddingSize, (i + 1) * embeddingSize);
      started.add(tracker.start(requests.get(i), embedding, frameSequence));
    }
    return started;
  }

  /**
   * Tracks every target into this frame with one batched {@code track} call over all targets'
   * search crops; steps come back in the order of {@code targets}. The same as
   * {@link #track(List)} with one frame.
   */
  public List<TrackStep> track(RgbImage frame, List<TargetState> targets, long frameSequence) {
    return track(List.of(new FrameTargets(frame, targets, frameSequence))).get(0);
  }

  /**
   * Tracks the targets of several frames (of different cameras, or any frames whose targets do not
   * depend on one another) with ONE batched {@code track} call over all their search crops; the
   * online template update, where the tracker has one, is one more batched call over all of them.
   * Each target is cropped from and located in its own frame. Steps come back per frame, in the
   * order of {@code frames} and, within a frame, of its targets.
   *
   * <p>Two frames of one camera must never share a call: the second frame's search regions
   * follow from the first one's result.
   */
  public List<List<TrackStep>> track(List<FrameTargets> frames) {
    int crops = tracker.searchCropsPerTarget();
    int n = 0;
    for (FrameTargets f : frames) {
      n += f.targets().size();
    }
    if (n == 0) {
      List<List<TrackStep>> none = new ArrayList<>(frames.size());
      frames.forEach(f -> none.add(List.of()));
      return none;
    }
    int batch = n * crops;
    float[] instances = new float[batch * instanceFloats];
    float[] embeddings = new float[batch * embeddingSize];
    int i = 0;
    for (FrameTargets f : frames) {
      for (TargetState t : f.targets()) {
        if (t.embedding() == null || t.embedding().length != embeddingSize) {
          throw new IllegalArgumentException("target '" + t.targetId() + "' carries an embedding of "
              + (t.embedding() == null ? "null" : t.embedding().length + " floats") + " but model '" + spec.name()
              + "' uses " + embeddingSize + ": the state was made by another model; start the target again");
        }
        tracker.searchRegions(t, f.frame(), instances, i * crops * instanceFloats);
        for (int j = 0; j < crops; j++) {
          System.arraycopy(t.embedding(), 0, embeddings, (i * crops + j) * embeddingSize, embeddingSize);
        }
        i++;
      }
    }
    Map<String, float[]> outputs = model.track(embeddings, instances, batch);
    for (Map.Entry<String, List<Integer>> o : spec.outputs().entrySet()) {
      float[] values = outputs.get(o.getKey());
      int perItem = o.getValue().stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
      if (values == null || values.length != batch * perItem) {
        throw new IllegalStateException("model '" + spec.name() + "' output '" + o.getKey() + "' has "
            + (values == null ? "no values" : values.length + " floats") + ", expected " + batch + " x " + perItem);
      }
    }
    List<List<TrackStep>> steps = new ArrayList<>(frames.size());
    List<RgbImage> stepFrames = new ArrayList<>(n);
    i = 0;
    for (FrameTargets f : frames) {
      List<TrackStep> frameSteps = new ArrayList<>(f.targets().size());
      for (TargetState t : f.targets()) {
        frameSteps.add(tracker.locate(t, outputs, i * crops, f.frame(), f.frameSequence()));
        stepFrames.add(f.frame());
        i++;
      }
      steps.add(frameSteps);
    }
    double rate = tracker.templateLearningRate();
    steps = rate > 0 ? updateTemplates(stepFrames, steps, rate) : steps;
    return refineMasks(frames, stepFrames, steps, outputs, embeddings, instances);
  }

  /**
   * Mask refinement (SiamMask): one batched {@code mask} call on the targets tracked in these
   * frames, each at the score-map cell its tracker chose, reusing this call's search crops; each
   * target's step then carries its segmentation. Lost targets get none: their best cell is not
   * the target.
   *
   * @param stepFrames the frame of every step, flattened in the order of {@code steps}
   */
  private List<List<TrackStep>> refineMasks(List<FrameTargets> frames, List<RgbImage> stepFrames,
      List<List<TrackStep>> steps, Map<String, float[]> outputs, float[] embeddings, float[] instances) {
    MaskRefinement refinement = tracker.maskRefinement();
    if (refinement == null) {
      return steps;
    }
    int crops = tracker.searchCropsPerTarget();
    List<TargetState> targets = new ArrayList<>(stepFrames.size());
    frames.forEach(f -> targets.addAll(f.targets()));
    List<TrackStep> flat = new ArrayList<>(stepFrames.size());
    steps.forEach(flat::addAll);
    List<Integer> tracked = tracked(flat);
    if (tracked.isEmpty()) {
      return steps;
    }
    int m = tracked.size();
    int[][] cells = new int[m][];
    int[] positions = new int[2 * m];
    float[] emb = new float[m * embeddingSize];
    float[] inst = new float[m * instanceFloats];
    for (int k = 0; k < m; k++) {
      int item = tracked.get(k) * crops;
      cells[k] = refinement.position(targets.get(tracked.get(k)), outputs, item);
      positions[2 * k] = cells[k][0];
      positions[2 * k + 1] = cells[k][1];
      System.arraycopy(embeddings, item * embeddingSize, emb, k * embeddingSize, embeddingSize);
      System.arraycopy(instances, item * instanceFloats, inst, k * instanceFloats, instanceFloats);
    }
    int maskFloats = spec.exemplarSize() * spec.exemplarSize();
    float[] masks = model.mask(emb, inst, positions, m);
    if (masks.length != m * maskFloats) {
      throw new IllegalStateException("model '" + spec.name() + "' returned " + masks.length + " mask floats for " + m
          + " targets, expected " + m + " x " + maskFloats);
    }
    for (int k = 0; k < m; k++) {
      int i = tracked.get(k);
      flat.set(i, refinement.segment(targets.get(i), flat.get(i), cells[k], masks, k * maskFloats, stepFrames.get(i)));
    }
    return regroup(flat, steps);
  }

  /**
   * Online template update (CFNet): one batched {@code template} call on exemplar crops at the
   * new boxes of the targets tracked in these frames, blended into their embeddings. Lost targets
   * keep theirs: their held box would teach the template the background.
   *
   * @param stepFrames the frame of every step, flattened in the order of {@code steps}
   */
  private List<List<TrackStep>> updateTemplates(List<RgbImage> stepFrames, List<List<TrackStep>> steps, double rate) {
    List<TrackStep> flat = new ArrayList<>(stepFrames.size());
    steps.forEach(flat::addAll);
    List<Integer> tracked = tracked(flat);
    if (tracked.isEmpty()) {
      return steps;
    }
    int m = tracked.size();
    float[] exemplars = new float[m * exemplarFloats];
    for (int k = 0; k < m; k++) {
      tracker.exemplar(stepFrames.get(tracked.get(k)), flat.get(tracked.get(k)).box(), exemplars, k * exemplarFloats);
    }
    float[] fresh = model.template(exemplars, m);
    if (fresh.length != m * embeddingSize) {
      throw new IllegalStateException("model '" + spec.name() + "' returned " + fresh.length
          + " embedding floats for " + m + " exemplars, expected " + m + " x " + embeddingSize);
    }
    for (int k = 0; k < m; k++) {
      TrackStep s = flat.get(tracked.get(k));
      flat.set(tracked.get(k), s.withState(s.state().withTemplateUpdate(fresh, k * embeddingSize, rate)));
    }
    return regroup(flat, steps);
  }

  /** Indices of the steps still tracking: the second passes (mask, template update) skip lost targets. */
  private static List<Integer> tracked(List<TrackStep> flat) {
    List<Integer> tracked = new ArrayList<>();
    for (int i = 0; i < flat.size(); i++) {
      if (flat.get(i).status() == TrackStatus.TRACKING) {
        tracked.add(i);
      }
    }
    return tracked;
  }

  /** The flattened steps cut back into one list per frame, with the sizes of {@code shape}. */
  private static List<List<TrackStep>> regroup(List<TrackStep> flat, List<List<TrackStep>> shape) {
    List<List<TrackStep>> grouped = new ArrayList<>(shape.size());
    int at = 0;
    for (List<TrackStep> frameSteps : shape) {
      grouped.add(new ArrayList<>(flat.subList(at, at + frameSteps.size())));
      at += frameSteps.size();
    }
    return grouped;
  }
}
