package structura.backend.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The backend's worker pool: {@code threads} daemon threads (named
 * {@code structura-vector-<pool id>-<n>}).
 * Work is split into independent tasks numbered {@code 0..count-1} that the caller and up to
 * {@code threads − 1} workers claim from a shared counter, so an unevenly loaded machine (other
 * processes on the same cores) balances by itself. The call returns when all tasks are done;
 * tasks never wait on each other, so concurrent calls from several user threads cannot
 * deadlock the pool.
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
      ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, factory);
      // All workers up front: a call uses threads − 1 of them, concurrent calls the rest.
      executor.prestartAllCoreThreads();
      pool = executor;
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
   * Runs {@code body.accept(t)} for every {@code t < count}, on the calling thread and up to
   * {@code threads − 1} workers. Runs inline when there is one thread or one task.
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
    // The caller claims tasks too, so a call hands work to threads − 1 helpers: one wake-up
    // fewer per call, and on a loaded machine the work starts without waiting for a worker to
    // be scheduled. A helper that has not started when the caller runs out of tasks is skipped
    // instead of awaited. Who runs a task never changes its result.
    AtomicInteger next = new AtomicInteger();
    Runnable claim = () -> {
      for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
        body.accept(t);
      }
    };
    int helperCount = Math.min(threads, count) - 1;
    List<Helper> helpers = new ArrayList<>(helperCount);
    Throwable failure = null;
    try {
      for (int w = 0; w < helperCount; w++) {
        Helper h = new Helper(claim, next, count);
        pool.execute(h);
        helpers.add(h);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      failure = new StructuraException(ErrorCode.BACKEND_FAILED, "the vector backend is closed.",
          "Open a new backend; a closed one cannot run routines.", e);
      next.set(count);
    }
    if (failure == null) {
      try {
        claim.run();
      } catch (RuntimeException | Error e) {
        next.set(count);  // stop the helpers claiming more; they finish the task they hold
        failure = e;
      }
    }
    for (Helper h : helpers) {
      Throwable f = h.awaitOrSkip();
      failure = failure == null ? f : failure;
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

  /**
   * One worker's share of a call: claims tasks until none are left, unless the caller skipped
   * it before it started (state NEW → SKIPPED), in which case it returns at once.
   */
  private static final class Helper implements Runnable {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int SKIPPED = 2;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Runnable claim;
    private final AtomicInteger next;
    private final int count;
    private volatile Throwable failure;

    Helper(Runnable claim, AtomicInteger next, int count) {
      this.claim = claim;
      this.next = next;
      this.count = count;
    }

    @Override
    public void run() {
      if (!state.compareAndSet(NEW, RUNNING)) {
        return;
      }
      try {
        claim.run();
      } catch (Throwable e) {
        next.set(count);
        failure = e;
      } finally {
        done.countDown();
      }
    }

    /**
     * Skips this helper if it has not started, else waits until it has finished (through
     * interrupts: returning while it still runs the body would race with the caller).
     *
     * @return its failure, or null
     */
    Throwable awaitOrSkip() {
      if (state.compareAndSet(NEW, SKIPPED)) {
        return null;
      }
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return failure;
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
