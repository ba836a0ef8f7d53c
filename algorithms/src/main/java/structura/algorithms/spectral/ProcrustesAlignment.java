package structura.algorithms.spectral;

import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.TruncatedSvd;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Orthogonal Procrustes alignment of one basis onto another: Z = argmin over orthogonal k×k Z of
 * ‖V·Z − V_ref‖_F, given by Z = U·Wᵀ from the SVD Vᵀ·V_ref = U·Σ·Wᵀ (Schönemann 1966). V·Z spans
 * the same subspace as V; of all its orthonormal bases it is the closest to V_ref, which undoes
 * the rotations and sign flips that make local eigenvector bases incomparable.
 *
 * <p>Cost: 2dk² flops for Vᵀ·V_ref and for V·Z, and a k×k SVD (EJML).
 */
public final class ProcrustesAlignment {
  private ProcrustesAlignment() {}

  /** Z (k×k orthogonal) for V and V_ref (both d×k, not modified). */
  public static Matrix rotation(Matrix v, Matrix reference) {
    Matrix cross = Compute.reference().multiply(Transpose.T, f64(v), Transpose.N, f64(reference));
    SvdResult svd = new TruncatedSvd(0).decompose(cross);
    return Compute.reference().multiply(Transpose.N, svd.u(), Transpose.N, svd.vt());
  }

  /** V·Z, the basis of span(V) closest to V_ref (d×k F64, new). */
  public static Matrix align(Matrix v, Matrix reference) {
    return Compute.reference().multiply(Transpose.N, f64(v), Transpose.N, rotation(v, reference));
  }

  private static Matrix f64(Matrix m) {
    return m.dtype() == DType.F64 ? m : m.toDType(DType.F64);
  }
}
