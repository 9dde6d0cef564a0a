package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command shares: a settings file, overrides, and the bootstrap shortcut. */
public final class SettingsOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (see 'argus settings')")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting; repeatable")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = {"-b", "--bootstrap"}, paramLabel = "SERVERS", description = "Kafka bootstrap servers (kafka.bootstrap.servers)")
  String bootstrap;

  public Settings resolve() {
    Map<String, String> o = new LinkedHashMap<>(overrides);
    if (bootstrap != null) {
      o.put(Setting.BOOTSTRAP_SERVERS.key(), bootstrap);
    }
    return Settings.load(configFile, System.getenv(), o);
  }
}
