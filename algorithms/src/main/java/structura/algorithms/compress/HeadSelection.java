package structura.algorithms.compress;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Attention-head selection by block-pivoted QR of the per-head outputs A = [A_1 … A_H]
 * (N × H·d_v, the input of the output projection W_o), in the metric of the block output
 * {@code Y = A W_oᵀ}, from the scatter matrix {@code C = AᵀA} (or its centered form) alone.
 *
 * <p><b>Selection.</b> Greedy forward selection of whole column blocks: with S the kept heads and
 * {@code C_res = C − C_:S C_SS⁻¹ C_S:} the scatter of A's residual after projecting on the kept
 * heads' span, head h adds {@code gain_h = tr(P_:h (C_res hh)⁻¹ P_:hᵀ)}, {@code P = W_o C_res}, of
 * output energy explained; the head with the largest gain is kept next and C_res is downdated by
 * its block. This is block column-pivoted QR of A with pivoting by the norm of the projected
 * block in the output space, the head-level ID of STAT (Flynn, Wang, Alvarez, De Sa and Damle,
 * "STAT: Shrinking Transformers After Training", arXiv:2406.00061). The errors
 * {@code error[k] = tr(W_o C W_oᵀ) − Σ_{first k} gain} are the output errors of every head count.
 *
 * <p><b>Correction.</b> The least-squares output projection on the kept heads,
 * {@code W_o' = W_o C_:S C_SS⁻¹} (Cholesky solve with a 1e-10·tr ridge against exactly dependent
 * heads); with centered statistics {@code b' = b + W_o μ − W_o' μ_S}.
 *
 * <p><b>Cost.</b> Per step one {@code d·n²} product P on the backend (n = H·d_v) and H small
 * {@code d_v×d_v} solves; H steps, so {@code H·d·n²} flops (7e8 for MiniLM's n = d = 384), plus one
 * {@code (k·d_v)³} solve for the correction.
 */
final class HeadSelection {
  final int[] order;
  /** Output-space squared error keeping the first k heads of {@link #order}, k = 0 .. H. */
  final double[] error;
  private final Matrix scatter;
  private final int dv;

  private HeadSelection(int[] order, double[] error, Matrix scatter, int dv) {
    this.order = order;
    this.error = error;
    this.scatter = scatter;
    this.dv = dv;
  }

  static HeadSelection of(Compute compute, Matrix scatter, Matrix wOut, int heads, int dv) {
    int n = heads * dv;
    int d = wOut.rows();
    Matrix res = scatter.toDType(DType.F64).copy();
    Matrix w = wOut.toDType(DType.F64);
    Matrix p = Matrix.zeros(DType.F64, d, n);
    compute.gemm(Transpose.N, Transpose.N, 1.0, w, res, 0.0, p);
    double total = compute.dot(p, w);
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += res.get(i, i);
    }
    boolean[] taken = new boolean[heads];
    int[] order = new int[heads];
    double[] error = new double[heads + 1];
    error[0] = Math.max(0, total);
    for (int step = 0; step < heads; step++) {
      if (step > 0) {
        compute.gemm(Transpose.N, Transpose.N, 1.0, w, res, 0.0, p);
      }
      int best = -1;
      double bestGain = -1;
      for (int h = 0; h < heads; h++) {
        if (taken[h]) {
          continue;
        }
        double g = gain(res, p, h, dv, trace);
        if (g > bestGain) {
          bestGain = g;
          best = h;
        }
      }
      taken[best] = true;
      order[step] = best;
      error[step + 1] = Math.max(0, error[step] - bestGain);
      downdate(compute, res, best, dv, trace);
    }
    return new HeadSelection(order, error, scatter, dv);
  }

  /** tr(P_:h C_hh⁻¹ P_:hᵀ); 0 when the block's residual is at rounding level. */
  private static double gain(Matrix res, Matrix p, int h, int dv, double trace) {
    DMatrixRMaj chh = ejml(res.view(h * dv, h * dv, dv, dv));
    double t = 0;
    for (int i = 0; i < dv; i++) {
      t += chh.get(i, i);
    }
    if (t <= 1e-12 * trace) {
      return 0;
    }
    DMatrixRMaj pt = ejml(p.view(0, h * dv, p.rows(), dv).transposeCopy()); // dv × d
    DMatrixRMaj z = solve(chh, pt, 1e-10 * t / dv);
    double g = 0;
    for (int i = 0; i < pt.data.length; i++) {
      g += pt.data[i] * z.data[i];
    }
    return Math.max(0, g);
  }

  /** C ← C − C_:h C_hh⁻¹ C_h:. */
  private static void downdate(Compute compute, Matrix res, int h, int dv, double trace) {
    int n = res.rows();
    DMatrixRMaj chh = ejml(res.view(h * dv, h * dv, dv, dv));
    double t = 0;
    for (int i = 0; i < dv; i++) {
      t += chh.get(i, i);
    }
    if (t <= 1e-12 * trace) {
      return;
    }
    Matrix rows = res.view(h * dv, 0, dv, n).copy();
    DMatrixRMaj z = solve(chh, ejml(rows), 1e-10 * t / dv);
    compute.gemm(Transpose.T, Transpose.N, -1.0, rows, Matrix.wrap(z.data, dv, n), 1.0, res);
  }

  private static DMatrixRMaj solve(DMatrixRMaj a, DMatrixRMaj b, double ridge) {
    DMatrixRMaj reg = a.copy();
    for (int i = 0; i < reg.numRows; i++) {
      reg.add(i, i, ridge);
    }
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(reg.numRows);
    DMatrixRMaj x = new DMatrixRMaj(b.numRows, b.numCols);
    if (chol.setA(reg)) {
      chol.solve(b, x);
      return x;
    }
    // not numerically positive definite even with the ridge: least squares by pseudo-inverse
    LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
    pinv.setA(reg);
    pinv.solve(b, x);
    return x;
  }

  /** The kept heads (ascending) for keeping the first k of {@link #order}. */
  int[] kept(int k) {
    int[] s = Arrays.copyOf(order, k);
    Arrays.sort(s);
    return s;
  }

  /**
   * The least-squares output projection over the kept heads (columns in ascending head order)
   * and the bias change.
   *
   * @param kept heads, ascending
   * @param mean the mean of A when the scatter is centered, else null
   * @param wOut the original output weight (d × H·d_v)
   */
  NeuronSelection.Correction correction(int[] kept, double[] mean, Matrix wOut) {
    int n = scatter.rows();
    int m = kept.length * dv;
    int[] cols = new int[m];
    for (int i = 0; i < kept.length; i++) {
      for (int t = 0; t < dv; t++) {
        cols[i * dv + t] = kept[i] * dv + t;
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
    // (W C_:S)ᵀ = C_S: Wᵀ, m × d
    int d = wOut.rows();
    DMatrixRMaj rhs = new DMatrixRMaj(m, d);
    org.ejml.dense.row.CommonOps_DDRM.multTransB(rowsS, ejml(wOut), rhs);
    double t = 0;
    for (int a = 0; a < m; a++) {
      t += css.get(a, a);
    }
    DMatrixRMaj x = solve(css, rhs, 1e-10 * t / m);
    Matrix out = Matrix.zeros(DType.F32, d, m);
    for (int i = 0; i < d; i++) {
      for (int a = 0; a < m; a++) {
        out.set(i, a, x.get(a, i));
      }
    }
    double[] delta = new double[d];
    if (mean != null) {
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += wOut.get(i, j) * mean[j];
        }
        for (int a = 0; a < m; a++) {
          s -= x.get(a, i) * mean[cols[a]];
        }
        delta[i] = s;
      }
    }
    return new NeuronSelection.Correction(kept, out, delta);
  }

  static DMatrixRMaj ejml(Matrix m) {
    DMatrixRMaj out = new DMatrixRMaj(m.rows(), m.cols());
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out.set(i, j, m.get(i, j));
      }
    }
    return out;
  }
}
