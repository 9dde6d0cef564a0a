package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Print every setting with its environment variable, default and current value.")
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
    return 0;
  }

}
