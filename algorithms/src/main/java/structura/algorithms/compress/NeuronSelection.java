package structura.algorithms.compress;

import java.util.Arrays;
import structura.algorithms.linalg.PivotedCholesky;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.algorithms.linalg.PivotedCholeskyResult;
import structura.algorithms.linalg.TriangularSolve;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Interpolative decomposition of an activation matrix X (N × f) from its scatter matrix
 * {@code C = XᵀX} (or the centered {@code (X − 1μᵀ)ᵀ(X − 1μᵀ)}) alone, with the error of every rank
 * measured in the output space of the next layer W (d × f).
 *
 * <p><b>Selection.</b> Complete-pivoting Cholesky of C ({@link PivotedCholesky}, blocked as
 * dpstrf, its panel updates on the backend) chooses the columns of column-pivoted QR of
 * X (Harbrecht, Peters and Schneider 2012): at step k the neuron p with the largest residual
 * diagonal {@code d(p) = ‖(I − P_J) x_p‖²} is kept. {@code |R(k,k)/R(0,0)| = √(d_k/d_0)}, the error
 * proxy of Chee et al. The factorization stops when the residual diagonal falls below
 * {@code 1e-12·d_0}, where the Gram route has lost all accuracy (see
 * {@link structura.algorithms.linalg.GramInterpolativeDecomposition}); neurons beyond that rank
 * are exact combinations of the kept ones.
 *
 * <p><b>Correction.</b> Keeping J, the least-squares interpolation {@code X ≈ X_J T} has
 * {@code T = C_JJ⁻¹ C_J:}, the ID's {@code [I, R11⁻¹R12]}. With C = L Lᵀ restricted to the pivot
 * columns, {@code C_:J C_JJ⁻¹ = L L_J⁻¹}, so the corrected next layer is
 * {@code W' = W Tᵀ = (W L) L_J⁻¹}: one product W·L (shared by every rank) and one triangular
 * solve. The output error of keeping the first k pivots is
 * {@code tr(W C Wᵀ) − Σ_{j<k} ‖(W L)_:j‖²}, so every rank's error comes from the same product.
 * With centered statistics the dropped neurons' mean goes into the bias:
 * {@code b' = b + W μ − W' μ_J} (regression with an intercept).
 *
 * <p><b>Cost.</b> f·r² for the pivoted Cholesky of rank r, 2·d·f·r for W·L (on the backend), d·k²
 * for a correction (a vectorized back substitution, {@link TriangularSolve}, its row panels on the
 * backend's host threads). Memory f·r doubles.
 */
final class NeuronSelection {
  private final int f;
  private final int d;
  final int[] order;
  /** {@code error[k]}: output-space squared error keeping the first k pivots, k = 0 .. rank. */
  final double[] error;
  /** {@code ratio[k] = √(d_k/d_0)} at pivot k. */
  final double[] ratio;
  private final double[] lRows; // row k = column k of L (length f)
  private final Matrix wl; // d × r, W·L
  private final int threads; // host threads for the corrections' solves

  /**
   * The factorization stops when the residual diagonal falls to 1e-12·d_0: below it the Gram
   * route has lost all accuracy, and the remaining neurons are combinations of the kept ones.
   */
  static final double STOP = 1e-12;

  private NeuronSelection(int f, int d, int[] order, double[] error, double[] ratio, double[] lRows, Matrix wl,
      int threads) {
    this.f = f;
    this.d = d;
    this.order = order;
    this.error = error;
    this.ratio = ratio;
    this.lRows = lRows;
    this.wl = wl;
    this.threads = threads;
  }

  /** Rank r: the number of pivots found (neurons beyond r add nothing). */
  int rank() {
    return order.length;
  }

  /**
   * @param scatter C, f × f F64 symmetric PSD
   * @param w the next layer's weight, d × f (F32)
   * @param maxRank pivots to compute at most
   */
  static NeuronSelection of(Compute compute, Matrix scatter, Matrix w, int maxRank) {
    int f = scatter.rows();
    int d = w.rows();
    // Centering (G − N·μμᵀ) can leave a constant neuron's diagonal a rounding error below zero;
    // such a neuron carries nothing and is never chosen, so its diagonal is clamped to zero here
    // rather than rejected as "not PSD" by the factorization. The copy is also its workspace.
    Matrix residual = scatter.toDType(DType.F64);
    double[] c = residual.f64();
    double d0 = 0;
    for (int i = 0; i < f; i++) {
      c[i * f + i] = Math.max(0, c[i * f + i]);
      d0 = Math.max(d0, c[i * f + i]);
    }
    int kmax = Math.min(maxRank, f);
    int[] piv = new int[0];
    double[] ratio = new double[0];
    double[] l = new double[0];
    if (kmax > 0) { // maxRank 0 means "up to f" to PivotedCholeskyOptions
      PivotedCholeskyResult pc = new PivotedCholesky(compute,
          new PivotedCholeskyOptions(kmax, 0, STOP, PivotedCholeskyOptions.DEFAULT_BLOCK_SIZE)).factorInPlace(residual);
      piv = pc.pivots();
      ratio = pc.pivotDiagonals();
      for (int j = 0; j < ratio.length; j++) {
        ratio[j] = Math.sqrt(ratio[j] / d0);
      }
      l = pc.lTransposedF64().f64();
    }
    int r = piv.length;
    // W·L: (d × f)·(f × r), with L stored as r rows of length f, i.e. Lᵀ
    Matrix w64 = w.toDType(DType.F64);
    Matrix wl = Matrix.zeros(DType.F64, d, r);
    if (r > 0) {
      compute.gemm(Transpose.N, Transpose.T, 1.0, w64, Matrix.wrap(l, 0, r, f, f), 0.0, wl);
    }
    // total output energy tr(W C Wᵀ) = Σ_ij (W C)_ij W_ij
    Matrix wc = Matrix.zeros(DType.F64, d, f);
    compute.gemm(Transpose.N, Transpose.N, 1.0, w64, scatter, 0.0, wc);
    double total = compute.dot(wc, w64);
    double[] error = new double[r + 1];
    error[0] = Math.max(0, total);
    for (int j = 0; j < r; j++) {
      double col = 0;
      for (int i = 0; i < d; i++) {
        double v = wl.get(i, j);
        col += v * v;
      }
      error[j + 1] = Math.max(0, error[j] - col);
    }
    return new NeuronSelection(f, d, piv, error, ratio, l, wl, compute.backend().hostThreads());
  }

  /** The kept neurons (ascending) for keeping the first k pivots. */
  int[] kept(int k) {
    int[] j = Arrays.copyOf(order, k);
    Arrays.sort(j);
    return j;
  }

  /**
   * The corrected next-layer weight for keeping the first k pivots, with columns in ascending
   * neuron order ({@link #kept}), and the bias change.
   *
   * @param k 1 .. rank
   * @param mean the activation mean μ when the statistics are centered, else null (no bias change)
   * @param w the original next-layer weight (d × f), for the bias term
   */
  Correction correction(int k, double[] mean, Matrix w) {
    // X = (W L)_:,0:k · L_J⁻¹ with L_J(a, b) = L(order[a], b), lower triangular: solve X L_J = WL,
    // i.e. X Uᵀ = WL with U = L_Jᵀ (k × k, upper triangular, row-major), by back substitution
    double[] u = new double[k * k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b <= a; b++) {
        u[b * k + a] = lRows[b * f + order[a]];
      }
    }
    double[] x = new double[d * k];
    double[] wlRows = wl.f64();
    for (int i = 0; i < d; i++) {
      System.arraycopy(wlRows, wl.index(i, 0), x, i * k, k);
    }
    TriangularSolve.rightUpperTransposedInPlace(u, k, x, d, k, threads);
    int[] kept = kept(k);
    int[] position = new int[f];
    for (int a = 0; a < k; a++) {
      position[order[a]] = a;
    }
    Matrix out = Matrix.zeros(DType.F32, d, k);
    for (int i = 0; i < d; i++) {
      for (int c = 0; c < k; c++) {
        out.set(i, c, x[i * k + position[kept[c]]]);
      }
    }
    double[] delta = new double[d];
    if (mean != null) {
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < f; j++) {
          s += w.get(i, j) * mean[j];
        }
        for (int c = 0; c < k; c++) {
          s -= out.get(i, c) * mean[kept[c]];
        }
        delta[i] = s;
      }
    }
    return new Correction(kept, out, delta);
  }

  /**
   * A corrected next layer.
   *
   * @param kept kept input units, ascending
   * @param weight the new next-layer weight over the kept units (d × |kept|, F32)
   * @param biasDelta added to the next layer's bias (length d)
   */
  record Correction(int[] kept, Matrix weight, double[] biasDelta) {}
}
