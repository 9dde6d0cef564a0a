package io.argus.jobs.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Reads this process's memory: VmRSS from {@code /proc/self/status} (Linux), the heap from the
 * memory MXBean and, when enabled, the JVM's Native Memory Tracking summary. Nothing here
 * triggers a GC: the soak watches the process as it runs.
 */
public final class MemoryProbe {

  private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+)\\s+kB", Pattern.MULTILINE);
  private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

  private MemoryProbe() {}

  public static MemorySample sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new MemorySample(rssMb(), mb(heap.getUsed()), mb(heap.getCommitted()), nmtCommittedMb());
  }

  /** VmRSS in MiB, NaN where /proc is not there (not Linux). */
  static double rssMb() {
    try {
      return parseRssMb(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  static double parseRssMb(String procStatus) {
    Matcher m = VM_RSS.matcher(procStatus);
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
  }

  /** NMT's committed total in MiB, NaN when the JVM was started without -XX:NativeMemoryTracking. */
  static double nmtCommittedMb() {
    try {
      Object out = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
          new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
      return parseNmtCommittedMb(String.valueOf(out));
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  static double parseNmtCommittedMb(String summary) {
    Matcher m = NMT_TOTAL.matcher(summary);
    return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : Double.NaN;
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
