package structura.algorithms.spectral;

import structura.algorithms.linalg.TruncatedSvd;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Distances between k-dimensional subspaces of ℝ^d given by orthonormal bases (d×k, columns).
 *
 * <p>{@link #sinTheta} is ‖sin Θ(V, W)‖₂ = ‖(I − W·Wᵀ)·V‖₂ = ‖V·Vᵀ − W·Wᵀ‖₂, the largest principal
 * angle's sine: 0 for the same subspace, 1 when some direction of one is orthogonal to the other;
 * invariant to the choice of bases (rotations, sign flips). Cost O(d·k²) plus a d×k SVD.
 */
public final class SubspaceDistance {
  private SubspaceDistance() {}

  /**
   * ‖(I − W·Wᵀ)·V‖₂ for orthonormal bases V and W (both d×k; columns orthonormal, not checked).
   */
  public static double sinTheta(Matrix v, Matrix w) {
    Compute c = Compute.reference();
    Matrix wtv = c.multiply(Transpose.T, w, Transpose.N, v);
    Matrix residual = v.toDType(structura.api.DType.F64);
    c.gemm(Transpose.N, Transpose.N, -1.0, w.toDType(structura.api.DType.F64), wtv.toDType(structura.api.DType.F64), 1.0, residual);
    double s = TruncatedSvd.singularValues(residual)[0];
    return Math.min(1.0, s);
  }
}
