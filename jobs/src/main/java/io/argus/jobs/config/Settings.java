package io.argus.jobs.config;

import io.argus.operators.flink.LoadShedding;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolved settings. Precedence, lowest first: defaults, the properties file, environment
 * variables, explicit overrides (flags). Unknown keys are errors so a typo never silently falls back
 * to a default; so are unknown {@code ARGUS_*} environment variables, for the same reason.
 *
 * <p>Besides the fixed {@link Setting}s there are two open families ({@link SettingPrefix}):
 * {@code kafka.client.*} (any Kafka client property, e.g. the security settings) and
 * {@code tracker.hyper.*} (overrides of the model's hyper-parameters).
 */
public final class Settings implements Serializable {

  /** {@code ARGUS_*} environment variables that are not settings: bin/argus and the CLI read these themselves. */
  static final Set<String> NOT_SETTINGS = Set.of("ARGUS_JAVA_OPTS", "ARGUS_DEBUG");

  /** The largest frames.max-bytes accepted: Kafka is not built for bigger messages; keep frames encoded. */
  public static final int MAX_FRAME_BYTES_LIMIT = 64 * 1024 * 1024;

  private static final Pattern HYPER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final List<String> SECURITY_PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  private final EnumMap<Setting, String> values;
  /** Keys of the {@link SettingPrefix} families, whole ({@code kafka.client.security.protocol}). */
  private final TreeMap<String, String> prefixed;

  private Settings(EnumMap<Setting, String> values, TreeMap<String, String> prefixed) {
    this.values = values;
    this.prefixed = prefixed;
  }

  public static Settings defaults() {
    return load(null, Map.of(), Map.of());
  }

  public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
    EnumMap<Setting, String> v = new EnumMap<>(Setting.class);
    TreeMap<String, String> prefixed = new TreeMap<>();
    for (Setting s : Setting.values()) {
      v.put(s, s.defaultValue());
    }
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read settings file " + file.toAbsolutePath(), e);
      }
      for (String key : new TreeSet<>(p.stringPropertyNames())) {
        put(v, prefixed, key, p.getProperty(key).trim());
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("ARGUS_") || NOT_SETTINGS.contains(name)) {
        continue;
      }
      Setting s = Setting.byEnvName(name);
      SettingPrefix prefix = SettingPrefix.ofEnv(name);
      if (s != null) {
        v.put(s, e.getValue().trim());
      } else if (prefix != null && name.length() > prefix.envPrefix().length()) {
        prefixed.put(prefix.keyOfEnv(name), e.getValue().trim());
      } else {
        throw new IllegalArgumentException("unknown environment variable " + name + ": no setting has this name "
            + "(a typo would silently fall back to the default); 'argus settings' lists every setting with its "
            + "variable; unset or rename it");
      }
    }
    overrides.forEach((k, val) -> put(v, prefixed, k, val));
    Settings settings = new Settings(v, prefixed);
    settings.validate();
    return settings;
  }

  private static void put(EnumMap<Setting, String> v, TreeMap<String, String> prefixed, String key, String value) {
    SettingPrefix prefix = SettingPrefix.of(key);
    if (prefix != null) {
      if (key.length() == prefix.prefix().length()) {
        throw new IllegalArgumentException("'" + key + "' names no setting: write " + prefix.keyPattern());
      }
      prefixed.put(key, value);
    } else {
      v.put(Setting.byKey(key), value);
    }
  }

  public Settings with(Setting setting, String value) {
    EnumMap<Setting, String> v = new EnumMap<>(values);
    v.put(setting, value);
    Settings s = new Settings(v, new TreeMap<>(prefixed));
    s.validate();
    return s;
  }

  /** A copy with one more key of either kind ({@code kafka.client.security.protocol}, {@code topic.frames}). */
  public Settings with(String key, String value) {
    EnumMap<Setting, String> v = new EnumMap<>(values);
    TreeMap<String, String> p = new TreeMap<>(prefixed);
    put(v, p, key, value);
    Settings s = new Settings(v, p);
    s.validate();
    return s;
  }

  public String get(Setting s) {
    return values.get(s);
  }

  public int getInt(Setting s) {
    return (int) getLong(s);
  }

  public long getLong(Setting s) {
    try {
      return Long.parseLong(values.get(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.key() + " must be a whole number, got '" + values.get(s) + "'");
    }
  }

  /** The load-shedding policy of tracker.shed.*. */
  public LoadShedding loadShedding() {
    double fps;
    try {
      fps = Double.parseDouble(get(Setting.SHED_MAX_FPS));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(Setting.SHED_MAX_FPS.key() + " must be a number, got '"
          + get(Setting.SHED_MAX_FPS) + "'");
    }
    LoadShedding.Policy policy;
    try {
      policy = LoadShedding.Policy.parse(get(Setting.SHED_POLICY));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Setting.SHED_POLICY.key() + ": " + e.getMessage());
    }
    if (!(fps > 0 && Double.isFinite(fps))) {
      throw new IllegalArgumentException(Setting.SHED_MAX_FPS.key() + " must be a positive number of frames per "
          + "second, got " + get(Setting.SHED_MAX_FPS));
    }
    return new LoadShedding(policy, getLong(Setting.SHED_MAX_LAG_MS), fps);
  }

  public boolean exactlyOnce() {
    return "exactly-once".equals(get(Setting.DELIVERY));
  }

  /** The {@code kafka.client.*} settings without their prefix: {@code security.protocol → SASL_SSL}. */
  public Map<String, String> kafkaClientProperties() {
    return family(SettingPrefix.KAFKA_CLIENT);
  }

  /** The {@code tracker.hyper.*} settings without their prefix: {@code windowInfluence → 0.2}. */
  public Map<String, Double> hyperOverrides() {
    Map<String, Double> out = new TreeMap<>();
    family(SettingPrefix.TRACKER_HYPER).forEach((name, value) -> out.put(name, Double.parseDouble(value)));
    return Collections.unmodifiableMap(out);
  }

  /** Every key of the prefix families that is set, whole, with its value. */
  public Map<String, String> prefixedValues() {
    return Collections.unmodifiableMap(prefixed);
  }

  private Map<String, String> family(SettingPrefix prefix) {
    Map<String, String> out = new TreeMap<>();
    prefixed.forEach((k, val) -> {
      if (k.startsWith(prefix.prefix())) {
        out.put(k.substring(prefix.prefix().length()), val);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** security.protocol of every Kafka client, PLAINTEXT unless kafka.client.security.protocol says otherwise. */
  public String securityProtocol() {
    return kafkaClientProperties().getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
  }

  /** Passwords and JAAS lines must not end up in logs or on a terminal: values of such keys print as ******. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
        || k.contains("credentials") || k.contains("token");
  }

  /** The value as it may be shown: secrets masked. */
  public static String display(String key, String value) {
    return isSecret(key) && value != null && !value.isEmpty() ? "******" : value;
  }

  private void validate() {
    for (Setting s : new Setting[] {Setting.CHECKPOINT_INTERVAL_MS, Setting.PARALLELISM, Setting.FRAME_BUFFER,
        Setting.MAX_PENDING_STARTS, Setting.MAX_TARGETS, Setting.MAX_FRAME_BYTES, Setting.TRANSACTION_TIMEOUT_MS,
        Setting.CHECKS_TIMEOUT_MS, Setting.BATCH_MAX_CROPS, Setting.SHED_MAX_LAG_MS}) {
      if (getLong(s) <= 0) {
        throw new IllegalArgumentException(s.key() + " must be positive, got " + get(s));
      }
    }
    if (getLong(Setting.BATCH_MAX_WAIT_MS) < 0) {
      throw new IllegalArgumentException(Setting.BATCH_MAX_WAIT_MS.key() + " must be 0 or more, got "
          + get(Setting.BATCH_MAX_WAIT_MS));
    }
    loadShedding(); // names the setting that is wrong
    String delivery = get(Setting.DELIVERY);
    if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
      throw new IllegalArgumentException(Setting.DELIVERY.key() + " must be exactly-once or at-least-once, got '"
          + delivery + "'");
    }
    String backend = get(Setting.STATE_BACKEND);
    if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
      throw new IllegalArgumentException(Setting.STATE_BACKEND.key() + " must be hashmap or rocksdb, got '"
          + backend + "'");
    }
    if (backend.equals("rocksdb") && get(Setting.CHECKPOINT_DIR).isBlank()) {
      throw new IllegalArgumentException(Setting.STATE_BACKEND.key() + "=rocksdb needs " + Setting.CHECKPOINT_DIR.key()
          + ": without it checkpoints go to the job manager's memory, which holds a few MB, while RocksDB is for "
          + "state that does not fit the heap; set checkpoint.dir to durable storage (s3://, file:// on a shared volume)");
    }
    if (exactlyOnce() && getLong(Setting.TRANSACTION_TIMEOUT_MS) > 900_000) {
      throw new IllegalArgumentException(Setting.TRANSACTION_TIMEOUT_MS.key() + " " + get(Setting.TRANSACTION_TIMEOUT_MS)
          + " exceeds the broker default transaction.max.timeout.ms (900000): the job would fail on start and "
          + "restart forever; lower it or raise the broker's limit and this check together");
    }
    if (exactlyOnce() && getLong(Setting.TRANSACTION_TIMEOUT_MS) <= getLong(Setting.CHECKPOINT_INTERVAL_MS)) {
      throw new IllegalArgumentException("with exactly-once, " + Setting.TRANSACTION_TIMEOUT_MS.key()
          + " must be longer than " + Setting.CHECKPOINT_INTERVAL_MS.key() + ": a transaction stays open until the next checkpoint");
    }
    if (getLong(Setting.MAX_PENDING_STARTS) > getLong(Setting.MAX_TARGETS)) {
      throw new IllegalArgumentException(Setting.MAX_PENDING_STARTS.key() + " (" + get(Setting.MAX_PENDING_STARTS)
          + ") cannot exceed " + Setting.MAX_TARGETS.key() + " (" + get(Setting.MAX_TARGETS) + "): a waiting START "
          + "already counts as one of the camera's targets; lower the first or raise the second");
    }
    if (getLong(Setting.MAX_FRAME_BYTES) > MAX_FRAME_BYTES_LIMIT) {
      throw new IllegalArgumentException(Setting.MAX_FRAME_BYTES.key() + " " + get(Setting.MAX_FRAME_BYTES)
          + " is above " + MAX_FRAME_BYTES_LIMIT + ": Kafka is not built for messages that large; publish encoded "
          + "frames (JPEG/PNG), not raw pixels");
    }
    Map<String, Setting> topics = new TreeMap<>();
    for (Setting t : new Setting[] {Setting.TOPIC_FRAMES, Setting.TOPIC_COMMANDS, Setting.TOPIC_TRACKS,
        Setting.TOPIC_DEAD_LETTERS}) {
      Setting other = topics.put(get(t), t);
      if (other != null) {
        throw new IllegalArgumentException(other.key() + " and " + t.key() + " are both '" + get(t)
            + "': every stream needs its own topic");
      }
    }
    validateKafkaClient();
    validateHyper();
  }

  private void validateKafkaClient() {
    Map<String, String> client = kafkaClientProperties();
    client.forEach((name, value) -> {
      String problem = KafkaClientConfig.problemWith(name);
      if (problem != null) {
        throw new IllegalArgumentException(SettingPrefix.KAFKA_CLIENT.prefix() + name + ": " + problem);
      }
      if (value.isBlank()) {
        throw new IllegalArgumentException(SettingPrefix.KAFKA_CLIENT.prefix() + name + " is empty: remove it or give it a value");
      }
    });
    String protocol = securityProtocol();
    if (!SECURITY_PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException("kafka.client.security.protocol must be one of " + SECURITY_PROTOCOLS
          + ", got '" + client.get("security.protocol") + "'");
    }
    boolean sasl = protocol.startsWith("SASL_");
    boolean tls = protocol.endsWith("SSL");
    for (String name : client.keySet()) {
      if (name.startsWith("sasl.") && !sasl) {
        throw new IllegalArgumentException("kafka.client." + name + " is set but kafka.client.security.protocol is "
            + protocol + ": the clients would not authenticate and the SASL settings would be ignored; set "
            + "kafka.client.security.protocol=SASL_SSL (or SASL_PLAINTEXT inside a trusted network)");
      }
      if (name.startsWith("ssl.") && !tls) {
        throw new IllegalArgumentException("kafka.client." + name + " is set but kafka.client.security.protocol is "
            + protocol + ": the clients would not use TLS and the ssl settings would be ignored; set "
            + "kafka.client.security.protocol=SSL or SASL_SSL");
      }
    }
  }

  private void validateHyper() {
    family(SettingPrefix.TRACKER_HYPER).forEach((name, value) -> {
      String key = SettingPrefix.TRACKER_HYPER.prefix() + name;
      if (!HYPER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(key + ": '" + name + "' is not a hyper-parameter name (letters and "
            + "digits, as in argus-model.json, e.g. tracker.hyper.windowInfluence)");
      }
      double d;
      try {
        d = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
      }
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(key + " must be a finite number, got '" + value + "'");
      }
    });
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(k.key()).append('=').append(v).append('\n'));
    prefixed.forEach((k, v) -> b.append(k).append('=').append(display(k, v)).append('\n'));
    return b.toString();
  }
}
