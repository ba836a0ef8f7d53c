package structura.algorithms.linalg;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Compute;

/**
 * Blocked Householder QR with a look-ahead of one panel (as LAPACK's and PLASMA's look-ahead
 * variants of dgeqrf), package-private: {@link HouseholderQr#factorInPlace} runs it when
 * {@link HouseholderQrOptions#lookAhead} is on (off by default: it did not win on the 2-core
 * host, see there) and the backend has at least two host threads.
 *
 * <p>Why: the panel factorization (reflector generation, the narrow recursive updates, the T
 * factor) is mostly serial and short of work per thread, about a fifth of an 8192×1024 QR, and
 * in the plain blocked loop every other thread waits for it. Here, once panel j is factored, its
 * reflectors are applied first to the columns of panel j+1 only; then panel j+1 is factored on a
 * second thread while the caller applies panel j's reflectors to the remaining trailing columns,
 * so the panel leaves the critical path. The two touch disjoint columns (and {@code tau} entries).
 *
 * <p>Results: every column receives the same updates in the same order as in the plain loop, and
 * each update computes an element the same way whichever columns it is grouped with
 * ({@link QrShapedGemm}), so the factorization is bit-identical to the plain loop's, and to
 * itself on any thread count.
 */
final class PanelLookAhead {
  private PanelLookAhead() {}

  /** As {@link HouseholderQr#factorInPlace(Compute, double[], int, int, int, double[], int)}. */
  static void factorInPlace(Compute compute, double[] w, int lda, int m, int n, double[] tau, int nb) {
    int k = Math.min(m, n);
    ExecutorService panelThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "structura-qr-panel");
      t.setDaemon(true);
      return t;
    });
    // Two Vᵀ buffers: panel j+1 writes one while the update of panel j reads the other.
    double[][] vtBuffers = {new double[Math.multiplyExact(Math.min(nb, k), m)], new double[Math.multiplyExact(Math.min(nb, k), m)]};
    try {
      Matrix t = Householder.panelQr(compute, w, lda, m, 0, Math.min(nb, k), tau, vtBuffers[0]);
      for (int j = 0, b = 0; j < k; j += nb, b ^= 1) {
        int jb = Math.min(nb, k - j);
        int next = j + jb;
        if (next >= n) {
          break;
        }
        Matrix vt = Matrix.wrap(vtBuffers[b], 0, jb, m - j, m - j);
        double[] nextBuffer = vtBuffers[b ^ 1];
        if (next >= k) {
          Householder.applyBlock(compute, vt, t, true, w, lda, j, next, n - next);
          break;
        }
        int nextWidth = Math.min(nb, k - next);
        Householder.applyBlock(compute, vt, t, true, w, lda, j, next, nextWidth);
        Future<Matrix> nextPanel = panelThread.submit(() -> Householder.panelQr(compute, w, lda, m, next, nextWidth, tau,
            nextBuffer));
        Householder.applyBlock(compute, vt, t, true, w, lda, j, next + nextWidth, n - next - nextWidth);
        t = await(nextPanel);
      }
    } finally {
      panelThread.shutdown();
    }
  }

  /** The panel's T, rethrowing what the panel threw as it would have been thrown inline. */
  private static Matrix await(Future<Matrix> panel) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return panel.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "the look-ahead QR panel failed: " + cause,
          "Report this as a bug.", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
