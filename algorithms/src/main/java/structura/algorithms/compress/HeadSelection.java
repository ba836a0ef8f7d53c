package structura.algorithms.compress;

import structura.algorithms.linalg.GramBlockPivotedQr;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Attention-head selection for STAT: the per-head outputs A = [A_1 … A_H] (N × H·d_v, the input of
 * the output projection W_o) ordered by {@link GramBlockPivotedQr} in the metric of the block output
 * {@code Y = A W_oᵀ}, from the scatter matrix {@code C = AᵀA} (or its centered form) alone: the
 * head-level interpolative decomposition of STAT (Flynn, Wang, Alvarez, De Sa and Damle,
 * arXiv:2406.00061). What this class adds to the linear algebra is the head bookkeeping and, for
 * centered statistics, the bias change {@code b' = b + W_o μ − W_o' μ_S} of the least-squares output
 * projection {@code W_o' = W_o C_:S C_SS⁻¹}.
 */
final class HeadSelection {
  final int[] order;
  /** Output-space squared error keeping the first k heads of {@link #order}, k = 0 .. H. */
  final double[] error;
  private final GramBlockPivotedQr qr;
  private final GramBlockPivotedQr.Selection selection;
  private final Matrix scatter;
  private final int dv;

  private HeadSelection(GramBlockPivotedQr qr, GramBlockPivotedQr.Selection selection, Matrix scatter, int dv) {
    this.qr = qr;
    this.selection = selection;
    this.order = selection.order();
    this.error = selection.error();
    this.scatter = scatter;
    this.dv = dv;
  }

  static HeadSelection of(Compute compute, Matrix scatter, Matrix wOut, int heads, int dv) {
    GramBlockPivotedQr qr = new GramBlockPivotedQr(compute);
    return new HeadSelection(qr, qr.select(scatter, wOut, dv), scatter, dv);
  }

  /** The kept heads (ascending) for keeping the first k of {@link #order}. */
  int[] kept(int k) {
    return selection.kept(k);
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
    Matrix x = qr.projection(scatter, wOut, dv, kept); // d × m, F64
    int d = wOut.rows();
    int n = scatter.rows();
    int m = x.cols();
    double[] delta = new double[d];
    if (mean != null) {
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += wOut.get(i, j) * mean[j];
        }
        for (int a = 0; a < m; a++) {
          s -= x.get(i, a) * mean[kept[a / dv] * dv + a % dv];
        }
        delta[i] = s;
      }
    }
    return new NeuronSelection.Correction(kept, x.toDType(DType.F32), delta);
  }
}
