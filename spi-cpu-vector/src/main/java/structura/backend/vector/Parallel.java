package structura.backend.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The backend's worker pool: {@code threads} daemon threads (named
 * {@code structura-vector-<pool id>-<n>}).
 * Work is split into independent tasks numbered {@code 0..count-1} that workers claim from a
 * shared counter, so an unevenly loaded machine (other processes on the same cores) balances by
 * itself. The caller blocks until all tasks are done; tasks never wait on each other, so
 * concurrent calls from several user threads cannot deadlock the pool.
 *
 * <p>Every kernel partitions its work so that the value of each output element does not depend
 * on which worker computed it: results are bit-identical for any thread count.
 */
final class Parallel implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;
  private final String namePrefix = "structura-vector-" + Integer.toHexString(System.identityHashCode(this)) + "-";

  Parallel(int threads) {
    this.threads = threads;
    if (threads > 1) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, namePrefix + n.incrementAndGet());
        t.setDaemon(true);  // a forgotten close() must not keep the JVM alive
        return t;
      };
      pool = Executors.newFixedThreadPool(threads, factory);
    } else {
      pool = null;  // one thread: run on the caller, no hand-off cost
    }
  }

  int threads() {
    return threads;
  }

  /** Prefix of the worker threads' names, so that tests can find them. */
  String threadNamePrefix() {
    return namePrefix;
  }

  /**
   * Runs {@code body.accept(t)} for every {@code t < count}, on up to {@code threads} workers.
   * Runs inline when there is one thread or one task.
   */
  void forEach(int count, IntConsumer body) {
    forEach(count, true, body);
  }

  /** As {@link #forEach(int, IntConsumer)}, but inline on the caller when {@code multithreaded} is false. */
  void forEach(int count, boolean multithreaded, IntConsumer body) {
    if (count <= 0) {
      return;
    }
    if (pool == null || count == 1 || !multithreaded) {
      for (int t = 0; t < count; t++) {
        body.accept(t);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(threads, count);
    List<Future<?>> futures = new ArrayList<>(workers);
    try {
      for (int w = 0; w < workers; w++) {
        futures.add(pool.submit(() -> {
          for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
            body.accept(t);
          }
        }));
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "the vector backend is closed.",
          "Open a new backend; a closed one cannot run routines.", e);
    }
    Throwable failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "a vector backend task failed: " + failure, "Report this as a bug.", failure);
    }
  }

  /** Shuts the pool down; idempotent. Running tasks finish; no new ones are accepted. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
