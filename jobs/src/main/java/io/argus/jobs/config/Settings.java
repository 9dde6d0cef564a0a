package io.argus.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Resolved settings. Precedence, lowest first: defaults, the properties file, environment
 * variables, explicit overrides (flags). Unknown keys are errors so a typo never silently falls back
 * to a default.
 */
public final class Settings implements Serializable {

  private final EnumMap<Setting, String> values;

  private Settings(EnumMap<Setting, String> values) {
    this.values = values;
  }

  public static Settings defaults() {
    return load(null, Map.of(), Map.of());
  }

  public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
    EnumMap<Setting, String> v = new EnumMap<>(Setting.class);
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
      for (String key : p.stringPropertyNames()) {
        v.put(Setting.byKey(key), p.getProperty(key).trim());
      }
    }
    for (Setting s : Setting.values()) {
      String e = env.get(s.envName());
      if (e != null) {
        v.put(s, e.trim());
      }
    }
    overrides.forEach((k, val) -> v.put(Setting.byKey(k), val));
    Settings settings = new Settings(v);
    settings.validate();
    return settings;
  }

  public Settings with(Setting setting, String value) {
    EnumMap<Setting, String> v = new EnumMap<>(values);
    v.put(setting, value);
    Settings s = new Settings(v);
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

  public boolean exactlyOnce() {
    return "exactly-once".equals(get(Setting.DELIVERY));
  }

  private void validate() {
    for (Setting s : new Setting[] {Setting.CHECKPOINT_INTERVAL_MS, Setting.PARALLELISM, Setting.FRAME_BUFFER,
        Setting.MAX_PENDING_STARTS, Setting.MAX_TARGETS, Setting.MAX_FRAME_BYTES, Setting.TRANSACTION_TIMEOUT_MS}) {
      if (getLong(s) <= 0) {
        throw new IllegalArgumentException(s.key() + " must be positive, got " + get(s));
      }
    }
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
    if (exactlyOnce() && getLong(Setting.TRANSACTION_TIMEOUT_MS) > 900_000) {
      throw new IllegalArgumentException(Setting.TRANSACTION_TIMEOUT_MS.key() + " " + get(Setting.TRANSACTION_TIMEOUT_MS)
          + " exceeds the broker default transaction.max.timeout.ms (900000): the job would fail on start and "
          + "restart forever; lower it or raise the broker's limit and this check together");
    }
    if (exactlyOnce() && getLong(Setting.TRANSACTION_TIMEOUT_MS) <= getLong(Setting.CHECKPOINT_INTERVAL_MS)) {
      throw new IllegalArgumentException("with exactly-once, " + Setting.TRANSACTION_TIMEOUT_MS.key()
          + " must be longer than " + Setting.CHECKPOINT_INTERVAL_MS.key() + ": a transaction stays open until the next checkpoint");
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(k.key()).append('=').append(v).append('\n'));
    return b.toString();
  }
}
