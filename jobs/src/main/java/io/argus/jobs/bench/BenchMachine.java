package io.argus.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a benchmark ran on, and how busy the machine was: every table carries the load average
 * taken when it was measured, since the development machine is shared.
 */
public final class BenchMachine {

  private BenchMachine() {}

  /** The 1, 5 and 15 minute load averages from /proc/loadavg ("n/a" off Linux). */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** One line: CPU model, cores, memory, JVM. */
  public static String describe() {
    return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB RAM, Java %s, %s", cpuModel(),
        Runtime.getRuntime().availableProcessors(), totalMemoryGib(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  static double totalMemoryGib() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
    return Double.NaN;
  }

  /** CPU time this process has used so far, in seconds (all threads, native ones included). */
  public static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }
}
