package structura.algorithms.kernel;

import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.Matrix;

/**
 * The Legendre polynomials of dimension d, P_ℓ(t) = C_ℓ^λ(t)/C_ℓ^λ(1) with λ = d/2 − 1
 * (Chebyshev T_ℓ for d = 2, Legendre for d = 3), normalised to P_ℓ(1) = 1, and what
 * {@link HarmonicLowRank} needs around them: the Gauss quadrature for their weight
 * (1 − t²)^{(d−3)/2} on [−1, 1], and the dimension N(d, ℓ) of the space of spherical harmonics
 * of degree ℓ on the sphere S^{d−1}.
 *
 * <p>Why these: by the addition theorem, P_ℓ(x̂·ŷ) is (up to a constant) the reproducing kernel
 * of the degree-ℓ harmonics, Σ_h Y_ℓh(x̂)·Y_ℓh(ŷ); and any f(x̂·ŷ) expands as
 * Σ_ℓ f̂_ℓ·P_ℓ(x̂·ŷ) with f̂_ℓ = ∫f·P_ℓ·w / ∫P_ℓ²·w (Funk–Hecke). For d = 1 the "sphere" is
 * {−1, +1}: degrees 0 and 1 only, and the "quadrature" is the two points ±1.
 */
final class HypersphericalLegendre {
  private HypersphericalLegendre() {}

  /** P_0(t) … P_maxDegree(t) for dimension d ≥ 1, by the three-term recurrence. */
  static double[] values(int d, int maxDegree, double t) {
    double[] p = new double[maxDegree + 1];
    p[0] = 1;
    if (maxDegree >= 1) {
      p[1] = t;
    }
    for (int l = 1; l < maxDegree; l++) {
      // (ℓ + d − 2)·P_{ℓ+1} = (2ℓ + d − 2)·t·P_ℓ − ℓ·P_{ℓ−1}; for d = 2 this is T_{ℓ+1} = 2t·T_ℓ − T_{ℓ−1}.
      p[l + 1] = ((2.0 * l + d - 2) * t * p[l] - l * p[l - 1]) / (l + d - 2);
    }
    return p;
  }

  /** N(d, ℓ) = C(ℓ+d−1, ℓ) − C(ℓ+d−3, ℓ−2): 1 or 0 for d = 1, 1 or 2 for d = 2, 2ℓ+1 for d = 3. */
  static long harmonicCount(int d, int l) {
    if (d == 1) {
      return l <= 1 ? 1 : 0;
    }
    return binomial(l + d - 1, l) - (l >= 2 ? binomial(l + d - 3, l - 2) : 0);
  }

  private static long binomial(int n, int k) {
    long c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;  // exact: c·(n−k+i) is divisible by i at every step
    }
    return c;
  }

  /**
   * Gauss quadrature with {@code q} nodes for the weight (1 − t²)^{(d−3)/2} on [−1, 1] by
   * Golub–Welsch (the symmetric Jacobi matrix of the monic Gegenbauer recurrence, λ = d/2 − 1:
   * β_n = n(n + 2λ − 1) / (4(n + λ)(n + λ − 1)), β_1 = 1/2 for λ = 0). Exact for polynomials of
   * degree ≤ 2q − 1. The weights are scaled to sum to 1 (callers use ratios of quadratures). For
   * d = 1: the nodes ±1 with weights ½.
   *
   * @return {nodes, weights}
   */
  static double[][] quadrature(int d, int q) {
    if (d == 1) {
      return new double[][] {{-1, 1}, {0.5, 0.5}};
    }
    double lambda = d / 2.0 - 1;
    Matrix jacobi = Matrix.zeros(DType.F64, q, q);
    for (int n = 1; n < q; n++) {
      double beta = lambda == 0 && n == 1 ? 0.5 : n * (n + 2 * lambda - 1) / (4 * (n + lambda) * (n + lambda - 1));
      double off = Math.sqrt(beta);
      jacobi.set(n, n - 1, off);
      jacobi.set(n - 1, n, off);
    }
    SymmetricEigen e = SymmetricEigen.decompose(jacobi);
    double[] nodes = e.values();
    double[] weights = new double[q];
    double sum = 0;
    Matrix vectors = e.vectors();
    for (int k = 0; k < q; k++) {
      double v = vectors.get(0, k);
      weights[k] = v * v;
      sum += weights[k];
    }
    for (int k = 0; k < q; k++) {
      weights[k] /= sum;
    }
    return new double[][] {nodes, weights};
  }
}
