package structura.algorithms.spectral;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import structura.api.ErrorCode;
import structura.api.Matrix;

/**
 * The embedded engine: partitions of a {@link PartitionSource} mapped on a fixed thread pool in
 * this JVM, results merged on the calling thread. Needs nothing beyond the library.
 *
 * <p>Results are merged left to right in partition order, so a round is deterministic for a
 * deterministic {@link PartitionFunction}, whatever the thread count. The pool's threads are
 * daemons and live as long as this object; {@link #close()} ends them.
 *
 * <p><b>Cost.</b> One round reads (or generates) every partition once; at most {@code threads}
 * partitions are in memory at a time besides stored ones. A failing task fails the round at
 * once: in-process failures are program errors or bad data, which retries would not fix.
 */
public final class InProcessPartitions implements PartitionedRows, AutoCloseable {
  private final PartitionSource source;
  private final ExecutorService pool;
  private final AtomicLong passes = new AtomicLong();

  /**
   * @param source the partitions
   * @param threads worker threads, at least 1
   */
  public InProcessPartitions(PartitionSource source, int threads) {
    this.source = Objects.requireNonNull(source, "source");
    if (threads < 1) {
      throw new structura.api.InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "InProcessPartitions: threads = " + threads + " must be at least 1.", "Pass a positive thread count.");
    }
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "structura-partition");
      t.setDaemon(true);
      return t;
    });
  }

  /** With one thread per available processor. */
  public InProcessPartitions(PartitionSource source) {
    this(source, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public int partitionCount() {
    return source.partitionCount();
  }

  @Override
  public int columns() {
    return source.columns();
  }

  @Override
  public <R extends Serializable> R mapReduce(PartitionFunction<R> map, PartitionCombiner<R> combine) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(combine, "combine");
    passes.incrementAndGet();
    int partitions = source.partitionCount();
    List<Future<R>> futures = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      int index = p;
      futures.add(pool.submit(() -> {
        Matrix rows = source.partition(index);
        if (rows.rows() == 0) {
          throw PartitionedJobException.emptyPartition(index, partitions);
        }
        return map.apply(index, rows);
      }));
    }
    R merged = null;
    try {
      for (int p = 0; p < partitions; p++) {
        R result = futures.get(p).get();
        merged = merged == null ? result : combine.combine(merged, result);
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new PartitionedJobException(ErrorCode.PARTITIONED_JOB_FAILED, "Interrupted while waiting for partition tasks.",
          "Rerun without interrupting the thread.", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof structura.api.StructuraException coded) {
        throw coded;
      }
      throw new PartitionedJobException(ErrorCode.PARTITIONED_JOB_FAILED,
          "A partition task failed: " + e.getCause(), "Read the cause; fix the data or function it names.", e.getCause());
    }
    return merged;
  }

  @Override
  public long passes() {
    return passes.get();
  }

  /** Stops the worker threads. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
