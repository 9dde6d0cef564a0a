package io.argus.jobs.soak;

/**
 * The process's memory at one moment, in MiB.
 *
 * @param rssMb resident set size (VmRSS from /proc/self/status): what the machine actually gives
 *     the process, heap, JVM internals and TensorFlow's native allocations together
 * @param heapUsedMb Java heap in use
 * @param heapCommittedMb Java heap the JVM has claimed from the OS
 * @param nmtCommittedMb what the JVM's Native Memory Tracking reports committed, NaN unless the JVM
 *     runs with {@code -XX:NativeMemoryTracking=summary}; it never sees TensorFlow's own mallocs, so
 *     RSS minus this is roughly the memory outside the JVM
 */
public record MemorySample(double rssMb, double heapUsedMb, double heapCommittedMb, double nmtCommittedMb) {

  /** RSS minus the committed heap: metaspace, thread stacks, direct buffers and native libraries. */
  public double nativeEstimateMb() {
    return rssMb - heapCommittedMb;
  }
}
