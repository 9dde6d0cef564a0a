package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.SettingPrefix;

/** The settings as the README's Markdown table: generated from {@link Setting}, checked by a test. */
public final class SettingsTable {

  private SettingsTable() {}

  public static String markdown() {
    StringBuilder b = new StringBuilder("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
    for (Setting s : Setting.values()) {
      b.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | `").append(s.defaultValue())
          .append("` | ").append(s.description()).append(" |\n");
    }
    for (SettingPrefix p : SettingPrefix.values()) {
      b.append("| `").append(p.keyPattern()).append("` | `").append(p.envPattern()).append("` | none | ")
          .append(p.description().replace("<name>", "NAME")).append(" |\n");
    }
    return b.toString();
  }
}
