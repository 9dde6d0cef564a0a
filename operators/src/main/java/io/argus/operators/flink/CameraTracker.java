package io.argus.operators.flink;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.image.UnreadableImageException;
import io.argus.operators.core.BatchedTracking;
import io.argus.operators.core.FrameTargets;
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
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed operator: frames and commands of one camera meet here, and frames of many cameras
 * share the model.
 *
 * <p>Per camera it keeps each target's template embedding and tracker state, the last few encoded
 * frames and the START commands still waiting for their frame. Each frame is decoded once; the
 * search crops of the frames waiting in this task, across cameras, go to the model in ONE batched
 * call ({@link BatchedTracking#track(List)}); all tracking math lives in {@code operators.core}.
 * Bad input never fails the job: it goes to {@link DeadLetters#TAG} with a reason.
 *
 * <p><b>Cross-camera batching.</b> A frame whose camera has targets waits in a batch held in
 * memory, keyed state left as it was after the frame's own bookkeeping (sequence, buffer,
 * resolution). The batch goes to the model when its search crops reach
 * {@link TrackerSettings#batchMaxCrops()}, when its oldest frame has waited
 * {@link TrackerSettings#batchMaxWaitMs()} (a processing-time callback), before anything else of
 * a camera in it is handled (its next frame, a command, its idle timer: a camera's next frame
 * depends on its previous result, so two frames of one camera never share a call), before every
 * checkpoint barrier ({@link #prepareSnapshotPreBarrier}) and at the end of input. So no waiting
 * frame ever needs to be in a checkpoint, and with a wait of 0 every frame is tracked as it
 * arrives. Results go back to each camera's keyed state by switching the key context
 * ({@link #setCurrentKey}).
 *
 * <p><b>Load shedding.</b> A frame of a camera that has fallen behind (capture time older than
 * the configured lag) may be skipped by the {@link LoadShedding} policy: it is still buffered (a
 * START may name it and starts on it), but the camera's targets are not tracked into it; skipped
 * frames are counted per camera.
 *
 * <p>Two rules keep the state honest over time (docs/RELIABILITY.md):
 * <ul>
 *   <li><b>Resolution change.</b> Boxes and templates are in pixels of the camera's picture size,
 *       and the operator cannot tell a new sensor mode from a new field of view. When a frame
 *       declares another size than the frames before it, every target of the camera gets a final
 *       STOPPED update, buffered frames of the old size are dropped, one RESOLUTION_CHANGED dead
 *       letter reports it, and the frame is accepted as the first of the new size (a START may name
 *       it). A frame whose image does not have the size it declares is UNREADABLE_IMAGE.
 *   <li><b>Silent cameras.</b> A processing-time timer per camera (one at a time) fires
 *       {@link TrackerSettings#idleTimeoutMs()} after the camera's last input; then every target
 *       gets a final STOPPED update, waiting STARTs are dead-lettered (FRAME_NEVER_ARRIVED) and all
 *       of the camera's state is cleared.
 * </ul>
 *
 * <p>State names and the timer service's name are those of the keyed co-process function this
 * operator replaced, so savepoints of earlier versions restore into it.
 */
public final class CameraTracker extends AbstractStreamOperator<TrackUpdate>
    implements TwoInputStreamOperator<FrameEvent, CommandEvent, TrackUpdate>, Triggerable<String, VoidNamespace>,
    BoundedMultiInput {

  private static final long NO_TIMESTAMP = Long.MIN_VALUE;

  private final TrackerSettings settings;

  private transient SavedModelRunner model;
  private transient BatchedTracking tracking;
  private transient String modelName;
  private transient int cropsPerTarget;

  private transient MapState<String, TargetState> targets;
  private transient MapState<Long, FrameEvent> recentFrames;
  private transient MapState<String, CommandEvent> pendingStarts;
  private transient ValueState<Long> lastSequence;
  private transient ValueState<Resolution> resolution;
  /** Processing time of the camera's last frame or command. */
  private transient ValueState<Long> lastActivity;
  /** When the camera's one idle timer fires; null while none is registered. */
  private transient ValueState<Long> idleTimer;
  /** Capture time of the camera's last frame that load shedding let through. */
  private transient ValueState<Long> lastTrackedCapture;
  private transient InternalTimerService<VoidNamespace> idleTimers;

  /** Frames waiting for the shared model call. */
  private transient FrameBatch<Waiting> batch;
  /** When the batch's wait ends (a processing-time callback is registered for it), or NO_TIMESTAMP. */
  private transient long batchDue;
  /** The timestamp of the input record whose outputs are being emitted. */
  private transient long inputTimestamp;

  private transient TrackerMetrics metrics;

  public CameraTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  /**
   * A frame that waits in the batch: decoded, its camera's bookkeeping done, its targets and the
   * STARTs due on it gathered; what is left is the model call and what follows from it.
   */
  private record Waiting(String cameraId, FrameEvent frame, RgbImage image, List<TargetState> active,
      List<CommandEvent> due, long timestamp) {}

  @Override
  public void open() throws Exception {
    super.open();
    model = SavedModelRunner.load(ModelLocations.resolve(settings.modelPath()));
    var tracker = Trackers.forSpec(model.spec().withHyperOverrides(settings.hyperOverrides()));
    tracking = new BatchedTracking(tracker, model);
    cropsPerTarget = tracker.searchCropsPerTarget();
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
    lastTrackedCapture = getRuntimeContext().getState(
        new ValueStateDescriptor<>("last-tracked-capture", Types.LONG));
    // the name KeyedCoProcessOperator gave its timers: idle timers in older savepoints come back
    idleTimers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);

    batch = new FrameBatch<>();
    batchDue = NO_TIMESTAMP;
    inputTimestamp = NO_TIMESTAMP;
    metrics = new TrackerMetrics(getMetricGroup());
  }

  @Override
  public void close() throws Exception {
    try {
      if (model != null) {
        model.close();
      }
    } finally {
      super.close();
    }
  }

  /** The operator's metrics, for tests in this package. */
  TrackerMetrics metrics() {
    return metrics;
  }

  // ---- batching -------------------------------------------------------------------------------

  /** The batch goes out before the barrier: no waiting frame ever needs to be in a checkpoint. */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  /** Updates of waiting frames must not come out behind a watermark that passed them. */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  /** A bounded input (a replay, a test) ends: nothing may be left waiting for a wait that never ends. */
  @Override
  public void endInput(int inputId) throws Exception {
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void enqueue(Waiting w) throws Exception {
    int crops = w.active().size() * cropsPerTarget;
    if (!batch.isEmpty() && batch.crops() + crops > settings.batchMaxCrops()) {
      flush();
    }
    batch.add(w.cameraId(), w, crops);
    if (batch.crops() >= settings.batchMaxCrops() || settings.batchMaxWaitMs() <= 0) {
      flush();
    } else if (batchDue == NO_TIMESTAMP) {
      batchDue = getProcessingTimeService().getCurrentProcessingTime() + settings.batchMaxWaitMs();
      getProcessingTimeService().registerTimer(batchDue, this::batchWaitOver);
    }
  }

  private void batchWaitOver(long time) throws Exception {
    // a callback of a batch already sent: the current batch (if any) has its own, later one
    if (batchDue != NO_TIMESTAMP && time >= batchDue) {
      flush();
    }
  }

  /** A camera's next input must see the result of its frame in the batch. */
  private void flushIfWaiting(String cameraId) throws Exception {
    if (batch.holds(cameraId)) {
      flush();
    }
  }

  /**
   * One model call for every waiting frame, then each camera's results into its own keyed state.
   * A frame whose output is unusable (NaN) must not cost the other cameras theirs: then each frame
   * is tracked alone, so only the camera that sent the bad frame answers for it.
   */
  private void flush() throws Exception {
    batchDue = NO_TIMESTAMP;
    if (batch.isEmpty()) {
      return;
    }
    List<Waiting> frames = batch.drain();

    List<FrameTargets> work = new ArrayList<>(frames.size());
    for (Waiting w : frames) {
      work.add(new FrameTargets(w.image(), w.active(), w.frame().sequence()));
    }
    List<List<TrackStep>> steps = new ArrayList<>(frames.size());
    List<String> errors = new ArrayList<>(frames.size());
    // Any failure of the model call or of post-processing on its numbers (not only the runner's
    // NaN check: a tracker may find no finite score in finite but absurd outputs) costs the frame,
    // never the job: a thrown exception would fail the task on the same record after every restart.
    try {
      steps.addAll(timedTrack(work));
      frames.forEach(w -> errors.add(null));
    } catch (RuntimeException e) {
      steps.clear();
      if (frames.size() == 1) {
        steps.add(null);
        errors.add(reason(e));
      } else {
        for (FrameTargets f : work) {
          try {
            steps.add(timedTrack(List.of(f)).get(0));
            errors.add(null);
          } catch (RuntimeException alone) {
            steps.add(null);
            errors.add(reason(alone));
          }
        }
      }
    }

    Object key = getCurrentKey();
    long timestamp = inputTimestamp;
    try {
      for (int i = 0; i < frames.size(); i++) {
        Waiting w = frames.get(i);
        setCurrentKey(w.cameraId());
        inputTimestamp = w.timestamp();
        tracked(w, steps.get(i), errors.get(i));
      }
    } finally {
      if (key != null) {
        setCurrentKey(key);
      }
      inputTimestamp = timestamp;
    }
  }

  /** The dead letter's message for a failed model call; failures other than the runner's checks are logged with their stack. */
  private static String reason(RuntimeException e) {
    if (e instanceof ModelOutputException) {
      return e.getMessage();
    }
    LOG.error("tracking a frame failed outside the model runner's checks; the frame goes to the dead letters", e);
    return e.getClass().getSimpleName() + " while tracking: " + e.getMessage();
  }

  private List<List<TrackStep>> timedTrack(List<FrameTargets> work) {
    long t0 = System.nanoTime();
    List<List<TrackStep>> steps = tracking.track(work);
    int crops = 0;
    for (FrameTargets f : work) {
      crops += f.targets().size() * cropsPerTarget;
    }
    metrics.modelCall(work.size(), crops, (System.nanoTime() - t0) / 1_000_000);
    return steps;
  }

  // ---- frames ---------------------------------------------------------------------------------

  @Override
  public void processElement1(StreamRecord<FrameEvent> record) throws Exception {
    FrameEvent frame = record.getValue();
    flushIfWaiting(frame.cameraId());
    inputTimestamp = timestampOf(record);
    metrics.frameIn(frame.cameraId());
    Long last = lastSequence.value();
    if (last != null && frame.sequence() <= last) {
      // a duplicate or a frame overtaken by a newer one: tracking backwards in time would corrupt state.
      // Not counted as activity: a camera that restarted its numbering expires after the idle timeout.
      metrics.skipped(frame.cameraId(), TrackerMetrics.STALE);
      return;
    }
    touch();
    Resolution size = new Resolution(frame.width(), frame.height());
    Resolution previous = resolution.value();
    RgbImage early = null;
    if (previous != null && !previous.equals(size)) {
      // confirm the new size from the pixels before restarting the camera on one frame's word
      early = decode(frame);
      if (early == null) {
        return;
      }
      resolutionChanged(frame, previous, size);
    }
    lastSequence.update(frame.sequence());
    if (!size.equals(previous)) {
      resolution.update(size);
    }
    buffer(frame);
    boolean shed = shed(frame);

    List<TargetState> active = new ArrayList<>();
    if (!shed) {
      targets.values().forEach(active::add);
    }
    List<CommandEvent> due = new ArrayList<>();
    for (CommandEvent c : pendingStarts.values()) {
      if (c.frameSequence() <= frame.sequence()) {
        due.add(c);
      }
    }
    if (active.isEmpty() && due.isEmpty()) {
      return; // nothing to track: not even worth decoding
    }
    RgbImage image = early != null ? early : decode(frame);
    if (image == null) {
      for (CommandEvent c : due) {
        if (c.frameSequence() == frame.sequence()) {
          pendingStarts.remove(c.targetId());
          refuse(c, DeadLetterReason.UNREADABLE_IMAGE, "START for target '" + c.targetId() + "' names frame "
              + frame.sequence() + " of camera '" + c.cameraId() + "', which could not be decoded; send the command "
              + "again naming another frame");
        }
      }
      return;
    }
    active = withFittingEmbeddings(active, frame);
    Waiting w = new Waiting(frame.cameraId(), frame, image, active, due, inputTimestamp);
    if (active.isEmpty()) {
      tracked(w, List.of(), null); // STARTs only: no tracking call to share
    } else {
      enqueue(w);
    }
  }

  /**
   * Whether load shedding skips this frame for the camera's targets. A skipped frame is still
   * buffered and STARTs due on it still start on it.
   */
  private boolean shed(FrameEvent frame) throws Exception {
    LoadShedding policy = settings.shedding();
    if (policy.policy() == LoadShedding.Policy.ALL) {
      return false;
    }
    Long lastTracked = lastTrackedCapture.value();
    long now = getProcessingTimeService().getCurrentProcessingTime();
    boolean skip = policy.skip(frame.captureTimeMs(), now, lastTracked == null ? LoadShedding.NONE : lastTracked);
    TrackerMetrics.Camera camera = metrics.camera(frame.cameraId());
    if (skip) {
      metrics.skipped(frame.cameraId(), TrackerMetrics.LAG);
      if (!camera.shedding) {
        LOG.warn("camera '{}' is {} ms behind (frame {}): skipping frames by policy {} until it catches up",
            frame.cameraId(), now - frame.captureTimeMs(), frame.sequence(), policy.policy().settingName());
      }
    } else {
      lastTrackedCapture.update(frame.captureTimeMs());
      if (camera.shedding) {
        LOG.info("camera '{}' caught up at frame {} ({} frames skipped so far)", frame.cameraId(), frame.sequence(),
            camera.framesSkippedLag.getCount());
      }
    }
    camera.shedding = skip;
    return skip;
  }

  /** What follows the model call for one waiting frame, under its camera's key. */
  private void tracked(Waiting w, List<TrackStep> steps, String error) throws Exception {
    FrameEvent frame = w.frame();
    if (error != null) {
      deadLetter(DeadLetterReason.MODEL_OUTPUT_INVALID, "model output unusable on frame " + frame.sequence()
          + ": " + error + "; targets keep their previous state", frame.cameraId(), frame.source(), frame.data());
    } else {
      for (TrackStep step : steps) {
        targets.put(step.state().targetId(), step.state());
        emitTracked(frame, step);
      }
    }
    List<CommandEvent> startsHere = new ArrayList<>();
    for (CommandEvent c : w.due()) {
      pendingStarts.remove(c.targetId());
      if (c.frameSequence() == frame.sequence()) {
        startsHere.add(c);
      } else {
        refuse(c, DeadLetterReason.FRAME_NEVER_ARRIVED, "START for target '" + c.targetId() + "' names frame "
            + c.frameSequence() + " of camera '" + c.cameraId() + "', which never arrived (frame " + frame.sequence()
            + " came next); send the command again naming a frame the camera has published");
      }
    }
    if (!startsHere.isEmpty()) {
      start(w.image(), frame, startsHere);
    }
    countTargets(frame.cameraId());
  }

  // ---- model upgrades ------------------------------------------------------------------------

  /**
   * The targets whose template fits the running model. A target started under another model (a
   * model upgrade with another embedding size) cannot be tracked by this one: it is stopped with a
   * final update and a dead letter instead of failing the task on every restart.
   */
  private List<TargetState> withFittingEmbeddings(List<TargetState> candidates, FrameEvent frame) throws Exception {
    int size = model.spec().embeddingSize();
    List<TargetState> fitting = new ArrayList<>(candidates.size());
    for (TargetState t : candidates) {
      if (t.embedding() != null && t.embedding().length == size) {
        fitting.add(t);
        continue;
      }
      targets.remove(t.targetId());
      emit(TrackUpdates.of(frame.cameraId(), t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L,
          t.box(), t.score(), TrackState.STOPPED));
      deadLetter(DeadLetterReason.OTHER, "target '" + t.targetId() + "' of camera '" + frame.cameraId()
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
  private void resolutionChanged(FrameEvent frame, Resolution previous, Resolution size) throws Exception {
    metrics.resolutionChanges.inc();
    List<String> stopped = new ArrayList<>();
    for (TargetState t : targets.values()) {
      stopped.add(t.targetId());
      emit(TrackUpdates.of(frame.cameraId(), t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L,
          t.box(), t.score(), TrackState.STOPPED));
    }
    targets.clear();
    recentFrames.clear();
    // the frame may have nothing to track or start and return before counting again
    metrics.camera(frame.cameraId()).targetsActive = 0;
    deadLetter(DeadLetterReason.RESOLUTION_CHANGED, "camera '" + frame.cameraId() + "' changed resolution from "
        + previous + " to " + size + " at frame " + frame.sequence() + "; "
        + (stopped.isEmpty() ? "it had no targets" : "stopped targets " + stopped + " (their boxes were in "
        + previous + " pixels)") + "; the frame is kept as the first of the new size: send new STARTs naming frame "
        + frame.sequence() + " or later with boxes in " + size + " pixels", frame.cameraId(), frame.source(),
        frame.data());
  }

  /** Notes input on this camera and makes sure its one idle timer is set. */
  private void touch() throws Exception {
    if (settings.idleTimeoutMs() <= 0) {
      return;
    }
    long now = getProcessingTimeService().getCurrentProcessingTime();
    lastActivity.update(now);
    if (idleTimer.value() == null) {
      long due = now + settings.idleTimeoutMs();
      idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
      idleTimer.update(due);
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    String cameraId = timer.getKey();
    flushIfWaiting(cameraId);
    inputTimestamp = NO_TIMESTAMP;
    long timestamp = timer.getTimestamp();
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
      idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
      idleTimer.update(due);
      return;
    }
    expire(cameraId, timestamp - last);
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // the operator registers processing-time timers only
  }

  private void expire(String cameraId, long silentMs) throws Exception {
    metrics.camerasExpired.inc();
    for (TargetState t : targets.values()) {
      emit(TrackUpdates.of(cameraId, t.targetId(), t.label(), modelName, t.lastFrameSequence(), 0L, t.box(),
          t.score(), TrackState.STOPPED));
    }
    for (CommandEvent c : pendingStarts.values()) {
      refuse(c, DeadLetterReason.FRAME_NEVER_ARRIVED, "START for target '" + c.targetId() + "' names frame "
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
    lastTrackedCapture.clear();
    metrics.camera(cameraId).targetsActive = 0;
  }

  // ---- commands -------------------------------------------------------------------------------

  @Override
  public void processElement2(StreamRecord<CommandEvent> record) throws Exception {
    CommandEvent command = record.getValue();
    flushIfWaiting(command.cameraId());
    inputTimestamp = timestampOf(record);
    touch();
    handle(command);
    countTargets(command.cameraId());
  }

  private void handle(CommandEvent command) throws Exception {
    if (!command.start()) {
      stop(command);
      return;
    }
    if (!command.box().isValid() || command.box().width() < 1 || command.box().height() < 1) {
      // below a pixel the crop side rounds to nothing: refuse here rather than fail the model call on every restart
      refuse(command, DeadLetterReason.INVALID_BOX, "START for target '" + command.targetId()
          + "' has an invalid box " + command.box() + ": x, y, width, height must be finite with width, height >= 1 px");
      return;
    }
    if (command.model() != null && !command.model().isBlank() && !command.model().equals(modelName)) {
      // one model per job: a START asking for another must not silently run on this one
      refuse(command, DeadLetterReason.OTHER, "START for target '" + command.targetId() + "' asks for model '"
          + command.model() + "' but this job runs '" + modelName + "'; send it to a job running that model, or "
          + "leave the model field empty");
      return;
    }
    if (targets.contains(command.targetId()) || pendingStarts.contains(command.targetId())) {
      refuse(command, DeadLetterReason.DUPLICATE_TARGET, "target '" + command.targetId()
          + "' already exists on camera '" + command.cameraId() + "'; STOP it first or pick another target id");
      return;
    }
    if (count(targets.keys()) + count(pendingStarts.keys()) >= settings.maxTargetsPerCamera()) {
      refuse(command, DeadLetterReason.TOO_MANY_TARGETS, "camera '" + command.cameraId() + "' already has "
          + settings.maxTargetsPerCamera() + " targets (maxTargetsPerCamera); STOP some first");
      return;
    }
    FrameEvent frame = recentFrames.get(command.frameSequence());
    Long last = lastSequence.value();
    if (frame != null) {
      RgbImage image = decode(frame);
      if (image != null) {
        start(image, frame, List.of(command));
      } else {
        refuse(command, DeadLetterReason.UNREADABLE_IMAGE, "START for target '" + command.targetId()
            + "' names frame " + command.frameSequence() + " of camera '" + command.cameraId()
            + "', which could not be decoded; send the command again naming another frame");
      }
    } else if (last == null || command.frameSequence() > last) {
      if (count(pendingStarts.keys()) >= settings.maxPendingStarts()) {
        refuse(command, DeadLetterReason.FRAME_NOT_BUFFERED, "too many START commands wait for frames of camera '"
            + command.cameraId() + "' (maxPendingStarts " + settings.maxPendingStarts() + ")");
        return;
      }
      pendingStarts.put(command.targetId(), command);
    } else {
      refuse(command, DeadLetterReason.FRAME_NOT_BUFFERED, "START for target '" + command.targetId()
          + "' names frame " + command.frameSequence() + ", which camera '" + command.cameraId()
          + "' no longer holds (it keeps its last " + settings.frameBufferSize() + " frames of the current resolution;"
          + " latest " + last + "); send the command sooner or name a recent frame");
    }
  }

  private void stop(CommandEvent command) throws Exception {
    if (pendingStarts.contains(command.targetId())) {
      pendingStarts.remove(command.targetId());
      return; // it never started: nothing to report downstream
    }
    TargetState state = targets.get(command.targetId());
    if (state == null) {
      refuse(command, DeadLetterReason.UNKNOWN_TARGET, "STOP for target '" + command.targetId()
          + "' but camera '" + command.cameraId() + "' has no such target");
      return;
    }
    targets.remove(command.targetId());
    // the frame its last box was computed on, as the other STOPPED paths report
    emit(TrackUpdates.of(command.cameraId(), state.targetId(), state.label(), modelName,
        state.lastFrameSequence(), 0L, state.box(), state.score(), TrackState.STOPPED));
  }

  /**
   * Starts targets on the frame their box was drawn on, then replays the buffered frames that came
   * after it so they are current and every frame from the start on has an update.
   */
  private void start(RgbImage image, FrameEvent frame, List<CommandEvent> commands) throws Exception {
    List<StartRequest> requests = new ArrayList<>();
    List<CommandEvent> accepted = new ArrayList<>();
    for (CommandEvent c : commands) {
      StartRequest request = new StartRequest(c.targetId(), c.box(), c.label());
      try {
        BatchedTracking.checkStartable(image, request);
      } catch (IllegalArgumentException e) {
        refuse(c, DeadLetterReason.BOX_OUTSIDE_FRAME, "START on frame " + frame.sequence() + ": " + e.getMessage());
        continue;
      }
      Box b = c.box();
      if (b.width() > 4.0 * image.width() || b.height() > 4.0 * image.height()) {
        // the exemplar crop would be mostly padding (or, for absurd sizes, not a number at all)
        refuse(c, DeadLetterReason.INVALID_BOX, "START box " + b + " for target '" + c.targetId()
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
        refuse(c, reason, "template of target '" + c.targetId() + "' on frame " + frame.sequence()
            + " unusable: " + e.getMessage());
      }
      return;
    }
    for (TargetState s : started) {
      emit(update(frame, s, s.box(), 1f, TrackState.TRACKING));
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
      RgbImage img = decode(f);
      if (img == null) {
        continue;
      }
      List<TrackStep> steps;
      try {
        steps = tracking.track(img, current, f.sequence());
      } catch (ModelOutputException e) {
        deadLetter(DeadLetterReason.MODEL_OUTPUT_INVALID, "model output unusable on frame " + f.sequence()
            + " while catching up new targets: " + e.getMessage(), f.cameraId(), f.source(), f.data());
        continue;
      }
      current = new ArrayList<>();
      for (TrackStep step : steps) {
        current.add(step.state());
        emitTracked(f, step);
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

  private RgbImage decode(FrameEvent frame) {
    try {
      RgbImage image = RgbImage.decode(frame.data());
      if (image.width() != frame.width() || image.height() != frame.height()) {
        // boxes are read against the declared size: a frame that lies about it would misplace them
        deadLetter(DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.sequence() + " of camera '"
            + frame.cameraId() + "' declares " + frame.width() + "x" + frame.height() + " but its image is "
            + image.width() + "x" + image.height() + "; the camera must send its true picture size",
            frame.cameraId(), frame.source(), frame.data());
        forget(frame);
        return null;
      }
      return image;
    } catch (UnreadableImageException e) {
      deadLetter(DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.sequence() + " of camera '"
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

  private TrackUpdate update(FrameEvent frame, TrackStep step) {
    TargetState state = step.state();
    return TrackUpdates.of(frame.cameraId(), state.targetId(), state.label(), modelName, frame.sequence(),
        frame.captureTimeMs(), step.box(), step.score(),
        step.status() == TrackStatus.LOST ? TrackState.LOST : TrackState.TRACKING, step.segmentation());
  }

  private void refuse(CommandEvent c, DeadLetterReason reason, String message) {
    deadLetter(reason, message, c.cameraId(), c.source(), c.raw());
  }

  private void deadLetter(DeadLetterReason reason, String message, String cameraId, String source,
      byte[] payload) {
    metrics.deadLetter(cameraId);
    output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(reason, message, cameraId, source, payload)));
  }

  private void emitTracked(FrameEvent frame, TrackStep step) {
    emit(update(frame, step));
    metrics.tracked(frame.cameraId(), Math.max(0, System.currentTimeMillis() - frame.captureTimeMs()));
  }

  private void emit(TrackUpdate update) {
    output.collect(inputTimestamp == NO_TIMESTAMP ? new StreamRecord<>(update) : new StreamRecord<>(update,
        inputTimestamp));
  }

  private static long timestampOf(StreamRecord<?> record) {
    return record.hasTimestamp() ? record.getTimestamp() : NO_TIMESTAMP;
  }

  private void countTargets(String cameraId) throws Exception {
    metrics.camera(cameraId).targetsActive = count(targets.keys());
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
