package structura.algorithms.linalg;

import structura.api.Matrix;

/**
 * A Nyström approximation K ≈ C·W⁺·Cᵀ = F·Fᵀ with C = K(:, J), W = K(J, J), F n×r (r ≤ k after
 * dropping numerically zero eigenvalues of W).
 */
public final class NystromResult {
  private final int[] landmarks;
  private final Matrix factor;

  NystromResult(int[] landmarks, Matrix factor) {
    this.landmarks = landmarks;
    this.factor = factor;
  }

  /** Landmark indices J (ascending for UNIFORM and RIDGE_LEVERAGE, pivot order for PIVOTED_CHOLESKY). */
  public int[] landmarks() {
    return landmarks.clone();
  }

  /** F with K ≈ F·Fᵀ (a copy), in K's dtype. */
  public Matrix factor() {
    return factor.copy();
  }
}
