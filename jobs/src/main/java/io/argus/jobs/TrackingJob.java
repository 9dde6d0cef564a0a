package io.argus.jobs;

import io.argus.jobs.cli.JobCommand;
import io.argus.jobs.config.KafkaClientConfig;
import io.argus.jobs.config.MessageSizes;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.operators.flink.CameraTracker;
import io.argus.operators.flink.CommandEvent;
import io.argus.operators.flink.DeadLetters;
import io.argus.operators.flink.FrameEvent;
import io.argus.operators.flink.ParseCommands;
import io.argus.operators.flink.ParseFrames;
import io.argus.operators.flink.TrackerSettings;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.TrackUpdate;
import io.argus.schemas.kafka.AvroRecordSerializationSchema;
import io.argus.schemas.kafka.KafkaRecord;
import io.argus.schemas.kafka.KafkaRecordDeserializer;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine;

/**
 * The tracking job: frames and commands from Kafka, keyed by camera, into {@link CameraTracker};
 * tracks and dead letters back to Kafka.
 *
 * <pre>
 * frames   ─▶ ParseFrames   ─┐
 *                            ├─ keyBy(camera) ─▶ CameraTracker ─▶ tracks
 * commands ─▶ ParseCommands ─┘                        └──────────▶ dead letters (from every stage)
 * </pre>
 */
public final class TrackingJob {

  public static final String NAME = "argus-tracking";

  private TrackingJob() {}

  /**
   * Entry point for {@code flink run -c io.argus.jobs.TrackingJob} and application mode: the same
   * flags as {@code argus job} ({@code --config}, {@code --set}, {@code -b}, {@code --skip-checks}).
   * Failures propagate with their message, so the cluster's log says why the job did not start.
   */
  public static void main(String[] args) throws Exception {
    JobCommand command = new JobCommand();
    CommandLine cli = new CommandLine(command);
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    command.submit();
  }

  /** Flink settings the job needs whatever runs it: checkpointing, state backend, no Kryo. */
  public static Configuration flinkConfiguration(Settings s) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, s.get(Setting.STATE_BACKEND));
    if (!s.get(Setting.CHECKPOINT_DIR).isBlank()) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, s.get(Setting.CHECKPOINT_DIR));
    }
    // Every type on the wire and in state has a real serializer; fail loudly rather than fall back to Kryo.
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    return conf;
  }

  /** Adds the job's topology to env. */
  public static void build(StreamExecutionEnvironment env, Settings s) {
    env.enableCheckpointing(s.getLong(Setting.CHECKPOINT_INTERVAL_MS), CheckpointingMode.EXACTLY_ONCE);
    int maxFrameBytes = s.getInt(Setting.MAX_FRAME_BYTES);

    DataStream<KafkaRecord> frameRecords = env.fromSource(
        source(s, s.get(Setting.TOPIC_FRAMES)), WatermarkStrategy.noWatermarks(), "frames").uid("frames-source");
    DataStream<KafkaRecord> commandRecords = env.fromSource(
        source(s, s.get(Setting.TOPIC_COMMANDS)), WatermarkStrategy.noWatermarks(), "commands").uid("commands-source");

    SingleOutputStreamOperator<FrameEvent> frames =
        frameRecords.process(new ParseFrames(maxFrameBytes)).name("parse-frames").uid("parse-frames");
    SingleOutputStreamOperator<CommandEvent> commands =
        commandRecords.process(new ParseCommands()).name("parse-commands").uid("parse-commands");

    TrackerSettings trackerSettings = trackerSettings(s);
    SingleOutputStreamOperator<TrackUpdate> tracks = frames.keyBy(FrameEvent::cameraId)
        .connect(commands.keyBy(CommandEvent::cameraId))
        .transform("camera-tracker", TypeInformation.of(TrackUpdate.class), new CameraTracker(trackerSettings))
        .uid("camera-tracker")
        .setParallelism(s.getInt(Setting.PARALLELISM));

    // the tracker's parallelism: the sink then takes the tracker's output forward (chained), so one
    // target's updates reach Kafka in frame order; at another parallelism Flink would deal them
    // round-robin to several producers and could reorder them
    tracks.sinkTo(sink(s, AvroRecordSerializationSchema.trackUpdates(s.get(Setting.TOPIC_TRACKS)), "tracks"))
        .name("tracks-sink").uid("tracks-sink").setParallelism(tracks.getParallelism());

    DataStream<DeadLetter> deadLetters = frames.getSideOutput(DeadLetters.TAG)
        .union(commands.getSideOutput(DeadLetters.TAG), tracks.getSideOutput(DeadLetters.TAG));
    deadLetters.sinkTo(sink(s, AvroRecordSerializationSchema.deadLetters(s.get(Setting.TOPIC_DEAD_LETTERS)), "dead-letters"))
        .name("dead-letters-sink").uid("dead-letters-sink");
  }

  /** What the keyed operator gets from the settings: model, buffers, per-camera limits, batching, shedding. */
  public static TrackerSettings trackerSettings(Settings s) {
    return new TrackerSettings(s.get(Setting.MODEL_PATH), s.getInt(Setting.FRAME_BUFFER),
        s.getInt(Setting.MAX_PENDING_STARTS), s.getInt(Setting.MAX_TARGETS), s.getLong(Setting.IDLE_TIMEOUT_MS),
        s.hyperOverrides(), s.getInt(Setting.BATCH_MAX_CROPS), s.getLong(Setting.BATCH_MAX_WAIT_MS), s.loadShedding());
  }

  private static KafkaSource<KafkaRecord> source(Settings s, String topic) {
    // security (kafka.client.*) first; what the job needs on top of it cannot be overridden there
    return KafkaSource.<KafkaRecord>builder()
        .setProperties(KafkaClientConfig.consumer(s))
        .setBootstrapServers(s.get(Setting.BOOTSTRAP_SERVERS))
        .setTopics(topic)
        .setGroupId(s.get(Setting.GROUP_ID))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new KafkaRecordDeserializer())
        // frames are large: let one fetch carry at least one of the biggest accepted frames
        .setProperty("max.partition.fetch.bytes", String.valueOf(MessageSizes.consumerMaxPartitionFetchBytes(s)))
        .setProperty("fetch.max.bytes", String.valueOf(MessageSizes.consumerFetchMaxBytes(s)))
        .setProperty("isolation.level", "read_committed")
        .build();
  }

  private static <T> KafkaSink<T> sink(Settings s,
      org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer, String name) {
    Properties producer = KafkaClientConfig.producer(s);
    producer.setProperty("transaction.timeout.ms", s.get(Setting.TRANSACTION_TIMEOUT_MS));
    // a dead letter carries the refused frame whole
    producer.setProperty("max.request.size", String.valueOf(MessageSizes.producerMaxRequestBytes(s)));
    return KafkaSink.<T>builder()
        .setBootstrapServers(s.get(Setting.BOOTSTRAP_SERVERS))
        .setRecordSerializer(serializer)
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(s.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(s.get(Setting.GROUP_ID) + "-" + name)
        .build();
  }
}
