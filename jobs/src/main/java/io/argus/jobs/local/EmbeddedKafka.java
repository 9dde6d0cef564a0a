package io.argus.jobs.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Kafka broker inside this JVM: KRaft combined mode (broker and controller in one
 * node), a fresh log directory, every replication factor 1. For {@code argus local} and for tests;
 * no Docker, no ZooKeeper, transactions work (exactly-once sinks, read_committed consumers).
 *
 * <p>Frames are large messages, so the broker's {@code message.max.bytes} and
 * {@code replica.fetch.max.bytes} are raised together (default 8 MiB) and topics created here get the
 * same {@code max.message.bytes}. Clients must match it: producers {@code max.request.size}, consumers
 * {@code max.partition.fetch.bytes} / {@code fetch.max.bytes} at least {@link #maxMessageBytes()}.
 */
public final class EmbeddedKafka implements AutoCloseable {
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int START_ATTEMPTS = 3;

  private final Path directory;
  private final KafkaConfig config;
  /** The running server; null while {@link #stop() stopped}. */
  private KafkaRaftServer server;
  private final String bootstrapServers;
  private final String saslBootstrapServers;
  private final int maxMessageBytes;
  private Admin admin;
  private boolean closed;

  /** SASL mechanism of the optional authenticated listener ({@link #startWithScram}). */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
  private static final String SASL_LISTENER = "SASL_PLAINTEXT";

  /** A user of the SCRAM listener: letters, digits, '-', '_' and '.' only (no quoting in the format arguments). */
  public record ScramUser(String name, String password) {
    public ScramUser {
      for (String v : new String[] {name, password}) {
        if (v == null || !v.matches("[A-Za-z0-9._-]+")) {
          throw new IllegalArgumentException("SCRAM user names and passwords here are letters, digits, '.', '_' "
              + "and '-' only, got '" + v + "'");
        }
      }
    }

    /** The client's {@code sasl.jaas.config} line for this user. */
    public String jaasConfig() {
      return EmbeddedKafka.jaasConfig(name, password);
    }
  }

  private EmbeddedKafka(Path directory, KafkaConfig config, KafkaRaftServer server, String bootstrapServers,
      String saslBootstrapServers, int maxMessageBytes) {
    this.directory = directory;
    this.config = config;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.saslBootstrapServers = saslBootstrapServers;
    this.maxMessageBytes = maxMessageBytes;
  }

  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a broker; {@code extraBrokerProps} override or add broker settings. Set
   * {@code message.max.bytes} there to change the message limit: {@code replica.fetch.max.bytes}
   * and topics created by {@link #createTopics} follow it.
   */
  public static EmbeddedKafka start(Map<String, String> extraBrokerProps) {
    return start(extraBrokerProps, List.of());
  }

  /**
   * Starts a broker with a second, authenticated listener: SASL_PLAINTEXT with SCRAM-SHA-512
   * ({@link #saslBootstrapServers()}) for the given users, whose credentials are written into the
   * cluster metadata when the log directory is formatted ({@code kafka-storage format --add-scram}).
   * The plain listener ({@link #bootstrapServers()}) stays for the broker itself and for
   * {@link #createTopics}; no authorizer runs, so an authenticated user may do anything.
   */
  public static EmbeddedKafka startWithScram(Map<String, String> extraBrokerProps, ScramUser... users) {
    if (users.length == 0) {
      throw new IllegalArgumentException("a SCRAM listener needs at least one user");
    }
    return start(extraBrokerProps, List.of(users));
  }

  /** The client's {@code sasl.jaas.config} for a SCRAM user. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
        + password + "\";";
  }

  private static EmbeddedKafka start(Map<String, String> extraBrokerProps, List<ScramUser> users) {
    int maxMessageBytes = Integer.parseInt(
        extraBrokerProps.getOrDefault("message.max.bytes", String.valueOf(DEFAULT_MAX_MESSAGE_BYTES)));
    RuntimeException last = null;
    // the ports come from closed ServerSockets: another process may take one before the broker binds
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Path directory = createTempDirectory();
      try {
        return startIn(directory, extraBrokerProps, maxMessageBytes, users);
      } catch (RuntimeException e) {
        deleteRecursively(directory);
        last = e;
      }
    }
    throw new IllegalStateException("the embedded Kafka broker did not start in " + START_ATTEMPTS
        + " attempts: " + last.getMessage(), last);
  }

  private static EmbeddedKafka startIn(Path directory, Map<String, String> extra, int maxMessageBytes,
      List<ScramUser> users) {
    int brokerPort = freePort();
    int controllerPort = freePort();
    int saslPort = users.isEmpty() ? -1 : freePort();
    String logDir = directory.resolve("data").toString();

    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir);
    // one node: nothing can be replicated, and the internal topics must not wait for replicas
    props.put("default.replication.factor", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // a few partitions for the internal topics: the first group or transaction is ready sooner
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once sink asks for long transaction timeouts; refusing them loops the job
    props.put("transaction.max.timeout.ms", String.valueOf(60 * 60 * 1000));
    props.put("message.max.bytes", String.valueOf(maxMessageBytes));
    props.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
    // a laptop or CI runner, not a data centre
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    String saslBootstrap = null;
    if (!users.isEmpty()) {
      saslBootstrap = "localhost:" + saslPort;
      props.put("listeners", props.get("listeners") + "," + SASL_LISTENER + "://" + saslBootstrap);
      props.put("advertised.listeners", props.get("advertised.listeners") + "," + SASL_LISTENER + "://" + saslBootstrap);
      props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ","
          + SASL_LISTENER + ":SASL_PLAINTEXT");
      props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      // the server side of SCRAM needs a login context but no credentials of its own (brokers talk PLAINTEXT)
      props.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + "."
          + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    props.putAll(extra);

    KafkaConfig config = new KafkaConfig(props, false);
    List<String> scram = users.stream()
        .map(u -> SCRAM_MECHANISM + "=[name=" + u.name() + ",password=" + u.password() + "]").toList();
    format(config, logDir, scram);
    KafkaRaftServer server = startServer(config);
    return new EmbeddedKafka(directory, config, server, "localhost:" + brokerPort, saslBootstrap, maxMessageBytes);
  }

  private static KafkaRaftServer startServer(KafkaConfig config) {
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw e;
    }
    return server;
  }

  /**
   * Stops the broker as a crash or a maintenance restart would, keeping its log directory and
   * ports: {@link #restart()} brings the same broker back with every topic, committed offset and
   * transaction. Clients see the broker go away and reconnect on their own.
   */
  public synchronized void stop() {
    if (closed) {
      throw new IllegalStateException("the embedded Kafka broker is closed");
    }
    if (server == null) {
      return;
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
    shutdownQuietly(server);
    server = null;
  }

  /**
   * Starts the broker again after {@link #stop()}, on the same ports and log directory (so
   * {@link #bootstrapServers()} stays valid). Retries for a few seconds in case the old sockets
   * are still being released.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("the embedded Kafka broker is closed");
    }
    if (server != null) {
      return;
    }
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS * 3; attempt++) {
      try {
        server = startServer(config);
        return;
      } catch (RuntimeException e) {
        last = e;
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("the embedded Kafka broker did not start again on " + bootstrapServers
        + " with its log in " + directory + ": " + (last == null ? "interrupted" : last.getMessage()), last);
  }

  /** True between start (or {@link #restart()}) and {@link #stop()} or {@link #close()}. */
  public synchronized boolean isRunning() {
    return !closed && server != null;
  }

  /** What {@code kafka-storage.sh format} does: cluster id, node id and bootstrap metadata on disk. */
  private static void format(KafkaConfig config, String logDir, List<String> scramArguments) {
    try {
      Formatter formatter = new Formatter();
      if (!scramArguments.isEmpty()) {
        formatter.setScramArguments(scramArguments);
      }
      formatter
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(config.metadataLogDir())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** {@code host:port} of the SASL/SCRAM listener, or null when started without one. */
  public String saslBootstrapServers() {
    return saslBootstrapServers;
  }

  /** The broker's and the created topics' message limit; size client requests and fetches to it. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Creates the topics (replication 1, {@code max.message.bytes} as the broker); existing ones are kept. */
  public synchronized void createTopics(int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, partitions, (short) 1)
          .configs(Map.of("max.message.bytes", String.valueOf(maxMessageBytes))));
    }
    var futures = admin().createTopics(topics).values();
    for (var entry : futures.entrySet()) {
      try {
        entry.getValue().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topic " + entry.getKey(), e);
      }
    }
  }

  private Admin admin() {
    if (closed) {
      throw new IllegalStateException("the embedded Kafka broker is closed");
    }
    if (server == null) {
      throw new IllegalStateException("the embedded Kafka broker is stopped; restart() it first");
    }
    if (admin == null) {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
    return admin;
  }

  /** Stops the broker and deletes its log directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      shutdownQuietly(server);
    }
    deleteRecursively(directory);
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException ignored) {
      // already failing or stopped: the directory is removed next either way
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port", e);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("argus-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the Kafka log", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a shutdown for
    }
  }
}
