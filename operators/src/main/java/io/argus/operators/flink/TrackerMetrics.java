package io.argus.operators.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The tracking operator's Flink metrics: totals per task (the operator's group) and the same
 * figures per camera (a {@code camera} key/value group, so reporters such as Prometheus turn the
 * camera id into a label). Names are listed in the README.
 *
 * <p>A camera's group stays registered for the life of the task even after the camera is
 * forgotten by the idle timeout: Flink offers no public way to drop a metric group, and a camera
 * that comes back reuses it.
 */
final class TrackerMetrics {

  /** Frames skipped because they were not newer than the camera's last frame (duplicates, stragglers). */
  static final String STALE = "stale";
  /** Frames skipped by load shedding while the camera was behind. */
  static final String LAG = "lag";

  /** Samples kept by each histogram: quantiles describe roughly the last this many events. */
  private static final int WINDOW = 1024;

  private final MetricGroup group;
  private final Map<String, Camera> cameras = new HashMap<>();

  final Counter framesIn;
  /** All skipped frames, every reason (stale plus lag). */
  final Counter framesSkipped;
  final Counter framesSkippedStale;
  final Counter framesSkippedLag;
  final Counter targetFrames;
  final Counter deadLetters;
  final Counter resolutionChanges;
  final Counter camerasExpired;
  final Counter modelCalls;
  final Histogram batchFrames;
  final Histogram batchCrops;
  final Histogram inferenceMs;
  final Histogram latencyMs;

  TrackerMetrics(MetricGroup group) {
    this.group = group;
    framesIn = group.counter("framesIn");
    framesSkipped = group.counter("framesSkipped");
    framesSkippedStale = group.addGroup("reason", STALE).counter("framesSkipped");
    framesSkippedLag = group.addGroup("reason", LAG).counter("framesSkipped");
    targetFrames = group.counter("targetFrames");
    deadLetters = group.counter("deadLetters");
    resolutionChanges = group.counter("resolutionChanges");
    camerasExpired = group.counter("camerasExpired");
    modelCalls = group.counter("modelCalls");
    batchFrames = group.histogram("batchFrames", new DescriptiveStatisticsHistogram(WINDOW));
    batchCrops = group.histogram("batchCrops", new DescriptiveStatisticsHistogram(WINDOW));
    inferenceMs = group.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(WINDOW));
    latencyMs = group.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(WINDOW));
    group.gauge("targetsActive", (Gauge<Integer>) this::targetsActive);
    group.gauge("cameras", (Gauge<Integer>) cameras::size);
  }

  Camera camera(String cameraId) {
    return cameras.computeIfAbsent(cameraId == null ? "" : cameraId, id -> new Camera(group.addGroup("camera", id)));
  }

  void frameIn(String cameraId) {
    framesIn.inc();
    camera(cameraId).framesIn.inc();
  }

  void skipped(String cameraId, String reason) {
    framesSkipped.inc();
    Camera c = camera(cameraId);
    c.framesSkipped.inc();
    if (STALE.equals(reason)) {
      framesSkippedStale.inc();
      c.framesSkippedStale.inc();
    } else {
      framesSkippedLag.inc();
      c.framesSkippedLag.inc();
    }
  }

  void deadLetter(String cameraId) {
    deadLetters.inc();
    if (cameraId != null) {
      camera(cameraId).deadLetters.inc();
    }
  }

  /** A track update of a frame went out: capture time to now. */
  void tracked(String cameraId, long latency) {
    targetFrames.inc();
    latencyMs.update(latency);
    Camera c = camera(cameraId);
    c.targetFrames.inc();
    c.latencyMs.update(latency);
  }

  void modelCall(int frames, int crops, long millis) {
    modelCalls.inc();
    batchFrames.update(frames);
    batchCrops.update(crops);
    inferenceMs.update(millis);
  }

  private int targetsActive() {
    int n = 0;
    for (Camera c : cameras.values()) {
      n += c.targetsActive;
    }
    return n;
  }

  /** One camera's figures. */
  static final class Camera {
    final Counter framesIn;
    final Counter framesSkipped;
    final Counter framesSkippedStale;
    final Counter framesSkippedLag;
    final Counter targetFrames;
    final Counter deadLetters;
    final Histogram latencyMs;
    /** Set by the operator whenever the camera's targets change. */
    int targetsActive;
    /** Whether the camera's last frame was shed: a log line marks each change. */
    boolean shedding;

    Camera(MetricGroup group) {
      framesIn = group.counter("framesIn");
      framesSkipped = group.counter("framesSkipped");
      framesSkippedStale = group.addGroup("reason", STALE).counter("framesSkipped");
      framesSkippedLag = group.addGroup("reason", LAG).counter("framesSkipped");
      targetFrames = group.counter("targetFrames");
      deadLetters = group.counter("deadLetters");
      latencyMs = group.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(WINDOW));
      group.gauge("targetsActive", (Gauge<Integer>) () -> targetsActive);
    }
  }
}
