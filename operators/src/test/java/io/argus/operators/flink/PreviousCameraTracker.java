package io.argus.operators.flink;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.image.UnreadableImageException;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.StartRequest;
import io.argus.operators.core.TargetState;
import io.argus.operators.core.TrackStatus;
import io.argus.operators.core.TrackStep;
import io.argus.operators.core.Trackers;
import io.argus.operators.inference.ModelOutputException;
import io.argus.operators.inference.SavedModelRunner;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * FROZEN: the tracking function as it was before cross-camera batching (commit 26124cd, a
 * {@code KeyedCoProcessFunction} run by Flink's {@code KeyedCoProcessOperator}), renamed. Only
 * {@link CameraTrackerUpgradeTest} uses it, to write the savepoints of the previous version that
 * today's {@link CameraTracker} operator must restore. Do not change it.
 */
public final class PreviousCameraTracker extends KeyedCoProcessFunction<String, FrameEvent, CommandEvent, TrackUpdate> {

  private final TrackerSettings settings;

  private transient SavedModelRunner model;
  private transient BatchedTracking tracking;
  private transient String modelName;

  private transient MapState<String, TargetState> targets;
  private transient MapState<Long, FrameEvent> recentFrames;
  private transient MapState<String, CommandEvent> pendingStarts;
  private transient ValueState<Long> lastSequence;
  private transient ValueState<Resolution> resolution;
  /** Processing time of the camera's last frame or command. */
  private transient ValueState<Long> lastActivity;
  /** When the camera's one idle timer fires; null while none is registered. */
  private transient ValueState<Long> idleTimer;

  private transient Counter framesIn;
  private transient Counter framesSkipped;
  private transient Counter targetFrames;
  private transient Counter deadLetters;
  private transient Counter resolutionChanges;
  private transient Counter camerasExpired;

  public PreviousCameraTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    model = SavedModelRunner.load(ModelLocations.resolve(settings.modelPath()));
    tracking = new BatchedTracking(Trackers.forSpec(model.spec().withHyperOverrides(settings.hyperOverrides())), model);
    modelName = model.spec().name();

    targets = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("targets", Types.STRING, TypeInformation.of(TargetState.class)));
    recentFrames = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("recent-frames", Types.LONG, TypeInformation.of(FrameEvent.class)));
    pendingStarts = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-starts", Types.STRING, TypeInformation.of(CommandEvent.class)));
    lastSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
    resolution = getRuntimeContext().getState(
        new ValueStateDescriptor<>("resolution", TypeInformation.of(Resolution.class)));
    lastActivity = getRuntimeContext().getState(new ValueStateDescriptor<>("last-activity", Types.LONG));
    idleTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("idle-timer", Types.LONG));

    var metrics = getRuntimeContext().getMetricGroup();
    framesIn = metrics.counter("framesIn");
    framesSkipped = metrics.counter("framesSkipped");
    targetFrames = metrics.counter("targetFrames");
    deadLetters = metrics.counter("deadLetters");
    resolutionChanges = metrics.counter("resolutionChanges");
    camerasExpired = metrics.counter("camerasExpired");
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
    }
  }

  // ---- frames ---------------------------------------------------------------------------------

  @Override
  public void processElement1(FrameEvent frame, Context ctx, Collector<TrackUpdate> out) throws Exception {
    framesIn.inc();
    Long last = lastSequence.value();
    if (last != null && frame.sequence() <= last) {
      // a duplicate or a frame overtaken by a newer one: tracking backwards in time would corrupt state.
      // Not counted as activity: a camera that restarted its numbering expires after the idle timeout.
      framesSkipped.inc();
      return;
    }
    touch(ctx);
    Resolution size = new Resolution(frame.width(), frame.height());
    Resolution previous = resolution.value();
    RgbImage early = null;
    if (previous != null && !previous.equals(size)) {
      // confirm the new size from the pixels before restarting the camera on one frame's word
      early = decode(frame, ctx);
      if (early == null) {
        return;
      }
      resolutionChanged(frame, previous, size, ctx, out);
    }
    lastSequence.update(frame.sequence());
    if (!size.equals(previous)) {
      resolution.update(size);
    }
    buffer(frame);

    List<TargetState> active = new ArrayList<>();
    targets.values().forEach(active::add);
    List<CommandEvent> due = new ArrayList<>();
    for (CommandEvent c : pendingStarts.values()) {
      if (c.frameSequence() <= frame.sequence()) {
        due.add(c);
      }
    }
    if (active.isEmpty() && due.isEmpty()) {
      return; // nothing to track: not even worth decoding
    }
    RgbImage image = early != null ? early : decode(frame, ctx);
    if (image == null) {
      for (CommandEvent c : due) {
        if (c.frameSequence() == frame.sequence()) {
          pendingStarts.remove(c.targetId());
          refuse(ctx, c, DeadLetterReason.UNREADABLE_IMAGE, "START for target '" + c.targetId() + "' names frame "
              + frame.sequence() + " of camera '" + c.cameraId() + "', which could not be decoded; send the command "
              + "again naming another frame");
        }
      }
      return;
    }
    if (!active.isEmpty()) {
      track(image, frame, active, ctx, out);
    }
    List<CommandEvent> startsHere = new ArrayList<>();
    for (CommandEvent c : due) {
      pendingStarts.remove(c.targetId());
      if (c.frameSequence() == frame.sequence()) {
        startsHere.add(c);
      } else {
        refuse(ctx, c, DeadLetterReason.FRAME_NEVER_ARRIVED, "START for target '" + c.targetId() + "' names frame "
            + c.frameSequence() + " of camera '" + c.cameraId() + "', which never arrived (frame " + frame.sequence()
            + " came next); send the command again naming a frame the camera has published");
      }
    }
    if (!startsHere.isEmpty()) {
      start(image, frame, startsHere, ctx, out);
    }
  }

  private void track(RgbImage image, FrameEvent frame, List<TargetState> targetsNow, Context ctx,
      Collector<TrackUpdate> out) throws Exception {
    List<TargetState> active = withFittingEmbeddings(targetsNow, frame, ctx, out);
    if (active.isEmpty()) {
      return;
    }
    List<TrackStep> steps;
    try {
      steps = tracking.track(image, active, frame.sequence());
    } catch (ModelOutputException e) {
      deadLetter(ctx, DeadLetterReason.MODEL_OUTPUT_INVALID, "model output unusable on frame " + frame.sequence()
          + ": " + e.getMessage() + "; targets keep their previous state", frame.cameraId(), frame.source(), frame.data());
      return;
    }
    for (TrackStep step : steps) {
      targets.put(step.state().targetId(), step.state());
      targetFrames.inc();
      out.collect(update(frame, step.state(), step.box(), step.score(),
          step.status() == TrackStatus.LOST ? TrackState.LOST : TrackState.TRACKING));
    }
  }

  // ---- commands -------------------------------------------------------------------------------

  /**
   * The targets whose template fits the running model. A target started under another model (a
   * model upgrade with another embedding size) cannot be tracked by this one: it is stopped with a
   * final update and a dead letter instead of failing the task on every restart.
   */
  private List<TargetState> withFittingEmbeddings(List<TargetState> candidates, FrameEvent frame, Context ctx,
      Collector<TrackUpdate> out) throws Exception {
    int size = model.spec().embeddingSize();
    List<TargetState> fitting = new ArrayList<>(candidates.size());
    for (TargetState t : candidates) {
      if (t.embedding() != null && t.embedding().length == size) {
        fitting.add(t);
        continue;
      }
      targets.remove(t.targetId());
      out.collect(TrackUpdates.of(frame.cameraId(), t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L,
          t.box(), t.score(), TrackState.STOPPED));
      deadLetter(ctx, DeadLetterReason.OTHER, "target '" + t.targetId() + "' of camera '" + frame.cameraId()
          + "' carries a template of " + (t.embedding() == null ? "no" : t.embedding().length) + " floats but model '"
          + modelName + "' uses " + size + " (the job was restored with another model): the target is stopped; "
          + "START it again", frame.cameraId(), frame.source(), new byte[0]);
    }
    return fitting;
  }

  // ---- state hygiene --------------------------------------------------------------------------

  /**
   * Every new frame size restarts the camera: boxes and templates in pixels of the old size mean
   * nothing in the new one.
   */
  private void resolutionChanged(FrameEvent frame, Resolution previous, Resolution size, Context ctx,
      Collector<TrackUpdate> out) throws Exception {
    resolutionChanges.inc();
    List<String> stopped = new ArrayList<>();
    for (TargetState t : targets.values()) {
      stopped.add(t.targetId());
      out.collect(TrackUpdates.of(frame.cameraId(), t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L,
          t.box(), t.score(), TrackState.STOPPED));
    }
    targets.clear();
    recentFrames.clear();
    deadLetter(ctx, DeadLetterReason.RESOLUTION_CHANGED, "camera '" + frame.cameraId() + "' changed resolution from "
        + previous + " to " + size + " at frame " + frame.sequence() + "; "
        + (stopped.isEmpty() ? "it had no targets" : "stopped targets " + stopped + " (their boxes were in "
        + previous + " pixels)") + "; the frame is kept as the first of the new size: send new STARTs naming frame "
        + frame.sequence() + " or later with boxes in " + size + " pixels", frame.cameraId(), frame.source(),
        frame.data());
  }

  /** Notes input on this camera and makes sure its one idle timer is set. */
  private void touch(Context ctx) throws Exception {
    if (settings.idleTimeoutMs() <= 0) {
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    lastActivity.update(now);
    if (idleTimer.value() == null) {
      long due = now + settings.idleTimeoutMs();
      ctx.timerService().registerProcessingTimeTimer(due);
      idleTimer.update(due);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrackUpdate> out) throws Exception {
    if (settings.idleTimeoutMs() <= 0) {
      idleTimer.clear(); // restored from a run with a timeout; this run keeps cameras forever
      return;
    }
    Long fired = idleTimer.value();
    if (fired == null || fired != timestamp) {
      return; // a timer from before a restore that was replaced since
    }
    idleTimer.clear();
    Long last = lastActivity.value();
    if (last == null) {
      return;
    }
    long due = last + settings.idleTimeoutMs();
    if (timestamp < due) {
      // the camera spoke since this timer was set: one timer per camera, moved forward lazily
      ctx.timerService().registerProcessingTimeTimer(due);
      idleTimer.update(due);
      return;
    }
    expire(ctx.getCurrentKey(), timestamp - last, ctx, out);
  }

  private void expire(String cameraId, long silentMs, Context ctx, Collector<TrackUpdate> out) throws Exception {
    camerasExpired.inc();
    for (TargetState t : targets.values()) {
      out.collect(TrackUpdates.of(cameraId, t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L, t.box(),
          t.score(), TrackState.STOPPED));
    }
    for (CommandEvent c : pendingStarts.values()) {
      refuse(ctx, c, DeadLetterReason.FRAME_NEVER_ARRIVED, "START for target '" + c.targetId() + "' names frame "
          + c.frameSequence() + " of camera '" + cameraId + "', but the camera sent nothing for " + silentMs / 1000
          + " s (idle timeout " + settings.idleTimeoutMs() / 1000 + " s) and was forgotten; send the command again "
          + "once the camera publishes");
    }
    targets.clear();
    pendingStarts.clear();
    recentFrames.clear();
    lastSequence.clear();
    resolution.clear();
    lastActivity.clear();
  }

  // ---- commands -------------------------------------------------------------------------------

  @Override
  public void processElement2(CommandEvent command, Context ctx, Collector<TrackUpdate> out) throws Exception {
    touch(ctx);
    if (!command.start()) {
      stop(command, ctx, out);
      return;
    }
    if (!command.box().isValid() || command.box().width() < 1 || command.box().height() < 1) {
      // below a pixel the crop side rounds to nothing: refuse here rather than fail the model call on every restart
      refuse(ctx, command, DeadLetterReason.INVALID_BOX, "START for target '" + command.targetId()
          + "' has an invalid box " + command.box() + ": x, y, width, height must be finite with width, height >= 1 px");
      return;
    }
    if (command.model() != null && !command.model().isBlank() && !command.model().equals(modelName)) {
      // one model per job: a START asking for another must not silently run on this one
      refuse(ctx, command, DeadLetterReason.OTHER, "START for target '" + command.targetId() + "' asks for model '"
          + command.model() + "' but this job runs '" + modelName + "'; send it to a job running that model, or "
          + "leave the model field empty");
      return;
    }
    if (targets.contains(command.targetId()) || pendingStarts.contains(command.targetId())) {
      refuse(ctx, command, DeadLetterReason.DUPLICATE_TARGET, "target '" + command.targetId()
          + "' already exists on camera '" + command.cameraId() + "'; STOP it first or pick another target id");
      return;
    }
    if (count(targets.keys()) + count(pendingStarts.keys()) >= settings.maxTargetsPerCamera()) {
      refuse(ctx, command, DeadLetterReason.TOO_MANY_TARGETS, "camera '" + command.cameraId() + "' already has "
          + settings.maxTargetsPerCamera() + " targets (maxTargetsPerCamera); STOP some first");
      return;
    }
    FrameEvent frame = recentFrames.get(command.frameSequence());
    Long last = lastSequence.value();
    if (frame != null) {
      RgbImage image = decode(frame, ctx);
      if (image != null) {
        start(image, frame, List.of(command), ctx, out);
      } else {
        refuse(ctx, command, DeadLetterReason.UNREADABLE_IMAGE, "START for target '" + command.targetId()
            + "' names frame " + command.frameSequence() + " of camera '" + command.cameraId()
            + "', which could not be decoded; send the command again naming another frame");
      }
    } else if (last == null || command.frameSequence() > last) {
      if (count(pendingStarts.keys()) >= settings.maxPendingStarts()) {
        refuse(ctx, command, DeadLetterReason.FRAME_NOT_BUFFERED, "too many START commands wait for frames of camera '"
            + command.cameraId() + "' (maxPendingStarts " + settings.maxPendingStarts() + ")");
        return;
      }
      pendingStarts.put(command.targetId(), command);
    } else {
      refuse(ctx, command, DeadLetterReason.FRAME_NOT_BUFFERED, "START for target '" + command.targetId()
          + "' names frame " + command.frameSequence() + ", which camera '" + command.cameraId()
          + "' no longer holds (it keeps its last " + settings.frameBufferSize() + " frames of the current resolution;"
          + " latest " + last + "); send the command sooner or name a recent frame");
    }
  }

  private void stop(CommandEvent command, Context ctx, Collector<TrackUpdate> out) throws Exception {
    if (pendingStarts.contains(command.targetId())) {
      pendingStarts.remove(command.targetId());
      return; // it never started: nothing to report downstream
    }
    TargetState state = targets.get(command.targetId());
    if (state == null) {
      refuse(ctx, command, DeadLetterReason.UNKNOWN_TARGET, "STOP for target '" + command.targetId()
          + "' but camera '" + command.cameraId() + "' has no such target");
      return;
    }
    targets.remove(command.targetId());
    // the frame its last box was computed on, as the other STOPPED paths report
    out.collect(TrackUpdates.of(command.cameraId(), state.targetId(), state.label(), modelName,
        state.lastFrameSequence(), 0L, state.box(), state.score(), TrackState.STOPPED));
  }

  /**
   * Starts targets on the frame their box was drawn on, then replays the buffered frames that came
   * after it so they are current and every frame from the start on has an update.
   */
  private void start(RgbImage image, FrameEvent frame, List<CommandEvent> commands, Context ctx,
      Collector<TrackUpdate> out) throws Exception {
    List<StartRequest> requests = new ArrayList<>();
    List<CommandEvent> accepted = new ArrayList<>();
    for (CommandEvent c : commands) {
      StartRequest request = new StartRequest(c.targetId(), c.box(), c.label());
      try {
        BatchedTracking.checkStartable(image, request);
      } catch (IllegalArgumentException e) {
        refuse(ctx, c, DeadLetterReason.BOX_OUTSIDE_FRAME, "START on frame " + frame.sequence() + ": " + e.getMessage());
        continue;
      }
      Box b = c.box();
      if (b.width() > 4.0 * image.width() || b.height() > 4.0 * image.height()) {
        // the exemplar crop would be mostly padding (or, for absurd sizes, not a number at all)
        refuse(ctx, c, DeadLetterReason.INVALID_BOX, "START box " + b + " for target '" + c.targetId()
            + "' is more than 4 times the " + image.width() + "x" + image.height() + " frame");
        continue;
      }
      requests.add(request);
      accepted.add(c);
    }
    if (requests.isEmpty()) {
      return;
    }
    List<TargetState> started;
    try {
      started = tracking.start(image, requests, frame.sequence());
    } catch (ModelOutputException | IllegalArgumentException e) {
      // a bad command must never fail the job: Flink would replay it after every restart
      DeadLetterReason reason = e instanceof ModelOutputException ? DeadLetterReason.MODEL_OUTPUT_INVALID
          : DeadLetterReason.INVALID_BOX;
      for (CommandEvent c : accepted) {
        refuse(ctx, c, reason, "template of target '" + c.targetId() + "' on frame " + frame.sequence()
            + " unusable: " + e.getMessage());
      }
      return;
    }
    for (TargetState s : started) {
      out.collect(update(frame, s, s.box(), 1f, TrackState.TRACKING));
    }
    // only the keys are scanned: with RocksDB, entries() would read every buffered frame's bytes
    Map<Long, FrameEvent> later = new TreeMap<>();
    Long last = lastSequence.value();
    if (last != null && last > frame.sequence()) {
      for (Long seq : recentFrames.keys()) {
        if (seq > frame.sequence()) {
          later.put(seq, recentFrames.get(seq));
        }
      }
    }
    List<TargetState> current = started;
    for (FrameEvent f : later.values()) {
      RgbImage img = decode(f, ctx);
      if (img == null) {
        continue;
      }
      List<TrackStep> steps;
      try {
        steps = tracking.track(img, current, f.sequence());
      } catch (ModelOutputException e) {
        deadLetter(ctx, DeadLetterReason.MODEL_OUTPUT_INVALID, "model output unusable on frame " + f.sequence()
            + " while catching up new targets: " + e.getMessage(), f.cameraId(), f.source(), f.data());
        continue;
      }
      current = new ArrayList<>();
      for (TrackStep step : steps) {
        current.add(step.state());
        out.collect(update(f, step.state(), step.box(), step.score(),
            step.status() == TrackStatus.LOST ? TrackState.LOST : TrackState.TRACKING));
      }
    }
    for (TargetState s : current) {
      targets.put(s.targetId(), s);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void buffer(FrameEvent frame) throws Exception {
    recentFrames.put(frame.sequence(), frame);
    List<Long> keys = new ArrayList<>();
    recentFrames.keys().forEach(keys::add);
    if (keys.size() > settings.frameBufferSize()) {
      keys.sort(Comparator.naturalOrder());
      for (int i = 0; i < keys.size() - settings.frameBufferSize(); i++) {
        recentFrames.remove(keys.get(i));
      }
    }
  }

  private RgbImage decode(FrameEvent frame, Context ctx) {
    try {
      RgbImage image = RgbImage.decode(frame.data());
      if (image.width() != frame.width() || image.height() != frame.height()) {
        // boxes are read against the declared size: a frame that lies about it would misplace them
        deadLetter(ctx, DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.sequence() + " of camera '"
            + frame.cameraId() + "' declares " + frame.width() + "x" + frame.height() + " but its image is "
            + image.width() + "x" + image.height() + "; the camera must send its true picture size",
            frame.cameraId(), frame.source(), frame.data());
        forget(frame);
        return null;
      }
      return image;
    } catch (UnreadableImageException e) {
      deadLetter(ctx, DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.sequence() + " of camera '"
          + frame.cameraId() + "' (" + frame.encoding() + "): " + e.getMessage(), frame.cameraId(), frame.source(),
          frame.data());
      forget(frame);
      return null;
    }
  }

  /** Drops an undecodable frame from the buffer: one dead letter for it is enough. */
  private void forget(FrameEvent frame) {
    try {
      recentFrames.remove(frame.sequence());
    } catch (Exception e) {
      throw new IllegalStateException("cannot update the frame buffer", e);
    }
  }

  private TrackUpdate update(FrameEvent frame, TargetState state, Box box, float score, TrackState trackState) {
    return TrackUpdates.of(frame.cameraId(), state.targetId(), state.label(), modelName, frame.sequence(),
        frame.captureTimeMs(), box, score, trackState);
  }

  private void refuse(Context ctx, CommandEvent c, DeadLetterReason reason, String message) {
    deadLetter(ctx, reason, message, c.cameraId(), c.source(), c.raw());
  }

  private void deadLetter(Context ctx, DeadLetterReason reason, String message, String cameraId, String source,
      byte[] payload) {
    deadLetters.inc();
    ctx.output(DeadLetters.TAG, DeadLetters.of(reason, message, cameraId, source, payload));
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
