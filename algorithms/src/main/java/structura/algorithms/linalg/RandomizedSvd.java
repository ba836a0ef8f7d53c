package structura.algorithms.linalg;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Randomized truncated SVD: a Gaussian range finder with oversampling and power (subspace)
 * iterations, then a small dense SVD.
 *
 * <p><b>Method.</b> Halko–Martinsson–Tropp: Y = A·Ω with Ω n×(k+p) Gaussian; Q = orth(Y); q times
 * Q = orth(A·orth(Aᵀ·Q)) (Alg. 4.4, randomized subspace iteration, re-orthonormalizing every
 * product with Householder QR to avoid the loss of accuracy of plain power iteration); then
 * B = Qᵀ·A ((k+p)×n), B = Ũ·Σ·Vᵀ by {@link TruncatedSvd} (EJML), U = Q·Ũ, truncated to k
 * (Alg. 5.1). All products with A go through the {@link Compute} GEMM.
 *
 * <p><b>Source.</b> N. Halko, P.-G. Martinsson and J. A. Tropp, "Finding structure with
 * randomness: probabilistic algorithms for constructing approximate matrix decompositions", SIAM
 * Review 53(2):217–288, 2011, Alg. 4.4 and 5.1; arXiv:0909.4061.
 *
 * <p><b>Cost.</b> (2q + 2)·2mn(k+p) flops for the products, O((m + n)(k+p)²) for the QRs and the
 * small SVD. Memory: O((m + n)(k+p)).
 *
 * <p><b>Deviations.</b> Products run in the input dtype on the backend; the QRs and the small SVD
 * run in double. The expected error E‖A − UΣVᵀ‖ ≤ [1 + 4√(k+p)/(p−1)·√min(m,n)]^{1/(2q+1)}·σ_{k+1}
 * (HMT Cor. 10.10) is a bound in expectation, not a guarantee for one seed.
 */
public final class RandomizedSvd {
  private final Compute compute;
  private final RandomizedSvdOptions options;

  /**
   * @param compute backend for the products with A
   * @param options rank, oversampling, power iterations, seed
   */
  public RandomizedSvd(Compute compute, RandomizedSvdOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** On the reference backend. */
  public RandomizedSvd(RandomizedSvdOptions options) {
    this(Compute.reference(), options);
  }

  /**
   * Rank-k approximation of {@code a}; results in a's dtype.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} for empty or non-finite
   *     input or a rank above min(m, n)
   */
  public SvdResult decompose(Matrix a) {
    Checks.input("RandomizedSvd.decompose", "a", a);
    int m = a.rows();
    int n = a.cols();
    int k = options.rank();
    Checks.rank("RandomizedSvd.decompose", "rank", k, Math.min(m, n), false);
    int l = Math.min(k + options.oversampling(), Math.min(m, n));
    DType dt = a.dtype();
    // Every product is arranged as X·Zᵀ (both operands read along rows) using a copy of Aᵀ and the
    // bases stored transposed: fast on any backend, including the plain-loop reference one.
    Matrix at = a.transposeCopy();
    Matrix omegaT = Sketches.gaussian(dt, l, n, new SplittableRandom(options.seed()), 1.0);
    Matrix qt = orthT(compute.multiply(Transpose.N, a, Transpose.T, omegaT), dt);
    for (int it = 0; it < options.powerIterations(); it++) {
      Matrix zt = orthT(compute.multiply(Transpose.N, at, Transpose.T, qt), dt);
      qt = orthT(compute.multiply(Transpose.N, a, Transpose.T, zt), dt);
    }
    Matrix b = compute.multiply(Transpose.N, qt, Transpose.T, at);
    SvdResult small = new TruncatedSvd(k).decompose(b.toDType(DType.F64));
    Matrix ubT = small.u().transposeCopy();
    Matrix u = compute.multiply(Transpose.N, qt.toDType(DType.F64).transposeCopy(), Transpose.T, ubT);
    return new SvdResult(u.toDType(dt), small.singularValues(), small.vt().toDType(dt));
  }

  /** Qᵀ (l×m) for an orthonormal basis Q of the columns of y (thin Householder Q), in dtype {@code dt}. */
  private Matrix orthT(Matrix y, DType dt) {
    Matrix q = new HouseholderQr(compute, HouseholderQrOptions.defaults()).factor(y).q();
    return (q.dtype() == dt ? q : q.toDType(dt)).transposeCopy();
  }
}
