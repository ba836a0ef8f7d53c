package structura.algorithms.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;

/**
 * Runs a loop over rows {@code 0 .. n−1} as contiguous row ranges on several host threads, for the
 * host-side work around the backend's products (gathers and scatters, per-row solves, streaming
 * sums) that would otherwise run on one core while the others wait.
 *
 * <p><b>Contract for callers.</b> The body must write disjoint data for disjoint ranges and compute
 * each row (or each column of a column split) the same way whatever range it falls in; the result
 * is then bit-identical to the one-range loop on any thread count. Nothing is shared between
 * ranges but what the caller passes in.
 *
 * <p><b>How.</b> The first range runs on the caller; the others are forked to the common
 * fork-join pool and joined (a range no pool thread has taken yet is run by the caller itself, so
 * this never waits on a busy pool). Ranges hold at least {@code minRows} rows, so small loops stay
 * on the caller without any task overhead (a fork and join costs some microseconds). Exceptions of
 * a range are rethrown on the caller.
 */
public final class RowRanges {
  /** The body of the loop over rows {@code from ≤ i < to}. */
  @FunctionalInterface
  public interface Body {
    void run(int from, int to);
  }

  private RowRanges() {}

  /**
   * Runs {@code body} over {@code 0 .. n−1} in at most {@code threads} contiguous ranges of at least
   * {@code minRows} rows each (one range, on the caller, when n is below {@code 2·minRows}).
   *
   * @param threads host threads to use, at least 1 (for example {@code compute.backend().hostThreads()})
   * @param n rows, at least 0
   * @param minRows the fewest rows worth a task of their own, at least 1
   */
  public static void forEach(int threads, int n, int minRows, Body body) {
    if (threads < 1 || n < 0 || minRows < 1) {
      throw new IllegalArgumentException("RowRanges.forEach: threads=" + threads + ", n=" + n + ", minRows=" + minRows);
    }
    int parts = (int) Math.min(threads, Math.max(1, n / (long) minRows));
    if (parts <= 1) {
      body.run(0, n);
      return;
    }
    List<ForkJoinTask<?>> forked = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = bound(n, parts, p);
      int to = bound(n, parts, p + 1);
      forked.add(ForkJoinTask.adapt(() -> body.run(from, to)).fork());
    }
    Throwable failure = null;
    try {
      body.run(0, bound(n, parts, 1));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (ForkJoinTask<?> task : forked) {
      try {
        task.join(); // runs the task here when no pool thread has taken it
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  /** Start of range p of {@code parts} near-equal ranges of n rows. */
  private static int bound(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }
}
