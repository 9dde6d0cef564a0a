package io.argus.models.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches of training pairs made ahead on a small thread pool while the session trains.
 *
 * <p>Batch k is drawn from its own SplittableRandom derived from (seed, k), each pair from a split
 * of it: which thread makes a batch, and when, never changes its content, so a run is
 * reproducible and a resumed run sees the same batches as an uninterrupted one.
 */
public final class PairBatches implements AutoCloseable {

  /** B pairs laid out for the graph: NHWC exemplars and instances, target offsets in crop pixels. */
  public record Batch(int size, float[] exemplars, float[] instances, float[] offsetX, float[] offsetY) {}

  private final PairSource source;
  private final int batchSize;
  private final long seed;
  private final ExecutorService pool;
  private final Deque<Future<Batch>> ahead = new ArrayDeque<>();
  private final int depth;
  private long nextToSubmit;

  /**
   * @param firstBatch index of the first batch to hand out (a resumed run starts past 0)
   * @param workers generating threads
   */
  public PairBatches(PairSource source, int batchSize, long seed, long firstBatch, int workers) {
    this.source = source;
    this.batchSize = batchSize;
    this.seed = seed;
    this.nextToSubmit = firstBatch;
    this.depth = workers + 1;
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "pair-generator");
      t.setDaemon(true);
      return t;
    });
  }

  /** The next batch in order (blocks until it is made). */
  public Batch next() {
    while (ahead.size() < depth) {
      long k = nextToSubmit++;
      ahead.add(pool.submit(() -> make(k)));
    }
    try {
      return ahead.poll().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for training pairs", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the pair source failed: " + e.getCause(), e.getCause());
    }
  }

  /** Batch k of this seed, made on the calling thread. */
  public Batch make(long k) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
    int ex = 127 * 127 * 3;
    int in = 255 * 255 * 3;
    Batch b = new Batch(batchSize, new float[batchSize * ex], new float[batchSize * in], new float[batchSize],
        new float[batchSize]);
    for (int i = 0; i < batchSize; i++) {
      TrainingPair p = source.next(rng.split());
      if (p.exemplar().length != ex || p.instance().length != in) {
        throw new IllegalStateException("pair source gave crops of " + p.exemplar().length + " and "
            + p.instance().length + " floats; SiamFC needs 127x127x3 = " + ex + " and 255x255x3 = " + in);
      }
      System.arraycopy(p.exemplar(), 0, b.exemplars(), i * ex, ex);
      System.arraycopy(p.instance(), 0, b.instances(), i * in, in);
      b.offsetX()[i] = p.offsetX();
      b.offsetY()[i] = p.offsetY();
    }
    return b;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
