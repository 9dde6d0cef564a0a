package io.argus.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.operators.flink.CameraTracker;
import io.argus.operators.flink.CommandEvent;
import io.argus.operators.flink.FrameEvent;
import io.argus.operators.flink.ModelLocations;
import io.argus.operators.flink.TrackerSettings;
import io.argus.schemas.TrackUpdate;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tracking operator on a MiniCluster with Flink's Prometheus reporter, configured as
 * deploy/ configures it, scraped over HTTP: the Argus metrics are there, per task and per camera
 * (camera as a label), with values that fit what was sent.
 */
class PrometheusMetricsTest {

  static final int PORT = freePort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setConfiguration(reporterConfiguration()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  static final String OPERATOR = "flink_taskmanager_job_task_operator_";

  static Configuration reporterConfiguration() {
    Configuration conf = new Configuration();
    DeploymentFiles.prometheusReporter().forEach(conf::setString);
    conf.setString("metrics.reporter.prom.port", String.valueOf(PORT));
    return conf;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 320x240 PNG of one camera: a bright square moving right on a dark background. */
  static FrameEvent frame(long i) {
    String camera = "cam-" + (1 + i % 2);
    long seq = i / 2;
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 30, 30));
    g.fillRect(0, 0, 320, 240);
    g.setColor(new Color(220, 220, 220));
    g.fillRect((int) (60 + 2 * seq % 200), 100, 40, 40);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
      Thread.sleep(50); // about 10 frames a second per camera
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new FrameEvent(camera, seq, System.currentTimeMillis(), "PNG", 320, 240, out.toByteArray(), "gen@" + i);
  }

  static CommandEvent start(String camera) {
    return new CommandEvent(camera, "t", true, 0, 60, 100, 40, 40, null, null, "test", new byte[0]);
  }

  @Test
  void theArgusMetricsArePublishedPerTaskAndPerCamera() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<FrameEvent> frames = env.fromSequence(0, 1_000_000).map(PrometheusMetricsTest::frame)
        .returns(TypeInformation.of(FrameEvent.class));
    DataStream<CommandEvent> commands = env.fromData(start("cam-1"), start("cam-2"));
    TrackerSettings settings = TrackerSettings.defaults(ModelLocations.DEFAULT).withBatching(64, 200);
    frames.keyBy(FrameEvent::cameraId).connect(commands.keyBy(CommandEvent::cameraId))
        .transform("camera-tracker", TypeInformation.of(TrackUpdate.class), new CameraTracker(settings))
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("metrics");
    try {
      HttpClient http = HttpClient.newHttpClient();
      String body = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (value(body, "camera_targetFrames", "camera=\"cam_2\"").orElse(0) >= 5
            && value(body, "camera_targetFrames", "camera=\"cam_1\"").orElse(0) >= 5) {
          break;
        }
        Thread.sleep(500);
      }
      System.out.println("argus metrics scraped:");
      body.lines().filter(l -> l.startsWith(OPERATOR) && l.contains("operator_name=\"camera_tracker\"")
              && (!l.contains("quantile") || l.contains("quantile=\"0.5\"")) && !l.contains("numRecords")
              && !l.contains("numBytes") && !l.contains("current") && !l.contains("Watermark"))
          .map(PrometheusMetricsTest::brief)
          .forEach(l -> System.out.println("  " + l));

      // the reporter turns every character Prometheus does not allow in a label value into '_'
      for (String camera : List.of("cam_1", "cam_2")) {
        String label = "camera=\"" + camera + "\"";
        double in = value(body, "camera_framesIn", label).orElseThrow();
        double tracked = value(body, "camera_targetFrames", label).orElseThrow();
        assertThat(tracked).as("%s: one target, every frame after the first", camera).isGreaterThanOrEqualTo(5)
            .isLessThanOrEqualTo(in);
        assertThat(value(body, "camera_targetsActive", label)).hasValue(1);
        assertThat(value(body, "camera_framesSkipped", label)).hasValue(0);
        assertThat(value(body, "camera_deadLetters", label)).hasValue(0);
        double latency = value(body, "camera_endToEndLatencyMs", label, "quantile=\"0.5\"").orElseThrow();
        assertThat(latency).as("%s capture -> track, ms", camera).isGreaterThan(0).isLessThan(60_000);
      }
      double framesIn = value(body, "framesIn", "operator_name=\"camera_tracker\"").orElseThrow();
      assertThat(framesIn).isGreaterThanOrEqualTo(value(body, "camera_framesIn", "cam_1").orElseThrow());
      assertThat(value(body, "targetsActive", "operator_name")).hasValue(2);
      assertThat(value(body, "cameras", "operator_name")).hasValue(2);
      assertThat(value(body, "modelCalls", "operator_name").orElseThrow()).isGreaterThanOrEqualTo(5);
      assertThat(value(body, "inferenceLatencyMs", "quantile=\"0.5\"").orElseThrow()).isGreaterThan(0);
      // SiamFC: 3 search crops per target; two cameras, one target each: 3 or 6 crops a call
      assertThat(value(body, "batchCrops", "quantile=\"0.999\"").orElseThrow()).isIn(3.0, 6.0);
      assertThat(value(body, "batchFrames", "quantile=\"0.999\"").orElseThrow()).isIn(1.0, 2.0);
      assertThat(value(body, "deadLetters", "operator_name")).hasValue(0);
      assertThat(value(body, "reason_framesSkipped", "reason=\"lag\"")).hasValue(0);
    } finally {
      job.cancel().get();
    }
  }

  /** A sample without the labels every Flink metric carries: name, camera, reason, quantile, value. */
  static String brief(String line) {
    StringBuilder b = new StringBuilder(line.substring(0, line.indexOf('{')));
    for (String label : List.of("camera", "reason", "quantile")) {
      int at = line.indexOf("," + label + "=\"");
      if (at < 0) {
        at = line.indexOf("{" + label + "=\"");
      }
      if (at >= 0) {
        b.append(' ').append(line, at + 1, line.indexOf('"', line.indexOf('"', at) + 1) + 1);
      }
    }
    return b.append(' ').append(line.substring(line.lastIndexOf(' ') + 1)).toString();
  }

  /**
   * The value of the first sample of {@code flink_taskmanager_job_task_operator_NAME} whose labels
   * contain every one of {@code labelParts}.
   */
  static OptionalDouble value(String body, String name, String... labelParts) {
    List<String> lines = new ArrayList<>();
    body.lines().filter(l -> l.startsWith(OPERATOR + name + "{") && List.of(labelParts).stream().allMatch(l::contains))
        .forEach(lines::add);
    if (lines.isEmpty()) {
      return OptionalDouble.empty();
    }
    String line = lines.get(0);
    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }
}
