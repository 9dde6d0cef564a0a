package io.argus.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.TrackingJob;
import io.argus.jobs.config.Setting;
import io.argus.models.image.Box;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures in the middle of a stream, one after another on one running job: the TaskManager that
 * runs the tracker is lost, the tracker's task fails, the Kafka broker restarts under load, and
 * finally the job is stopped with a savepoint and a changed job graph restored from it. From the
 * tracks topic (read_committed): every (camera, target, frame) has exactly one update, and every
 * box equals the tracker run directly over all frames without a failure: tracking resumed from
 * the restored template state, not from scratch.
 */
class FailureRecoveryTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final int FRAMES = 120;
  static final int WAIT_S = Integer.getInteger("reliability.wait.s", 150);
  static final List<String> CAMERAS = List.of("c1", "c2");
  static final List<String> TARGETS = List.of("A", "B");
  /** Set once the test-only operator has failed its task; static: the MiniCluster runs in this JVM. */
  static final AtomicBoolean TASK_FAILED = new AtomicBoolean();

  @TempDir Path tmp;

  Rig rig;
  final Map<String, SquaresFeed> feeds = new LinkedHashMap<>();
  /** What each phase saw: its failure, its frames, whether the job restarted, how long until all output was in. */
  record Phase(String failure, long from, long to, boolean restarted, double recoveredS) {}

  final List<Phase> phases = new ArrayList<>();

  @Test
  void noUpdateIsLostOrDuplicatedAndTrackingResumesFromRestoredState(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    Path model = ProbeModel.export(tmp.resolve("probe-model"));
    TASK_FAILED.set(false);
    for (int i = 0; i < CAMERAS.size(); i++) {
      feeds.put(CAMERAS.get(i), new SquaresFeed(CAMERAS.get(i), 320, 240, TARGETS.size(), 40 + i, FRAMES));
    }
    try (Rig r = new Rig("failures", Map.of(Setting.MODEL_PATH.key(), model.toString()));
        Reference reference = new Reference(model)) {
      rig = r;
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(rig.flinkConfiguration());
      TrackingJob.build(env, rig.settings);
      failOnceAfterTheTracker(env);
      JobClient job = env.executeAsync("failures");
      this.cluster = cluster;
      current = job;

      for (String camera : CAMERAS) {
        for (int t = 0; t < TARGETS.size(); t++) {
          rig.command(Rig.start(camera, TARGETS.get(t), 0, feeds.get(camera).truth(t, 0)));
        }
        rig.command(Rig.stop(camera, Rig.PROBE));
      }
      rig.flush();
      // the STARTs must wait for frame 0, not find it already gone from the 16-frame buffer
      Outputs.await("the STARTs to be processed", Duration.ofSeconds(WAIT_S),
          () -> rig.outputs.deadLetters(Rig::isProbe).size() == CAMERAS.size());
      publish(0, 20);
      awaitAll(20, "before any failure");
      phases.add(new Phase("none", 0, 20, false, Double.NaN));

      // 1. the TaskManager running the tracker goes away; a new one takes its place
      long restarts = restartTime(cluster, job);
      long t0 = System.nanoTime();
      cluster.terminateTaskManager(0).get();
      cluster.startTaskManager();
      publish(20, 40);
      awaitAll(40, "after the TaskManager loss");
      assertThat(restartTime(cluster, job)).as("the job restarted after the TaskManager loss").isGreaterThan(restarts);
      phases.add(new Phase("TaskManager lost and replaced", 20, 40, true, seconds(t0)));

      // 2. the tracker's task fails: a test-only operator chained behind it throws once, on c1/A frame 45
      restarts = restartTime(cluster, job);
      t0 = System.nanoTime();
      publish(40, 60);
      awaitAll(60, "after the task failure");
      assertThat(TASK_FAILED).isTrue();
      assertThat(restartTime(cluster, job)).as("the job restarted after the task failure").isGreaterThan(restarts);
      phases.add(new Phase("tracker task fails at frame 45", 40, 60, true, seconds(t0)));

      // 3. the broker stops for a few seconds while cameras keep publishing at 10 fps
      restarts = restartTime(cluster, job);
      t0 = System.nanoTime();
      Thread cameras = new Thread(() -> publishPaced(60, 100, 10), "cameras");
      cameras.start();
      Thread.sleep(1000);
      rig.kafka.stop();
      Thread.sleep(3000);
      rig.kafka.restart();
      cameras.join();
      awaitAll(100, "after the broker restart");
      phases.add(new Phase("broker down 3 s, cameras publishing at 10 fps", 60, 100,
          restartTime(cluster, job) > restarts, seconds(t0)));

      // 4. stop with a savepoint; restore it into a changed job graph (the test-only operator is gone)
      t0 = System.nanoTime();
      String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
          SavepointFormatType.CANONICAL).get();
      Configuration restored = rig.flinkConfiguration();
      restored.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment(restored);
      TrackingJob.build(env2, rig.settings);
      JobClient job2 = env2.executeAsync("failures-restored");
      current = job2;
      publish(100, FRAMES);
      awaitAll(FRAMES, "after the restore from the savepoint");
      phases.add(new Phase("stop with savepoint, restore into a changed graph", 100, FRAMES, true, seconds(t0)));

      // the whole stream: exactly once, and the same boxes as an uninterrupted run of the tracker
      Map<String, Map<String, Map<Long, Box>>> refs = new LinkedHashMap<>();
      for (String camera : CAMERAS) {
        SquaresFeed feed = feeds.get(camera);
        Map<String, Box> starts = new LinkedHashMap<>();
        for (int t = 0; t < TARGETS.size(); t++) {
          starts.put(TARGETS.get(t), feed.truth(t, 0));
        }
        List<Long> all = LongStream.range(0, FRAMES).boxed().toList();
        Map<String, Map<Long, Box>> ref = reference.run(starts, all, s -> feed.frame(s).encoded());
        refs.put(camera, ref);
        for (String target : TARGETS) {
          List<TrackUpdate> got = rig.outputs.positions(camera, target);
          assertThat(got.stream().map(TrackUpdate::getFrameSequence).sorted().toList())
              .as("frames with an update for %s/%s", camera, target).isEqualTo(all);
          for (TrackUpdate u : got) {
            assertThat(Reference.difference(u, ref.get(target).get(u.getFrameSequence())))
                .as("%s/%s frame %d against the uninterrupted run", camera, target, u.getFrameSequence())
                .isLessThan(Reference.TOLERANCE);
          }
        }
      }
      printTable(refs);
      assertThat(rig.outputs.tracks(u -> u.getState() == TrackState.STOPPED)).isEmpty();
      assertThat(rig.outputs.deadLetters(d -> !Rig.isProbe(d))).isEmpty();
      double before = meanIou(0, 20);
      for (int[] phase : new int[][] {{20, 40}, {40, 60}, {60, 100}, {100, FRAMES}}) {
        assertThat(meanIou(phase[0], phase[1])).as("mean IoU of frames %d-%d", phase[0], phase[1] - 1)
            .isGreaterThan(before - 0.05);
      }
      assertThat(before).isGreaterThan(0.6);
      job2.cancel().get();
    }
  }

  /** A map behind the tracker (same parallelism, chained into its task) that throws exactly once. */
  static void failOnceAfterTheTracker(StreamExecutionEnvironment env) {
    @SuppressWarnings("unchecked")
    Transformation<TrackUpdate> tracker = (Transformation<TrackUpdate>) env.getTransformations().stream()
        .filter(t -> "camera-tracker".equals(t.getName())).findFirst().orElseThrow(() -> new IllegalStateException(
            "TrackingJob's graph has no operator named 'camera-tracker' to put the test-only failure behind"));
    new DataStream<>(env, tracker).map(new FailOnce()).name("test-only-failure").setParallelism(tracker.getParallelism())
        .sinkTo(new DiscardingSink<>()).setParallelism(tracker.getParallelism());
  }

  static final class FailOnce implements MapFunction<TrackUpdate, TrackUpdate> {
    @Override
    public TrackUpdate map(TrackUpdate u) {
      if (u.getCameraId().equals("c1") && u.getTargetId().equals("A") && u.getFrameSequence() == 45
          && TASK_FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("test-only failure of the tracker's task at c1/A frame 45");
      }
      return u;
    }
  }

  void publish(long from, long to) {
    for (long seq = from; seq < to; seq++) {
      for (String camera : CAMERAS) {
        rig.frame(camera, seq, feeds.get(camera).frame(seq));
      }
    }
    rig.flush();
  }

  void publishPaced(long from, long to, double fps) {
    long start = System.nanoTime();
    for (long seq = from; seq < to; seq++) {
      for (String camera : CAMERAS) {
        rig.frame(camera, seq, feeds.get(camera).frame(seq));
      }
      long due = start + (long) ((seq - from + 1) * 1e9 / fps);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    rig.flush();
  }

  MiniCluster cluster;
  JobClient current;

  void awaitAll(long frames, String when) throws Exception {
    try {
      awaitUpdates(frames, when);
    } catch (AssertionError e) {
      var graph = cluster.getExecutionGraph(current.getJobID()).get();
      StringBuilder tasks = new StringBuilder();
      for (var v : graph.getAllExecutionVertices()) {
        tasks.append(v.getTaskNameWithSubtaskIndex()).append('=').append(v.getExecutionState()).append("; ");
      }
      var counts = graph.getCheckpointStatsSnapshot() == null ? null : graph.getCheckpointStatsSnapshot().getCounts();
      throw new AssertionError(e.getMessage() + "; tasks: " + tasks + "checkpoints: "
          + (counts == null ? "none" : counts.getNumberOfCompletedCheckpoints() + " completed, "
          + counts.getNumberOfFailedCheckpoints() + " failed, " + counts.getNumberOfInProgressCheckpoints()
          + " in progress") + "; updates seen " + rig.outputs.tracks().size() + "; job " + graph.getState() + ", last failure: "
          + (graph.getFailureInfo() == null ? "none" : graph.getFailureInfo().getExceptionAsString()), e);
    }
  }

  void awaitUpdates(long frames, String when) {
    Outputs.await("updates of every target up to frame " + (frames - 1) + " " + when, Duration.ofSeconds(WAIT_S), () -> {
      for (String camera : CAMERAS) {
        for (String target : TARGETS) {
          long seen = rig.outputs.positions(camera, target).stream().mapToLong(TrackUpdate::getFrameSequence)
              .filter(s -> s < frames).distinct().count();
          if (seen < frames) {
            return false;
          }
        }
      }
      return true;
    });
  }

  static long restartTime(MiniCluster cluster, JobClient job) throws Exception {
    return cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING);
  }

  double meanIou(long from, long to) {
    double sum = 0;
    int n = 0;
    for (String camera : CAMERAS) {
      for (int t = 0; t < TARGETS.size(); t++) {
        for (TrackUpdate u : rig.outputs.positions(camera, TARGETS.get(t))) {
          if (u.getFrameSequence() >= from && u.getFrameSequence() < to) {
            sum += Reference.iou(u, feeds.get(camera).truth(t, u.getFrameSequence()));
            n++;
          }
        }
      }
    }
    return sum / n;
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The failure table of docs/RELIABILITY.md, printed before the assertions. */
  void printTable(Map<String, Map<String, Map<Long, Box>>> refs) {
    System.out.println("| failure | frames | job restarted | updates | missing | duplicates | max box difference vs "
        + "uninterrupted run (px) | mean IoU | all output in after |\n|---|---|---|---|---|---|---|---|---|");
    for (Phase p : phases) {
      List<TrackUpdate> phase = rig.outputs.tracks(u -> u.getFrameSequence() >= p.from()
          && u.getFrameSequence() < p.to());
      long distinct = phase.stream().map(u -> u.getCameraId() + "/" + u.getTargetId() + "@" + u.getFrameSequence())
          .distinct().count();
      long expected = (p.to() - p.from()) * CAMERAS.size() * TARGETS.size();
      double maxDifference = phase.stream().mapToDouble(u -> Reference.difference(u,
          refs.get(u.getCameraId()).get(u.getTargetId()).get(u.getFrameSequence()))).max().orElse(Double.NaN);
      System.out.printf("| %s | %d-%d | %s | %d | %d | %d | %.1e | %.3f | %s |%n", p.failure(), p.from(), p.to() - 1,
          p.restarted() ? "yes" : "no", phase.size(), expected - distinct, phase.size() - distinct, maxDifference,
          meanIou(p.from(), p.to()), Double.isNaN(p.recoveredS()) ? "-" : String.format("%.1f s", p.recoveredS()));
    }
  }
}
