package structura.algorithms.linalg;

/**
 * Whether {@link PivotedQr} first reduces A to its triangular factor by unpivoted QR.
 *
 * <p>A = Q₁·R₁ (blocked Householder QR, all level 3), then R₁·P = Q₂·R (column-pivoted QR of the
 * min(m, n)×n matrix R₁), so A·P = (Q₁·Q₂)·R. Column pivoting depends on A only through AᵀA =
 * R₁ᵀR₁, so in exact arithmetic the pivots and R are those of pivoting A directly; in floating point
 * they agree wherever the residual column norms are not near ties (the norms of R₁'s columns equal
 * A's to rounding). Why: dgeqp3's column-by-column pivoting does half of its flops as matrix–vector
 * products over the whole trailing matrix, which on a tall A are memory-bound; after the reduction
 * those products run on an n×n matrix that stays in cache. This is the preprocessing Drmač and
 * Veselić recommend for tall matrices (LAPACK dgejsv; Z. Drmač and K. Veselić, "New fast and
 * accurate Jacobi SVD algorithm I/II", SIAM J. Matrix Anal. Appl. 29(4), 2008).
 */
public enum QrPreprocessing {
  /**
   * Reduce first when A is tall (m ≥ 2n) and the factorization goes to at least a quarter of its
   * columns (maxRank 0 or ≥ n/4): there the reduction's 2mn² level-3 flops cost less than
   * dlaqps's 4mnk − 2k²(m + n) flops of which half are memory-bound (at k = n/4 on 8192×1024
   * the reduction was faster in each of four runs, see docs/performance.md).
   */
  AUTO,
  /** Always reduce first (any shape). */
  ALWAYS,
  /** Never: pivot A directly (dgeqp3 / dlaqps). */
  NEVER
}
