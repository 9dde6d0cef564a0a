package io.argus.jobs.config;

import io.argus.models.ModelSpec;
import io.argus.operators.core.Trackers;
import io.argus.operators.flink.ModelLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What {@code argus job} (and {@code flink run ... TrackingJob}) checks on the client before it
 * submits anything, so that a wrong model, a missing topic or an unreachable broker is a clear
 * message now instead of a job that restarts forever on the cluster:
 *
 * <ul>
 *   <li>the model: its directory, {@code argus-model.json}, the SavedModel file, a tracker for its
 *       family ({@link Trackers#families()}), the contract's sizes, and every
 *       {@code tracker.hyper.*} override naming one of its hyper-parameters;
 *   <li>Kafka: reachable with the configured security settings, the four topics exist, and their
 *       {@code max.message.bytes} agree with {@code frames.max-bytes} ({@link MessageSizes}).
 * </ul>
 *
 * The settings themselves are checked when they are loaded ({@link Settings}).
 */
public final class StartupChecks {

  /** The job must not start: every problem found, one per line. */
  public static final class Failure extends IllegalStateException {
    private final List<String> problems;

    Failure(List<String> problems) {
      super("the tracking job was not started:\n  - " + String.join("\n  - ", problems)
          + "\n(fix the above, or pass --skip-checks to submit anyway)");
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private StartupChecks() {}

  /**
   * Runs every check; returns one line per thing found in order, or throws {@link Failure} with
   * every problem.
   */
  public static List<String> verify(Settings s) {
    List<String> notes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    checkModel(s, notes, problems);
    checkTopics(s, notes, problems);
    if (!problems.isEmpty()) {
      throw new Failure(problems);
    }
    return notes;
  }

  static void checkModel(Settings s, List<String> notes, List<String> problems) {
    String modelPath = s.get(Setting.MODEL_PATH);
    Path dir;
    ModelSpec spec;
    try {
      dir = ModelLocations.resolve(modelPath);
      spec = ModelSpec.read(dir);
    } catch (RuntimeException e) {
      problems.add("model (" + Setting.MODEL_PATH.key() + "=" + modelPath + "): " + e.getMessage());
      return;
    }
    String where = "model " + dir.toAbsolutePath() + ": ";
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      problems.add(where + "no saved_model.pb beside " + ModelSpec.FILE_NAME + ": a model directory is a SavedModel "
          + "(tag serve, signatures template and track) plus its metadata; export one with 'argus train' or 'argus import-onnx'");
    }
    String family = spec.family() == null ? "" : spec.family().toLowerCase(Locale.ROOT);
    if (!Trackers.families().contains(family)) {
      problems.add(where + "family '" + spec.family() + "' (in " + ModelSpec.FILE_NAME + ") has no tracker; "
          + "known families: " + Trackers.families());
      return;
    }
    List<Integer> embedding = spec.embeddingShape();
    if (embedding == null || embedding.size() != 3 || embedding.stream().anyMatch(d -> d == null || d < 1)) {
      problems.add(where + "embeddingShape must be three positive sizes [h, w, c], got " + embedding);
    }
    if (spec.exemplarSize() < 1 || spec.instanceSize() <= spec.exemplarSize()) {
      problems.add(where + "the search crop must be larger than the exemplar crop, got exemplarSize "
          + spec.exemplarSize() + " and instanceSize " + spec.instanceSize());
    }
    if (spec.outputs().isEmpty()) {
      problems.add(where + "no outputs declared for the track signature (e.g. \"outputs\": {\"response\": [17, 17]})");
    }
    Map<String, Double> overrides = s.hyperOverrides();
    ModelSpec tuned = spec;
    for (Map.Entry<String, Double> o : overrides.entrySet()) {
      try {
        tuned = tuned.withHyperOverrides(Map.of(o.getKey(), o.getValue()));
      } catch (IllegalArgumentException e) {
        problems.add(SettingPrefix.TRACKER_HYPER.prefix() + o.getKey() + ": " + e.getMessage());
      }
    }
    try {
      // the tracker reads its constants when it is built: a bad value or a missing output fails here, not on the cluster
      Trackers.forSpec(tuned);
    } catch (RuntimeException e) {
      problems.add(where + e.getMessage());
      return;
    }
    notes.add("model " + (ModelLocations.DEFAULT.equals(modelPath) ? "default" : dir.toString()) + ": " + spec.family()
        + " '" + spec.name() + "'" + (overrides.isEmpty() ? "" : " with hyper-parameter overrides " + overrides));
  }

  static void checkTopics(Settings s, List<String> notes, List<String> problems) {
    Map<String, Setting> topics = new LinkedHashMap<>();
    for (Setting t : new Setting[] {Setting.TOPIC_FRAMES, Setting.TOPIC_COMMANDS, Setting.TOPIC_TRACKS,
        Setting.TOPIC_DEAD_LETTERS}) {
      topics.put(s.get(t), t);
    }
    long timeoutMs = s.getLong(Setting.CHECKS_TIMEOUT_MS);
    String bootstrap = s.get(Setting.BOOTSTRAP_SERVERS);
    Properties p = KafkaClientConfig.admin(s);
    p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
    p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
    try (Admin admin = Admin.create(p)) {
      Map<String, TopicDescription> found = new LinkedHashMap<>();
      var futures = admin.describeTopics(topics.keySet(), new DescribeTopicsOptions().timeoutMs((int) timeoutMs))
          .topicNameValues();
      for (Map.Entry<String, Setting> t : topics.entrySet()) {
        try {
          found.put(t.getKey(), futures.get(t.getKey()).get(timeoutMs + 1000, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof UnknownTopicOrPartitionException) {
            problems.add("topic '" + t.getKey() + "' (" + t.getValue().key() + ") does not exist on " + bootstrap
                + "; create it with the partitions and limits of deploy/kubernetes/kafka-topics.yaml (auto-created "
                + "topics get the broker's defaults, too small for frames)");
          } else if (cause instanceof AuthenticationException) {
            problems.add("Kafka at " + bootstrap + " refused to authenticate the job (" + cause.getMessage()
                + "); check kafka.client.sasl.mechanism and kafka.client.sasl.jaas.config (user and password)");
            return;
          } else if (cause instanceof AuthorizationException) {
            problems.add("topic '" + t.getKey() + "' (" + t.getValue().key() + "): not authorized (" + cause.getMessage()
                + "); grant the job's user Describe, Read and Write on the topics and its consumer group");
          } else {
            problems.add(unreachable(bootstrap, timeoutMs, s, cause));
            return;
          }
        } catch (TimeoutException e) {
          problems.add(unreachable(bootstrap, timeoutMs, s, e));
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          problems.add("interrupted while checking the topics on " + bootstrap);
          return;
        }
      }
      checkMessageSizes(admin, s, found.keySet(), timeoutMs, problems);
      found.forEach((name, d) -> notes.add("topic " + name + ": " + d.partitions().size() + " partitions"));
    }
  }

  private static String unreachable(String bootstrap, long timeoutMs, Settings s, Throwable cause) {
    return "cannot reach Kafka at " + bootstrap + " within " + timeoutMs + " ms (" + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); check kafka.bootstrap.servers and "
        + "kafka.client.security.protocol (now " + s.securityProtocol() + "), or raise checks.timeout.ms";
  }

  /** The frames and dead-letter topics must carry what the job accepts and what it refuses (see {@link MessageSizes}). */
  private static void checkMessageSizes(Admin admin, Settings s, Set<String> existing, long timeoutMs,
      List<String> problems) {
    String frames = s.get(Setting.TOPIC_FRAMES);
    String deadLetters = s.get(Setting.TOPIC_DEAD_LETTERS);
    Map<String, ConfigResource> resources = new LinkedHashMap<>();
    for (String t : List.of(frames, deadLetters)) {
      if (existing.contains(t)) {
        resources.put(t, new ConfigResource(ConfigResource.Type.TOPIC, t));
      }
    }
    if (resources.isEmpty()) {
      return;
    }
    Map<ConfigResource, Config> configs;
    try {
      configs = admin.describeConfigs(resources.values(), new DescribeConfigsOptions().timeoutMs((int) timeoutMs))
          .all().get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // describing configs may need an ACL the job does not otherwise need: say so, do not refuse
      System.err.println("start-up checks: could not read the topics' max.message.bytes (" + e.getMessage() + "); skipped");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    String frameKey = Setting.MAX_FRAME_BYTES.key() + "=" + s.get(Setting.MAX_FRAME_BYTES);
    if (resources.containsKey(frames)) {
      long limit = maxMessageBytes(configs.get(resources.get(frames)));
      if (limit < MessageSizes.framesTopicMinBytes(s)) {
        problems.add("topic '" + frames + "' takes messages up to max.message.bytes=" + limit + ", less than a frame the "
            + "job accepts (" + frameKey + " plus " + MessageSizes.FRAME_ENVELOPE_BYTES + " bytes of envelope); raise the "
            + "topic's max.message.bytes to at least " + MessageSizes.framesTopicMinBytes(s) + " or lower frames.max-bytes");
      } else if (limit > MessageSizes.framesTopicMaxBytes(s)) {
        problems.add("topic '" + frames + "' takes messages up to max.message.bytes=" + limit + ", far more than the job "
            + "accepts (" + frameKey + "): a frame in between goes whole to the dead-letter topic and is too large for "
            + "its producer, so the job would fail and restart on it forever; set the topic's max.message.bytes to at "
            + "most " + MessageSizes.framesTopicMaxBytes(s) + " or raise frames.max-bytes");
      }
    }
    if (resources.containsKey(deadLetters)) {
      long limit = maxMessageBytes(configs.get(resources.get(deadLetters)));
      if (limit < MessageSizes.deadLettersTopicMinBytes(s)) {
        problems.add("topic '" + deadLetters + "' takes messages up to max.message.bytes=" + limit + ": a refused frame "
            + "travels whole in its dead letter, so it needs at least " + MessageSizes.deadLettersTopicMinBytes(s)
            + " (" + frameKey + " plus " + MessageSizes.REQUEST_HEADROOM_BYTES + "); otherwise one bad frame stops the job");
      }
    }
  }

  private static long maxMessageBytes(Config config) {
    var entry = config.get("max.message.bytes");
    return entry == null || entry.value() == null ? 1048588L : Long.parseLong(entry.value());
  }
}
