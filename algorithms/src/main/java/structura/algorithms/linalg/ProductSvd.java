package structura.algorithms.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import structura.api.Matrix;

/**
 * Rank-k SVD of a product {@code M = A·Bᵀ} given its thin factors A (m × r) and B (n × r),
 * without forming M.
 *
 * <p><b>Method.</b> Thin QRs {@code A = Q₁R₁} and {@code B = Q₂R₂} give
 * {@code M = Q₁·(R₁R₂ᵀ)·Q₂ᵀ}; the SVD {@code R₁R₂ᵀ = U_c Σ V_cᵀ} of the r × r core ({@link TruncatedSvd})
 * then gives {@code M = (Q₁U_c) Σ (Q₂V_c)ᵀ}, truncated to the leading k triplets. Exact in exact
 * arithmetic (M has rank ≤ r), backward stable: only orthogonal transformations and one small SVD.
 *
 * <p><b>Source.</b> Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., §6.4 (SVD of a product
 * through the QR factors); the construction MoDeGPT's value-output step needs for
 * {@code S·W_vᵀ·W_oᵀ}.
 *
 * <p><b>Cost.</b> {@code 2r²(m + n)} for the QRs, {@code O(r³)} for the core SVD and
 * {@code 2kr(m + n)} to form the factors: for m, n ≫ r far below the {@code O(mn·min(m,n))} of an
 * SVD of the formed product. Runs in EJML on the CPU; inputs are not modified.
 */
public final class ProductSvd {
  private final int rank;

  /** @param rank number of leading triplets to keep (1 ≤ rank ≤ r, checked at {@link #decompose}) */
  public ProductSvd(int rank) {
    if (rank < 1) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "ProductSvd: rank = " + rank + " must be at least 1.", "Pass the number of singular triplets to keep.");
    }
    this.rank = rank;
  }

  /**
   * The rank-k SVD of {@code A·Bᵀ}, in F64.
   *
   * @param a m × r, m ≥ r
   * @param b n × r, n ≥ r
   * @return U (m × k), the k largest singular values, Vᵀ (k × n)
   * @throws NumericalFailureException if the core SVD fails
   * @throws structura.api.InvalidArgumentException for non-finite input
   */
  public SvdResult decompose(Matrix a, Matrix b) {
    Checks.input("ProductSvd.decompose", "a", a);
    Checks.input("ProductSvd.decompose", "b", b);
    int r = a.cols();
    if (b.cols() != r) {
      throw Checks.mismatch("ProductSvd.decompose: A has " + r + " columns but B has " + b.cols() + ".",
          "Pass the two factors of A·Bᵀ with the same inner dimension.");
    }
    if (a.rows() < r || b.rows() < r) {
      throw Checks.mismatch("ProductSvd.decompose: the factors must be tall (A is " + a.rows() + "x" + r + ", B is "
          + b.rows() + "x" + r + ").", "Form the product and use TruncatedSvd when a factor is wide.");
    }
    Checks.rank("ProductSvd.decompose", "rank", rank, r, false);
    DMatrixRMaj[] qa = thinQr(a);
    DMatrixRMaj[] qb = thinQr(b);
    if (qa == null || qb == null) {
      // EJML's Householder QR stops at an exactly zero column (the inputs are finite, checked
      // above): a factor with a dead dimension, as in a pruned or planted model. The product is
      // then formed and decomposed directly, O(mn·min(m, n)) instead of O(r²(m + n)).
      DMatrixRMaj m = new DMatrixRMaj(a.rows(), b.rows());
      CommonOps_DDRM.multTransB(Ejml.wrapOrCopy(a, false), Ejml.wrapOrCopy(b, false), m);
      return new TruncatedSvd(rank).decompose(Matrix.wrap(m.data, m.numRows, m.numCols));
    }
    DMatrixRMaj core = new DMatrixRMaj(r, r);
    CommonOps_DDRM.multTransB(qa[1], qb[1], core);
    SvdResult small = new TruncatedSvd(rank).decompose(Matrix.wrap(core.data, r, r));
    DMatrixRMaj us = Ejml.wrapOrCopy(small.u(), false);
    DMatrixRMaj vts = Ejml.wrapOrCopy(small.vt(), false);
    DMatrixRMaj u = new DMatrixRMaj(a.rows(), rank);
    CommonOps_DDRM.mult(qa[0], us, u);
    DMatrixRMaj vt = new DMatrixRMaj(rank, b.rows());
    CommonOps_DDRM.multTransB(vts, qb[0], vt);
    return new SvdResult(Matrix.wrap(u.data, u.numRows, u.numCols), small.singularValues(),
        Matrix.wrap(vt.data, vt.numRows, vt.numCols));
  }

  /** {Q (m × r), R (r × r)} of a tall finite matrix, or null when a column is exactly zero. */
  private static DMatrixRMaj[] thinQr(Matrix x) {
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(x.rows(), x.cols());
    if (!qr.decompose(Ejml.wrapOrCopy(x, true))) {
      return null;
    }
    return new DMatrixRMaj[] {qr.getQ(null, true), qr.getR(null, true)};
  }
}
