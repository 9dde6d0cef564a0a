package io.argus.jobs.config;

import java.util.Locale;

/**
 * Families of open-ended settings: every key under the prefix is a setting. They work like the
 * fixed {@link Setting}s (properties file, environment, {@code --set}) and have one row each in
 * the README's table.
 */
public enum SettingPrefix {
  /**
   * Any Kafka client property, handed to the job's sources and sinks and to the CLIs' clients: the
   * security settings (TLS, SASL/SCRAM) above all. Kafka's property names are lower case with dots,
   * so {@code ARGUS_KAFKA_CLIENT_SASL_JAAS_CONFIG} is {@code kafka.client.sasl.jaas.config}.
   */
  KAFKA_CLIENT("kafka.client.", "<property>",
      "Any Kafka client property for the job's sources and sinks and the CLIs, e.g. security.protocol, "
          + "sasl.mechanism, sasl.jaas.config, ssl.truststore.location; each client gets the properties it knows"),
  /**
   * A tracker hyper-parameter that overrides the model's {@code hyper} value in argus-model.json.
   * Hyper-parameter names are camelCase, so {@code ARGUS_TRACKER_HYPER_WINDOW_INFLUENCE} is
   * {@code tracker.hyper.windowInfluence}.
   */
  TRACKER_HYPER("tracker.hyper.", "<name>",
      "Overrides the model's hyper-parameter <name> (argus-model.json 'hyper'), e.g. tracker.hyper.windowInfluence=0.2; "
          + "the name must be one the model has");

  private final String prefix;
  private final String placeholder;
  private final String description;

  SettingPrefix(String prefix, String placeholder, String description) {
    this.prefix = prefix;
    this.placeholder = placeholder;
    this.description = description;
  }

  public String prefix() {
    return prefix;
  }

  /** The key as the table shows it: {@code kafka.client.<property>}. */
  public String keyPattern() {
    return prefix + placeholder;
  }

  /** The environment variable as the table shows it: {@code ARGUS_KAFKA_CLIENT_<PROPERTY>}. */
  public String envPattern() {
    return envPrefix() + placeholder.toUpperCase(Locale.ROOT);
  }

  public String description() {
    return description;
  }

  /** {@code ARGUS_KAFKA_CLIENT_}. */
  public String envPrefix() {
    return "ARGUS_" + prefix.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The prefix this key belongs to, or null. */
  public static SettingPrefix of(String key) {
    for (SettingPrefix p : values()) {
      if (key.startsWith(p.prefix)) {
        return p;
      }
    }
    return null;
  }

  /** The prefix this environment variable belongs to, or null. */
  public static SettingPrefix ofEnv(String name) {
    for (SettingPrefix p : values()) {
      if (name.startsWith(p.envPrefix())) {
        return p;
      }
    }
    return null;
  }

  /** ARGUS_KAFKA_CLIENT_SASL_JAAS_CONFIG → kafka.client.sasl.jaas.config; ARGUS_TRACKER_HYPER_WINDOW_INFLUENCE → tracker.hyper.windowInfluence. */
  public String keyOfEnv(String envName) {
    String rest = envName.substring(envPrefix().length()).toLowerCase(Locale.ROOT);
    if (this == KAFKA_CLIENT) {
      return prefix + rest.replace('_', '.');
    }
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : rest.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return prefix + camel;
  }

  /** kafka.client.sasl.jaas.config → ARGUS_KAFKA_CLIENT_SASL_JAAS_CONFIG; tracker.hyper.windowInfluence → ARGUS_TRACKER_HYPER_WINDOW_INFLUENCE. */
  public String envNameOf(String key) {
    String name = key.substring(prefix.length());
    String snake = this == KAFKA_CLIENT ? name : name.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
    return envPrefix() + snake.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
