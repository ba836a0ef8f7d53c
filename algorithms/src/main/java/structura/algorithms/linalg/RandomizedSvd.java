package structura.algorithms.linalg;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;

/**
 * Randomized truncated SVD: a Gaussian range finder with oversampling and power (subspace)
 * iterations, then a small dense SVD.
 *
 * <p><b>Method.</b> Halko–Martinsson–Tropp: Y = A·Ω with Ω n×(k+p) Gaussian; Q = orth(Y); q times
 * Q = orth(A·orth(Aᵀ·Q)) (Alg. 4.4, randomized subspace iteration, re-orthonormalizing every
 * product to avoid the loss of accuracy of plain power iteration: CholeskyQR2 where it certifies
 * its own orthogonality, Householder QR otherwise); then B = Qᵀ·A ((k+p)×n), B = Ũ·Σ·Vᵀ through
 * the QR of Bᵀ and {@link TruncatedSvd} (EJML) of the (k+p)×(k+p) triangle, U = Q·Ũ, truncated
 * to k (Alg. 5.1). All products with a matrix A go through the {@link Compute} GEMM and read A in
 * place; a {@link LinearOperator} is touched only through its products (A·X and Aᵀ·Y).
 *
 * <p><b>Source.</b> N. Halko, P.-G. Martinsson and J. A. Tropp, "Finding structure with
 * randomness: probabilistic algorithms for constructing approximate matrix decompositions", SIAM
 * Review 53(2):217–288, 2011, Alg. 4.4 and 5.1; arXiv:0909.4061.
 *
 * <p><b>Cost.</b> (2q + 2)·2mn(k+p) flops for the products, O((m + n)(k+p)²) for the QRs and the
 * small SVD. Memory: O((m + n)(k+p)) besides A (not copied).
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


  /**
   * Rank-k approximation of {@code a}; results in a's dtype.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} for empty or non-finite
   *     input or a rank above min(m, n)
   */
  public SvdResult decompose(Matrix a) {
    Checks.input("RandomizedSvd.decompose", "a", a);
    // Every product reads A in place: A·Xᵀ (Xᵀ l×n, stored row-major) and Qᵀ·A (Qᵀ l×m). A
    // transposed copy of A would let the plain-loop reference backend stream along rows, but on
    // the SIMD backend it cost 0.25 s of 2 s at 8192×4096 and the products gain nothing from it.
    return decompose(new Products() {
      @Override
      public Matrix times(Matrix xt) {
        return compute.multiply(Transpose.N, a, Transpose.T, xt);
      }

      @Override
      public Matrix transposeTimes(Matrix qt) {
        // Aᵀ·Q formed as Qᵀ·A (l×n) and transposed (l·n elements).
        return compute.multiply(Transpose.N, qt, Transpose.N, a).transposeCopy();
      }
    }, a.rows(), a.cols(), a.dtype(), "a");
  }

  /**
   * Rank-k approximation of the operator {@code a} from products alone: 2q + 2 blocks of k + p
   * vectors, q + 1 through {@link LinearOperator#apply} and q + 1 through
   * {@link LinearOperator#applyTranspose}; {@code a} is never densified, so a Kronecker or
   * low-rank operator costs what its structure costs per product. Same algorithm, test matrix and
   * seed as {@link #decompose(Matrix)}: on {@code Operators.dense(m, compute)} it agrees with
   * {@code decompose(m)} up to rounding. Results in a's dtype.
   *
   * <p>Cost: (q + 1)·(k + p) products with A and as many with Aᵀ, plus O((m + n)(k + p)²).
   * Memory: O((m + n)(k + p)) besides whatever the operator holds.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} for an empty operator, a
   *     rank above min(m, n), or an operator whose product with the test matrix is not finite
   */
  public SvdResult decompose(LinearOperator a) {
    Objects.requireNonNull(a, "a");
    Checks.nonEmpty("RandomizedSvd.decompose", "a", a.rows(), a.cols());
    return decompose(new Products() {
      @Override
      public Matrix times(Matrix xt) {
        return a.apply(xt.transposeCopy());
      }

      @Override
      public Matrix transposeTimes(Matrix qt) {
        return a.applyTranspose(qt.transposeCopy());
      }
    }, a.rows(), a.cols(), a.dtype(), "a");
  }

  /** The two products with A the method needs, in the layout each kind of input makes cheapest. */
  private interface Products {
    /** A·X (m×l) for X given as Xᵀ (l×n, row-major). */
    Matrix times(Matrix xt);

    /** Aᵀ·Q (n×l) for Q given as Qᵀ (l×m, row-major). */
    Matrix transposeTimes(Matrix qt);
  }

  private SvdResult decompose(Products a, int m, int n, DType dt, String name) {
    int k = options.rank();
    Checks.rank("RandomizedSvd.decompose", "rank", k, Math.min(m, n), false);
    int l = Math.min(k + options.oversampling(), Math.min(m, n));
    Matrix omegaT = Sketches.gaussian(dt, l, n, new SplittableRandom(options.seed()), 1.0);
    Matrix y = a.times(omegaT);
    // A matrix was checked entry by entry; an operator can only be judged by what it returns.
    Checks.finite("RandomizedSvd.decompose", name + "·Ω", y);
    Matrix qt = orthT(y, dt);
    for (int it = 0; it < options.powerIterations(); it++) {
      Matrix zt = orthT(a.transposeTimes(qt), dt);
      qt = orthT(a.times(zt), dt);
    }
    // SVD of the wide l×n B = Qᵀ·A through the QR of Bᵀ = Aᵀ·Q: Bᵀ = Q_B·R_B, R_Bᵀ = U·Σ·Wᵀ (l×l,
    // EJML), so B = U·Σ·(Q_B·W)ᵀ. EJML's SVD of the whole 74×4096 B took 0.11–0.15 s; this is one
    // tall QR.
    Matrix bt = asF64(a.transposeTimes(qt));
    QrFactorization bqr = new HouseholderQr(compute, HouseholderQrOptions.defaults()).factor(bt);
    SvdResult small = new TruncatedSvd(k).decompose(bqr.r().transposeCopy());
    Matrix vt = compute.multiply(Transpose.N, small.vt(), Transpose.T, bqr.q());
    Matrix u = compute.multiply(Transpose.T, asF64(qt), Transpose.N, small.u());
    return new SvdResult(inDType(u, dt), small.singularValues(), inDType(vt, dt));
  }

  /**
   * Qᵀ (l×m, dtype {@code dt}) for an orthonormal basis Q of the columns of the m×l {@code y}:
   * CholeskyQR2 when it certifies itself, else Householder QR.
   */
  private Matrix orthT(Matrix y, DType dt) {
    Matrix y64 = asF64(y);
    Matrix q = choleskyQr2(compute, y64);
    if (q == null) {
      q = new HouseholderQr(compute, HouseholderQrOptions.defaults()).factor(y64).q();
    }
    return inDType(q, dt).transposeCopy();
  }

  /** {@code x} itself when it already has {@code dt} ({@link Matrix#toDType} always copies). */
  private static Matrix inDType(Matrix x, DType dt) {
    return x.dtype() == dt ? x : x.toDType(dt);
  }

  private static Matrix asF64(Matrix x) {
    return inDType(x, DType.F64);
  }

  /**
   * CholeskyQR2: R = chol(YᵀY)ᵀ, Q₁ = Y·R⁻¹, and once more on Q₁ (Fukaya, Nakatsukasa,
   * Yanagisawa and Yamamoto, "CholeskyQR2: a simple and communication-avoiding algorithm for
   * computing a tall-skinny QR factorization", ScalA 2014). Cost 2·(2ml² + ml²) flops, all in
   * two Grams and two GEMMs, against Householder QR with Q formed (4ml² in small recursive
   * panels: 0.065 s against about 0.02 s at 8192×74).
   *
   * <p>One pass squares the condition number, so the result is certified before it is used:
   * the second Gram G₂ = Q₁ᵀQ₁ must satisfy ‖G₂ − I‖_F ≤ 1/2 (then κ(Q₁) ≤ √3 and the second pass
   * is accurate to rounding), and both Cholesky factorizations must succeed. Otherwise (κ(Y)
   * beyond about 10⁶–10⁷, e.g. after power iterations on a fast-decaying spectrum) it returns
   * null and the caller uses Householder QR. Package-private for the tests.
   *
   * @param y m×l F64, m ≥ l, not modified
   * @return Q (m×l F64) with orthonormal columns spanning those of y, or null
   */
  static Matrix choleskyQr2(Compute compute, Matrix y) {
    int l = y.cols();
    Matrix q = y;
    for (int pass = 0; pass < 2; pass++) {
      Matrix g = Matrix.zeros(DType.F64, l, l);
      compute.gram(Transpose.T, 1.0, q, 0.0, g);
      if (pass == 1) {
        double off = 0;
        for (int i = 0; i < l; i++) {
          for (int j = 0; j < l; j++) {
            double d = g.get(i, j) - (i == j ? 1 : 0);
            off += d * d;
          }
        }
        if (!(off <= 0.25)) {
          return null;
        }
      }
      Matrix lower;
      try {
        lower = new Cholesky(compute, CholeskyOptions.defaults()).factor(g);
      } catch (NumericalFailureException notPositiveDefinite) {
        return null;
      }
      // Q·R⁻¹ = Q·L⁻ᵀ.
      q = compute.multiply(Transpose.N, q, Transpose.T, new TriangularInverse(compute).lower(lower));
    }
    return q;
  }
}
