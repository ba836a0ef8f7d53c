package structura.algorithms.structured;

import java.util.Objects;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.TruncatedSvd;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.MonarchOperator;
import structura.api.operator.Operators;

/**
 * Nearest Monarch matrix in the Frobenius norm, for rectangular matrices and any block counts
 * (the reference {@code blockdiag_butterfly_project} handles square matrices with its own block
 * sizes only: {@code HazyResearch/fly} issue #10).
 *
 * <p><b>Method.</b> In the convention of {@link MonarchOperator} (R: k blocks q×p, L: l blocks
 * s×r, k·q = l·r), every middle index t joins exactly one pair of blocks (i, j) = (⌊t/q⌋, t mod l),
 * and the s×p block of M at rows σ·l + j, columns i·p + a is Σ_{t ∈ T_ij} L_j[:, ⌊t/l⌋]·R_i[t mod q, :],
 * with T_ij = {t : ⌊t/q⌋ = i, t mod l = j}. Each column of L and row of R enters one such block
 * only, so the problem splits into k·l independent best rank-|T_ij| approximations: a truncated
 * SVD of each block of A (Eckart–Young), √σ given to each side; blocks with T_ij empty stay zero.
 * The result is the global Frobenius optimum over Monarch matrices of these block sizes. In the
 * default layout q = l and r = k every |T_ij| = 1: per-block rank-1 factorisations, as in Dao et
 * al. 2022 (ICML), §3.3.
 *
 * <p><b>Cost.</b> k·l dense SVDs of s×p blocks (EJML): O(k·l·s·p·min(s, p)) = O(mn·min(s, p)),
 * plus O(mn·(q + r)) to measure the error. Not modified: A.
 */
public final class MonarchProjection {
  private final Compute compute;

  /** @param compute the backend of the returned operator's batched GEMMs */
  public MonarchProjection(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /**
   * Projection with k = {@code rightBlocks} blocks in R and l = {@code leftBlocks} in L in the
   * rank-1-per-block layout q = l, r = k: needs k dividing n and l dividing m.
   */
  public StructureProjection project(Matrix a, int rightBlocks, int leftBlocks) {
    return project(a, rightBlocks, leftBlocks, leftBlocks);
  }

  /**
   * Projection onto Monarch matrices with k = {@code rightBlocks} R blocks of q = {@code rightBlockRows}
   * rows and l = {@code leftBlocks} L blocks; r = k·q/l. Needs k | n, l | m and l | k·q.
   */
  public StructureProjection project(Matrix a, int rightBlocks, int leftBlocks, int rightBlockRows) {
    String method = "MonarchProjection.project";
    ProjectionSupport.requireFiniteMatrix(method, "a", a);
    int k = rightBlocks;
    int l = leftBlocks;
    int q = rightBlockRows;
    if (k < 1 || l < 1 || q < 1 || a.cols() % k != 0 || a.rows() % l != 0 || ((long) k * q) % l != 0) {
      throw ProjectionSupport.shape(method, "a is " + a.rows() + "x" + a.cols() + " with rightBlocks = " + k
          + ", leftBlocks = " + l + " and rightBlockRows = " + q + ".",
          "Choose rightBlocks dividing the columns, leftBlocks dividing the rows, and leftBlocks dividing rightBlocks·rightBlockRows.");
    }
    int p = a.cols() / k;
    int s = a.rows() / l;
    int r = k * q / l;
    Matrix right = Matrix.zeros(a.dtype(), k * q, p);
    Matrix left = Matrix.zeros(a.dtype(), l * s, r);
    int[] shared = new int[q];
    Matrix block = Matrix.zeros(structura.api.DType.F64, s, p);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < l; j++) {
        int count = 0;
        for (int t = i * q; t < (i + 1) * q; t++) {
          if (t % l == j) {
            shared[count++] = t;
          }
        }
        if (count == 0) {
          continue;
        }
        for (int sigma = 0; sigma < s; sigma++) {
          for (int c = 0; c < p; c++) {
            block.set(sigma, c, a.get(sigma * l + j, i * p + c));
          }
        }
        int rank = Math.min(count, Math.min(s, p));
        SvdResult svd = new TruncatedSvd(rank).decompose(block);
        Matrix u = svd.u();
        Matrix vt = svd.vt();
        double[] w = svd.singularValues();
        for (int c = 0; c < rank; c++) {
          int t = shared[c];
          double root = Math.sqrt(w[c]);
          for (int sigma = 0; sigma < s; sigma++) {
            left.set(j * s + sigma, t / l, root * u.get(sigma, c));
          }
          for (int col = 0; col < p; col++) {
            right.set(i * q + t % q, col, root * vt.get(c, col));
          }
        }
      }
    }
    return ProjectionSupport.measured(a, Operators.monarch(right, k, left, l, compute));
  }
}
