package structura.algorithms.structured;

import java.util.Objects;
import structura.algorithms.linalg.SvdResult;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Nearest rank-r matrix in the Frobenius norm: the truncated SVD W = U_r·diag(σ_1..σ_r)·V_rᵀ
 * (Eckart–Young–Mirsky), returned as a low-rank operator; ‖A − W‖_F = sqrt(Σ_{k>r} σ_k²) when the
 * exact SVD is used.
 *
 * <p><b>Cost.</b> Exact: O(mn·min(m, n)) (EJML); randomized above
 * {@link ProjectionOptions#exactSvdLimit()}: O(mn·(r + p)·(2q + 1)) through {@code RandomizedSvd}.
 * Plus O(mn·r) to measure the error. Not modified: A.
 */
public final class LowRankProjection {
  private final Compute compute;
  private final ProjectionOptions options;

  /**
   * @param compute the backend the returned operator's GEMMs (and the randomized SVD) run on
   * @param options SVD choice
   */
  public LowRankProjection(Compute compute, ProjectionOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The rank-{@code rank} projection of {@code a} (m×n), 1 ≤ rank ≤ min(m, n); operator in a's dtype. */
  public StructureProjection project(Matrix a, int rank) {
    ProjectionSupport.requireFiniteMatrix("LowRankProjection.project", "a", a);
    if (rank < 1 || rank > Math.min(a.rows(), a.cols())) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          "LowRankProjection.project: rank " + rank + " is outside [1, " + Math.min(a.rows(), a.cols()) + "].",
          "Pass a rank between 1 and min(m, n).");
    }
    SvdResult svd = ProjectionSupport.leadingSvd(compute, ProjectionSupport.f64(a), rank, options);
    Matrix u = svd.u().toDType(a.dtype());
    Matrix v = svd.vt().transposeCopy().toDType(a.dtype());
    LinearOperator w = Operators.lowRank(u, svd.singularValues(), v, compute);
    return ProjectionSupport.measured(a, w);
  }
}
