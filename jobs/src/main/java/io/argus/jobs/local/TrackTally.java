package io.argus.jobs.local;

import io.argus.models.image.Box;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What came out of the tracks topic, per target: how many updates, how close to the ground truth,
 * how late. Feeds the live table and the summary of {@code argus local}, and the end-to-end test.
 */
public final class TrackTally {

  /** Per-target running figures. */
  public static final class Target {
    final String key;
    long updates;
    long duplicates;
    long lastSequence = -1;
    double iouSum;
    long iouCount;
    TrackUpdate last;
    double lastIou = Double.NaN;
    final java.util.BitSet seen = new java.util.BitSet();

    Target(String key) {
      this.key = key;
    }

    public long updates() {
      return updates;
    }

    public long duplicates() {
      return duplicates;
    }

    public double meanIou() {
      return iouCount == 0 ? Double.NaN : iouSum / iouCount;
    }

    /** Frame sequences with an update; a gap is a missing update. */
    public java.util.BitSet sequences() {
      return (java.util.BitSet) seen.clone();
    }

    public TrackUpdate last() {
      return last;
    }
  }

  private final Map<String, Target> targets = new TreeMap<>();
  private final List<Long> latencies = new ArrayList<>();

  /** Records one update; truth may be null where the feed has none. */
  public synchronized void record(TrackUpdate u, Box truth) {
    Target t = targets.computeIfAbsent(u.getCameraId() + "/" + u.getTargetId(), Target::new);
    if (u.getState() == TrackState.STOPPED) {
      t.last = u;
      return;
    }
    int seq = (int) u.getFrameSequence();
    if (t.seen.get(seq)) {
      t.duplicates++;
    }
    t.seen.set(seq);
    t.updates++;
    t.last = u;
    t.lastSequence = Math.max(t.lastSequence, u.getFrameSequence());
    if (truth != null && truth.isValid()) {
      var b = u.getBox();
      t.lastIou = new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight()).iou(truth);
      t.iouSum += t.lastIou;
      t.iouCount++;
    }
    latencies.add(u.getProcessingTimeMs() - u.getCaptureTimeMs());
  }

  public synchronized Map<String, Target> targets() {
    return Map.copyOf(targets);
  }

  /** Mean IoU over every update that had ground truth. */
  public synchronized double meanIou() {
    double sum = 0;
    long n = 0;
    for (Target t : targets.values()) {
      sum += t.iouSum;
      n += t.iouCount;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  public synchronized long updates() {
    return targets.values().stream().mapToLong(t -> t.updates).sum();
  }

  /** Capture-to-emit latency percentile in ms (p in 0..100); -1 when nothing was seen. */
  public synchronized long latencyPercentile(double p) {
    if (latencies.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.size()) - 1));
    return sorted.get(i);
  }

  /** The live table: one line per target. */
  public synchronized String table() {
    StringBuilder b = new StringBuilder(String.format("%-16s %-9s %7s %26s %6s %6s %8s%n",
        "camera/target", "state", "frame", "box x,y,w,h", "score", "IoU", "updates"));
    for (Target t : targets.values()) {
      if (t.last == null) {
        continue;
      }
      var box = t.last.getBox();
      b.append(String.format("%-16s %-9s %7d %26s %6.3f %6s %8d%n", t.key, t.last.getState(), t.last.getFrameSequence(),
          String.format("%.0f,%.0f,%.0f,%.0f", box.getX(), box.getY(), box.getWidth(), box.getHeight()),
          t.last.getScore(), Double.isNaN(t.lastIou) ? "-" : String.format("%.2f", t.lastIou), t.updates));
    }
    return b.toString();
  }

  public synchronized String summary() {
    StringBuilder b = new StringBuilder(String.format("%-16s %8s %10s %9s%n", "camera/target", "updates", "mean IoU",
        "missing"));
    for (Target t : targets.values()) {
      int first = t.seen.nextSetBit(0);
      long missing = first < 0 ? 0 : (t.lastSequence - first + 1) - t.seen.cardinality();
      b.append(String.format("%-16s %8d %10s %9d%n", t.key, t.updates,
          Double.isNaN(t.meanIou()) ? "-" : String.format("%.3f", t.meanIou()), missing));
    }
    b.append(String.format("all: %d updates, mean IoU %s, latency capture→track p50 %d ms, p95 %d ms, p99 %d ms%n",
        updates(), Double.isNaN(meanIou()) ? "-" : String.format("%.3f", meanIou()), latencyPercentile(50),
        latencyPercentile(95), latencyPercentile(99)));
    return b.toString();
  }
}
