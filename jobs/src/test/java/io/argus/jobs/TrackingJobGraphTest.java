package io.argus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's shape, read from its stream graph without running it. */
class TrackingJobGraphTest {

  @Test
  void tracksSinkRunsAtTheTrackersParallelismSoATargetsUpdatesStayInOrder() {
    // the environment's default (3) differs from the tracker's (2): a sink at the default would get
    // the tracker's output round-robin and could publish one target's frame 19 before its frame 18
    Settings s = Settings.load(null, Map.of(), Map.of(
        Setting.BOOTSTRAP_SERVERS.key(), "localhost:1",
        Setting.PARALLELISM.key(), "2"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(3);
    TrackingJob.build(env, s);

    StreamNode tracker = node(env, "camera-tracker");
    StreamNode sink = node(env, "tracks-sink");
    assertThat(tracker.getParallelism()).isEqualTo(2);
    assertThat(sink.getParallelism()).isEqualTo(tracker.getParallelism());
  }

  private static StreamNode node(StreamExecutionEnvironment env, String name) {
    return env.getStreamGraph(false).getStreamNodes().stream()
        .filter(n -> n.getOperatorName().contains(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no operator named " + name + " in the job graph"));
  }
}
