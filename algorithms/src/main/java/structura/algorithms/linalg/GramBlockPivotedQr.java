package structura.algorithms.linalg;

import java.util.Arrays;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Block column-pivoted QR of a matrix A = [A_1 … A_H] (N × H·b, H blocks of b columns) in the
 * metric of an output {@code Y = A·Wᵀ}, computed from the Gram (scatter) matrix {@code C = AᵀA}
 * alone, and the least-squares output map on a chosen set of blocks.
 *
 * <p><b>Selection.</b> Greedy forward selection of whole column blocks. With S the kept blocks and
 * {@code C_res = C − C_:S C_SS⁻¹ C_S:} the scatter of A's residual after projection on span(A_S),
 * block h explains {@code gain_h = tr(P_:h (C_res,hh)⁻¹ P_:hᵀ)} of Y's energy, {@code P = W·C_res};
 * the block with the largest gain is kept next and C_res is downdated by it (a block Schur
 * complement). This is block column-pivoted QR of A, pivoting on the norm of each block's projected
 * contribution to Y; {@code error[k] = tr(W C Wᵀ) − Σ_{first k} gain = ‖(I − Π_S)·A·Wᵀ‖²_F} is the
 * output error of every block count.
 *
 * <p><b>Projection.</b> {@code W' = W·C_:S·C_SS⁻¹} minimises {@code ‖A_S·W'ᵀ − A·Wᵀ‖_F} (normal
 * equations {@code C_SS·W'ᵀ = C_S:·Wᵀ}).
 *
 * <p><b>Regularisation.</b> Each block solve adds a ridge of 1e-10 × (mean diagonal) against exactly
 * dependent blocks, and falls back to the pseudo-inverse when even the ridged block is not
 * numerically positive definite. A block whose residual trace is below 1e-12 × tr(C) gains 0 and
 * is not downdated (it lies in the span already kept).
 *
 * <p><b>Source.</b> The head-level interpolative decomposition of STAT (Flynn, Wang, Alvarez, De Sa
 * and Damle, "STAT: Shrinking Transformers After Training", arXiv:2406.00061); Golub and Van Loan,
 * 4th ed., §5.4.1 (column pivoting) and §5.3 (least squares by normal equations).
 *
 * <p><b>Cost.</b> Per step one d × n × n product {@code P = W·C_res} on the backend (n = H·b, d the
 * rows of W) and H solves of size b (on the backend's host threads; each block's gain is computed
 * alone, so the order is the same on any thread count); H steps: {@code H·d·n²} flops. The projection costs one
 * {@code m³/3} Cholesky with m = |S|·b. Inputs are not modified.
 */
public final class GramBlockPivotedQr {
  private final Compute compute;

  /** Fewest blocks per task of the gain computations (each one b × b Cholesky and d right-hand sides). */
  static final int GAIN_BLOCKS = 2;

  /** @param compute backend for the d × n × n products; its host threads also compute the blocks' gains */
  public GramBlockPivotedQr(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** Blocks in selection order and the output error of keeping the first k, k = 0 … H. */
  public record Selection(int[] order, double[] error) {
    /** The first k blocks of {@link #order()}, ascending. */
    public int[] kept(int k) {
      int[] s = Arrays.copyOf(order, k);
      Arrays.sort(s);
      return s;
    }
  }

  /**
   * Orders all blocks by greedy block-pivoted QR.
   *
   * @param scatter C = AᵀA, n × n symmetric positive semidefinite (any dtype; used in F64)
   * @param w the output map W, d × n
   * @param blockSize b; n must be a multiple of it
   */
  public Selection select(Matrix scatter, Matrix w, int blockSize) {
    Checks.input("GramBlockPivotedQr.select", "scatter", scatter);
    Checks.input("GramBlockPivotedQr.select", "w", w);
    int n = scatter.rows();
    checkShapes("select", scatter, w, blockSize);
    int blocks = n / blockSize;
    Matrix res = scatter.toDType(DType.F64);
    Matrix w64 = w.toDType(DType.F64);
    Matrix p = Matrix.zeros(DType.F64, w.rows(), n);
    compute.gemm(Transpose.N, Transpose.N, 1.0, w64, res, 0.0, p);
    double total = compute.dot(p, w64);
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += res.get(i, i);
    }
    boolean[] taken = new boolean[blocks];
    int[] order = new int[blocks];
    double[] error = new double[blocks + 1];
    error[0] = Math.max(0, total);
    for (int step = 0; step < blocks; step++) {
      if (step > 0) {
        compute.gemm(Transpose.N, Transpose.N, 1.0, w64, res, 0.0, p);
      }
      // the blocks' gains are independent solves: computed in ranges of blocks on the host
      // threads, each the same way in any range, then compared in block order as before
      double[] gains = new double[blocks];
      double tr = trace;
      RowRanges.forEach(compute.backend().hostThreads(), blocks, GAIN_BLOCKS, (from, to) -> {
        for (int h = from; h < to; h++) {
          gains[h] = taken[h] ? -1 : gain(res, p, h, blockSize, tr);
        }
      });
      int best = -1;
      double bestGain = -1;
      for (int h = 0; h < blocks; h++) {
        if (!taken[h] && gains[h] > bestGain) {
          bestGain = gains[h];
          best = h;
        }
      }
      taken[best] = true;
      order[step] = best;
      error[step + 1] = Math.max(0, error[step] - bestGain);
      downdate(res, best, blockSize, trace);
    }
    return new Selection(order, error);
  }

  /**
   * The least-squares output map on the kept blocks, {@code W' = W·C_:S·C_SS⁻¹}.
   *
   * @param scatter C = AᵀA, n × n
   * @param w the output map W, d × n
   * @param blockSize b
   * @param kept block indices, ascending; W' has their columns in this order
   * @return W', d × |S|·b, F64
   */
  public Matrix projection(Matrix scatter, Matrix w, int blockSize, int[] kept) {
    Checks.input("GramBlockPivotedQr.projection", "scatter", scatter);
    Checks.input("GramBlockPivotedQr.projection", "w", w);
    checkShapes("projection", scatter, w, blockSize);
    int n = scatter.rows();
    int m = kept.length * blockSize;
    int[] cols = new int[m];
    for (int i = 0; i < kept.length; i++) {
      for (int t = 0; t < blockSize; t++) {
        cols[i * blockSize + t] = kept[i] * blockSize + t;
      }
    }
    DMatrixRMaj css = new DMatrixRMaj(m, m);
    DMatrixRMaj rowsS = new DMatrixRMaj(m, n);
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < n; b++) {
        rowsS.set(a, b, scatter.get(cols[a], b));
      }
      for (int b = 0; b < m; b++) {
        css.set(a, b, rowsS.get(a, cols[b]));
      }
    }
    DMatrixRMaj rhs = new DMatrixRMaj(m, w.rows());   // (W C_:S)ᵀ = C_S: Wᵀ
    CommonOps_DDRM.multTransB(rowsS, Ejml.wrapOrCopy(w, false), rhs);
    double t = 0;
    for (int a = 0; a < m; a++) {
      t += css.get(a, a);
    }
    DMatrixRMaj x = ridgedSolve(css, rhs, 1e-10 * t / Math.max(1, m));
    Matrix out = Matrix.zeros(DType.F64, w.rows(), m);
    for (int i = 0; i < w.rows(); i++) {
      for (int a = 0; a < m; a++) {
        out.set(i, a, x.get(a, i));
      }
    }
    return out;
  }

  private static void checkShapes(String method, Matrix scatter, Matrix w, int blockSize) {
    int n = scatter.rows();
    if (scatter.cols() != n || w.cols() != n) {
      throw Checks.mismatch("GramBlockPivotedQr." + method + ": the scatter is " + n + "x" + scatter.cols()
          + " and W is " + w.rows() + "x" + w.cols() + "; both need n = " + n + " columns and the scatter n rows.",
          "Pass C = AᵀA (n x n) and W (d x n) for the same A.");
    }
    if (blockSize < 1 || n % blockSize != 0) {
      throw Checks.mismatch("GramBlockPivotedQr." + method + ": block size " + blockSize + " does not divide n = " + n
          + ".", "Pass the width of one block (e.g. the head dimension), a divisor of n.");
    }
  }

  /** tr(P_:h C_hh⁻¹ P_:hᵀ); 0 when the block's residual is at rounding level. */
  private static double gain(Matrix res, Matrix p, int h, int b, double trace) {
    DMatrixRMaj chh = Ejml.wrapOrCopy(res.view(h * b, h * b, b, b), true);
    double t = CommonOps_DDRM.trace(chh);
    if (t <= 1e-12 * trace) {
      return 0;
    }
    DMatrixRMaj pt = Ejml.wrapOrCopy(p.view(0, h * b, p.rows(), b).transposeCopy(), true); // b × d
    DMatrixRMaj z = ridgedSolve(chh, pt, 1e-10 * t / b);
    double g = 0;
    for (int i = 0; i < pt.data.length; i++) {
      g += pt.data[i] * z.data[i];
    }
    return Math.max(0, g);
  }

  /** C ← C − C_:h C_hh⁻¹ C_h:. */
  private void downdate(Matrix res, int h, int b, double trace) {
    int n = res.rows();
    DMatrixRMaj chh = Ejml.wrapOrCopy(res.view(h * b, h * b, b, b), true);
    double t = CommonOps_DDRM.trace(chh);
    if (t <= 1e-12 * trace) {
      return;
    }
    Matrix rows = res.view(h * b, 0, b, n).copy();
    DMatrixRMaj z = ridgedSolve(chh, Ejml.wrapOrCopy(rows, true), 1e-10 * t / b);
    compute.gemm(Transpose.T, Transpose.N, -1.0, rows, Matrix.wrap(z.data, b, n), 1.0, res);
  }

  /** (A + ridge·I)⁻¹B by Cholesky, by pseudo-inverse when the ridged matrix is still not positive definite. */
  private static DMatrixRMaj ridgedSolve(DMatrixRMaj a, DMatrixRMaj b, double ridge) {
    DMatrixRMaj reg = a.copy();
    for (int i = 0; i < reg.numRows; i++) {
      reg.add(i, i, ridge);
    }
    DMatrixRMaj x = new DMatrixRMaj(b.numRows, b.numCols);
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(reg.numRows);
    if (chol.setA(reg)) {
      chol.solve(b, x);
      return x;
    }
    LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
    pinv.setA(reg);
    pinv.solve(b, x);
    return x;
  }
}
