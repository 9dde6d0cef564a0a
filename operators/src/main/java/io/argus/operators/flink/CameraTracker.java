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
 * The keyed operator: frames and commands of one camera meet here.
 *
 * <p>Per camera it keeps each target's template embedding and tracker state, the last few encoded
 * frames and the START commands still waiting for their frame. Per frame it decodes once and makes
 * one batched model call for all of the camera's targets ({@link BatchedTracking}); all tracking
 * math lives in {@code operators.core}. Bad input never fails the job: it goes to
 * {@link DeadLetters#TAG} with a reason.
 */
public final class CameraTracker extends KeyedCoProcessFunction<String, FrameEvent, CommandEvent, TrackUpdate> {

  private final TrackerSettings settings;

  private transient SavedModelRunner model;
  private transient BatchedTracking tracking;
  private transient String modelName;

  private transient MapState<String, TargetState> targets;
  private transient MapState<Long, FrameEvent> recentFrames;
  private transient MapState<String, CommandEvent> pendingStarts;
  private transient ValueState<Long> lastSequence;

  private transient Counter framesIn;
  private transient Counter framesSkipped;
  private transient Counter targetFrames;
  private transient Counter deadLetters;

  public CameraTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    model = SavedModelRunner.load(ModelLocations.resolve(settings.modelPath()));
    tracking = new BatchedTracking(Trackers.forSpec(model.spec()), model);
    modelName = model.spec().name();

    targets = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("targets", Types.STRING, TypeInformation.of(TargetState.class)));
    recentFrames = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("recent-frames", Types.LONG, TypeInformation.of(FrameEvent.class)));
    pendingStarts = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-starts", Types.STRING, TypeInformation.of(CommandEvent.class)));
    lastSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));

    var metrics = getRuntimeContext().getMetricGroup();
    framesIn = metrics.counter("framesIn");
    framesSkipped = metrics.counter("framesSkipped");
    targetFrames = metrics.counter("targetFrames");
    deadLetters = metrics.counter("deadLetters");
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
      // a duplicate or a frame overtaken by a newer one: tracking backwards in time would corrupt state
      framesSkipped.inc();
      return;
    }
    lastSequence.update(frame.sequence());
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
    RgbImage image = decode(frame, ctx);
    if (image == null) {
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

  private void track(RgbImage image, FrameEvent frame, List<TargetState> active, Context ctx, Collector<TrackUpdate> out)
      throws Exception {
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

  @Override
  public void processElement2(CommandEvent command, Context ctx, Collector<TrackUpdate> out) throws Exception {
    if (!command.start()) {
      stop(command, ctx, out);
      return;
    }
    if (!command.box().isValid()) {
      refuse(ctx, command, DeadLetterReason.INVALID_BOX, "START for target '" + command.targetId()
          + "' has an invalid box " + command.box() + ": x, y, width, height must be finite with width, height > 0");
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
          + "' names frame " + command.frameSequence() + " but camera '" + command.cameraId()
          + "' keeps only its last " + settings.frameBufferSize() + " frames (latest " + last
          + "); send the command sooner or name a recent frame");
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
    Long last = lastSequence.value();
    out.collect(TrackUpdates.of(command.cameraId(), state.targetId(), state.label(), modelName,
        last == null ? command.frameSequence() : last, 0L, state.box(), state.score(), TrackState.STOPPED));
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
      requests.add(request);
      accepted.add(c);
    }
    if (requests.isEmpty()) {
      return;
    }
    List<TargetState> started;
    try {
      started = tracking.start(image, requests, frame.sequence());
    } catch (ModelOutputException e) {
      for (CommandEvent c : accepted) {
        refuse(ctx, c, DeadLetterReason.MODEL_OUTPUT_INVALID, "template of target '" + c.targetId()
            + "' unusable: " + e.getMessage());
      }
      return;
    }
    for (TargetState s : started) {
      out.collect(update(frame, s, s.box(), 1f, TrackState.TRACKING));
    }
    Map<Long, FrameEvent> later = new TreeMap<>();
    for (Map.Entry<Long, FrameEvent> e : recentFrames.entries()) {
      if (e.getKey() > frame.sequence()) {
        later.put(e.getKey(), e.getValue());
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
      return RgbImage.decode(frame.data());
    } catch (UnreadableImageException e) {
      deadLetter(ctx, DeadLetterReason.UNREADABLE_IMAGE, "frame " + frame.sequence() + " of camera '"
          + frame.cameraId() + "' (" + frame.encoding() + "): " + e.getMessage(), frame.cameraId(), frame.source(),
          frame.data());
      return null;
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
