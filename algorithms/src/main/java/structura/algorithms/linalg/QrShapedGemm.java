package structura.algorithms.linalg;

import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * The two skinny GEMMs of a compact-WY update (Householder#applyBlock), split for the shapes a
 * QR produces, package-private.
 *
 * <p>Why: the trailing update's products are W = Cᵀ·V (nc×kb from a depth of len, kb = 64 and
 * len up to m) and Cᵀ −= W·Vᵀ (depth kb). A general GEMM splits threads over row blocks of its
 * output within each depth block: at these shapes that leaves a 64-wide inner or outer dimension
 * with little work per task and a barrier per block (measured on 2 threads at 0.83 and 0.77 × of
 * OpenBLAS's dgemm at len 7680, nc 512). Here each product is cut into independent sub-products
 * along the dimension that is long (the columns of C for W, its rows for the update) and handed
 * to {@link Compute#batchedGemm}, which runs whole items on the backend's threads, one item per
 * task, each single-threaded.
 *
 * <p>Determinism: the cuts depend on the shape only, never on the thread count, and an item
 * computes each output element exactly as the whole product would (the update's depth kb is one
 * block; W's depth split inside an item depends on len only), so results are bit-identical for
 * any thread count.
 */
final class QrShapedGemm {
  /** Columns of C per item of W = Cᵀ·V. */
  static final int CROSS_COLUMNS = 64;
  /** Rows of C per item of the rank-kb update, before rounding to equal items. */
  static final int UPDATE_ROWS = 1024;
  /**
   * The update's item count is a multiple of this. Why: one item per task and up to 8 items, so
   * an odd count leaves a thread idle at the end (7 items on 2 threads: 4 against 3, 1.14× the
   * balanced time); a multiple of 4 balances 1, 2 and 4 threads. It depends on the shape only.
   */
  static final int UPDATE_ITEM_MULTIPLE = 4;

  private QrShapedGemm() {}

  /**
   * W = Cᵀ·V: {@code w} (nc×kb, row-major, overwritten) from the row-major view {@code ct} = Cᵀ
   * (nc×len) and {@code vt} = Vᵀ (kb×len). Items of {@value #CROSS_COLUMNS} rows of Cᵀ; the rest
   * (fewer rows) as one more product. Cost 2·nc·kb·len flops.
   */
  static void cross(Compute compute, Matrix ct, Matrix vt, Matrix w) {
    int nc = ct.rows();
    int len = ct.cols();
    int kb = vt.rows();
    int g = CROSS_COLUMNS;
    int items = nc / g;
    if (items >= 2) {
      compute.batchedGemm(Transpose.N, Transpose.T, items, 1.0, ct.view(0, 0, g, len), g * ct.ld(), vt, 0, 0.0,
          w.view(0, 0, g, kb), g * w.ld());
    } else {
      items = 0;
    }
    int done = items * g;
    if (done < nc) {
      compute.gemm(Transpose.N, Transpose.T, 1.0, ct.view(done, 0, nc - done, len), vt, 0.0,
          w.view(done, 0, nc - done, kb));
    }
  }

  /**
   * Cᵀ ← Cᵀ + alpha·W·Vᵀ in place on the row-major view {@code ct} (nc×len), with {@code w}
   * (nc×kb) and {@code vt} = Vᵀ (kb×len). Items of equal width (a multiple of 8 near
   * {@value #UPDATE_ROWS}, their count a multiple of {@value #UPDATE_ITEM_MULTIPLE}) along len,
   * i.e. row blocks of C; the remaining columns as one more product. The item widths change no
   * element's sum (every item blocks the depth kb alike). Cost 2·nc·kb·len flops.
   */
  static void update(Compute compute, double alpha, Matrix w, Matrix vt, Matrix ct) {
    int nc = ct.rows();
    int len = ct.cols();
    int kb = vt.rows();
    int per = UPDATE_ITEM_MULTIPLE * UPDATE_ROWS;
    int count = UPDATE_ITEM_MULTIPLE * Math.max(1, (len + per / 2) / per);
    int q = (len / count) / 8 * 8;
    int items = q == 0 ? 0 : len / q;
    if (items >= 2) {
      compute.batchedGemm(Transpose.N, Transpose.N, items, alpha, w, 0, vt.view(0, 0, kb, q), q, 1.0,
          ct.view(0, 0, nc, q), q);
    } else {
      items = 0;
    }
    int done = items * q;
    if (done < len) {
      compute.gemm(Transpose.N, Transpose.N, alpha, w, vt.view(0, done, kb, len - done), 1.0,
          ct.view(0, done, nc, len - done));
    }
  }
}
