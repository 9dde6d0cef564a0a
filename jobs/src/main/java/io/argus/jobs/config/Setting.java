package io.argus.jobs.config;

/**
 * Every setting of the job and the CLI: one key, one default, one line of documentation. The same
 * key works in a properties file ({@code --config FILE}), as an environment variable
 * ({@link #envName()}) and as a flag ({@code --set key=value}); the README's table is generated
 * from this enum ({@code argus settings --markdown}).
 */
public enum Setting {
  BOOTSTRAP_SERVERS("kafka.bootstrap.servers", "localhost:9092", "Kafka bootstrap servers of the sources, sinks and CLIs"),
  GROUP_ID("kafka.group.id", "argus-tracking", "Consumer group of the job's sources"),
  TOPIC_FRAMES("topic.frames", "argus.frames", "Camera frames in (Protobuf Frame, key = camera id)"),
  TOPIC_COMMANDS("topic.commands", "argus.commands", "Track commands in (Avro TrackCommand, key = camera id)"),
  TOPIC_TRACKS("topic.tracks", "argus.tracks", "Track updates out (Avro TrackUpdate, key = camera/target)"),
  TOPIC_DEAD_LETTERS("topic.dead-letters", "argus.dead-letters", "Refused input out (Avro DeadLetter, with reason)"),
  MODEL_PATH("model.path", "default", "Model directory (SavedModel + argus-model.json), or 'default' for the packaged SiamFC model"),
  DELIVERY("delivery.guarantee", "exactly-once", "Sink guarantee: exactly-once (transactions, output visible after each checkpoint) or at-least-once"),
  TRANSACTION_TIMEOUT_MS("kafka.transaction.timeout.ms", "600000", "Producer transaction timeout; must not exceed the broker's transaction.max.timeout.ms (15 min by default)"),
  CHECKPOINT_INTERVAL_MS("checkpoint.interval.ms", "5000", "Checkpoint interval; with exactly-once it is also the output latency"),
  CHECKPOINT_DIR("checkpoint.dir", "", "Durable checkpoint storage (file://, s3://); empty keeps checkpoints in the job manager's memory"),
  STATE_BACKEND("state.backend", "hashmap", "hashmap (heap, local runs) or rocksdb (clusters, large state)"),
  PARALLELISM("job.parallelism", "1", "Parallelism of the tracking operator; cameras are spread over its subtasks by key"),
  FRAME_BUFFER("tracker.frame-buffer", "16", "Encoded frames kept per camera so a late START still finds its frame"),
  MAX_PENDING_STARTS("tracker.max-pending-starts", "16", "START commands per camera waiting for a frame that has not arrived yet"),
  MAX_TARGETS("tracker.max-targets-per-camera", "64", "Most targets one camera may have"),
  IDLE_TIMEOUT_MS("tracker.idle-timeout.ms", "300000", "A camera silent this long is forgotten: its targets get a final STOPPED update and its state is cleared; 0 keeps cameras forever"),
  BATCH_MAX_CROPS("tracker.batch.max-crops", "64", "Search crops (targets x crops per target, SiamFC 3, NanoTrack 1) of frames of several cameras that one model call gathers; a frame with more still goes whole"),
  BATCH_MAX_WAIT_MS("tracker.batch.max-wait.ms", "20", "Longest a frame waits for other cameras' frames to share its model call; 0 makes one call per frame"),
  SHED_POLICY("tracker.shed.policy", "all", "What a camera that has fallen behind skips: all (nothing, frames queue up), latest (every frame older than the lag, so it jumps to its newest) or max-fps (thins its frames to tracker.shed.max-fps)"),
  SHED_MAX_LAG_MS("tracker.shed.max-lag.ms", "5000", "A frame captured longer ago than this (camera clock vs task manager clock) means its camera has fallen behind"),
  SHED_MAX_FPS("tracker.shed.max-fps", "5", "Frames per second of capture time a camera that has fallen behind still tracks under tracker.shed.policy=max-fps"),
  MAX_FRAME_BYTES("frames.max-bytes", "4194304", "Largest encoded frame accepted; larger ones go to the dead-letter topic. "
      + "Topics must agree: frames max.message.bytes between this + 4 KiB and this + 32 KiB, dead letters at least this + 64 KiB"),
  CHECKS_TIMEOUT_MS("checks.timeout.ms", "15000", "How long 'argus job' waits for Kafka in its start-up checks (model, topics, settings; --skip-checks skips them)");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** kafka.bootstrap.servers → ARGUS_KAFKA_BOOTSTRAP_SERVERS. */
  public String envName() {
    return "ARGUS_" + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  public static Setting byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown setting '" + key + "'; known settings: "
        + java.util.Arrays.stream(values()).map(Setting::key).toList() + " and the families "
        + java.util.Arrays.stream(SettingPrefix.values()).map(SettingPrefix::keyPattern).toList());
  }

  /** The setting whose {@link #envName()} this is, or null. */
  public static Setting byEnvName(String name) {
    for (Setting s : values()) {
      if (s.envName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
