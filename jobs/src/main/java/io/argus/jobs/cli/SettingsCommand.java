package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.SettingPrefix;
import io.argus.jobs.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "settings", mixinStandardHelpOptions = true,
    description = {"Print every setting with its environment variable and current value (secrets masked).",
        "Settings come from --config FILE, ARGUS_* environment variables and --set KEY=VALUE, flags winning."})
final class SettingsCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @Option(names = "--markdown", description = "Print the README's table of settings")
  boolean markdown;

  @Override
  public Integer call() {
    if (markdown) {
      System.out.print(SettingsTable.markdown());
      return 0;
    }
    var resolved = settings.resolve();
    for (Setting s : Setting.values()) {
      System.out.printf("%-32s %-36s %s%n", s.key(), s.envName(), resolved.get(s));
    }
    resolved.prefixedValues().forEach((key, value) -> System.out.printf("%-32s %-36s %s%n", key,
        SettingPrefix.of(key).envNameOf(key), Settings.display(key, value)));
    return 0;
  }
}
