package structura.algorithms.iterative;

import java.util.List;
import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link Lanczos} for a block of k start vectors, one independent Lanczos run per
 * column: Q_jᵀ·A·Q_j = T_j.
 *
 * @param tridiagonals T_j per column (its order m_j is the column's Krylov dimension)
 * @param bases Q_j (n×m_j, orthonormal columns) per column, or an empty list when not kept
 * @param startNorms ‖v_j‖ of the start vectors (q₁ = v/‖v‖), needed by quadrature
 * @param reasons per column: {@link StopReason#INVARIANT_SUBSPACE} when β fell below the
 *     tolerance, {@link StopReason#MAX_ITERATIONS} when the dimension cap was reached,
 *     {@link StopReason#CONVERGED} when a caller's stopping test (the eigensolver's) ended it
 * @param matrixVectorProducts products, counted per column, including the symmetry test
 */
public record LanczosResult(List<Tridiagonal> tridiagonals, List<Matrix> bases, double[] startNorms,
    List<StopReason> reasons, long matrixVectorProducts) {
  /** Copies. */
  public LanczosResult {
    tridiagonals = List.copyOf(tridiagonals);
    bases = List.copyOf(bases);
    startNorms = Objects.requireNonNull(startNorms, "startNorms").clone();
    reasons = List.copyOf(reasons);
  }

  @Override
  public double[] startNorms() {
    return startNorms.clone();
  }

  /** T of the first (or only) column. */
  public Tridiagonal tridiagonal() {
    return tridiagonals.get(0);
  }

  /** Q of the first (or only) column. */
  public Matrix basis() {
    if (bases.isEmpty()) {
      throw new IllegalStateException("the basis was not kept (LanczosOptions.keepBasis = false)");
    }
    return bases.get(0);
  }
}
