package structura.algorithms.kernel;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.NystromApproximation;
import structura.algorithms.linalg.NystromOptions;
import structura.algorithms.linalg.NystromResult;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Nyström approximation of a kernel matrix from landmark points, K ≈ C·W⁺·Cᵀ = F·Fᵀ with
 * C = k(X, X_J) (N×r) and W = k(X_J, X_J), the baseline for {@link HarmonicLowRank}. Kernel
 * columns are computed directly (N·r kernel evaluations through the lazy
 * {@link KernelOperator}), never through products with the N×N matrix; the factor comes from
 * {@link NystromApproximation#fromLandmarkColumns} (eigen-decomposed W, stable pseudo-inverse).
 *
 * <p><b>Ridge-leverage sampling.</b> A uniform pilot of r landmarks gives F₀ with K ≈ F₀F₀ᵀ; λ is
 * chosen so that the pilot's effective dimension Σ σ_q²/(σ_q² + λ) equals r/2 (σ_q² the
 * eigenvalues of F₀ᵀF₀, by bisection), and the scores are
 * ℓ̃_i = min(1, f_iᵀ(F₀ᵀF₀ + λI)⁻¹f_i + max(0, k_ii − ‖f_i‖²)/λ), the pilot's exact leverage plus
 * the residual diagonal, capped at 1 like any leverage score (an over-estimate, since K ⪰ F₀F₀ᵀ; Musco and Musco, "Recursive sampling for
 * the Nyström method", NeurIPS 2017, use the same correction). r distinct landmarks are then
 * drawn with probability ∝ ℓ̃ (Efraimidis–Spirakis weighted sampling without replacement).
 *
 * <p><b>Cost.</b> Uniform: N·r kernel evaluations, O(N·r²) for the factor. Ridge leverage: twice
 * that plus O(N·r²) for the scores. Memory O(N·r).
 *
 * <p><b>Deviation.</b> The recursive algorithm of Musco and Musco refines λ and the scores over
 * O(log N) levels; one uniform pilot is used here.
 */
public final class KernelNystrom {
  /**
   * The fitted approximation.
   *
   * @param landmarks indices J of the landmark points (ascending)
   * @param factor F (N×r', r' ≤ r after dropping numerically zero eigenvalues of W), K ≈ F·Fᵀ
   * @param operator F·Fᵀ as a symmetric operator
   * @param landmarkPoints the landmark points X_J (r×d, F64)
   * @param map M (r×r') with F = k(X, X_J)·M, so that k(x, y) ≈ (k(x, X_J)·M)·(k(y, X_J)·M)ᵀ
   * @param kernel the kernel
   */
  public record Result(int[] landmarks, Matrix factor, LinearOperator operator, Matrix landmarkPoints, Matrix map, KernelFunction kernel,
      Compute compute) {
    /** Nyström features k(x, X_J)·M of the rows of {@code points} (M×r'), for held-out points: O(M·r·(d + r')). */
    public Matrix features(Matrix points) {
      Matrix c = KernelOperator.cross(kernel, points.toDType(DType.F64), landmarkPoints, compute)
          .apply(Matrix.identity(DType.F64, landmarkPoints.rows()));
      return compute.multiply(Transpose.N, c, Transpose.N, map);
    }
  }

  private final Compute compute;
  private final KernelNystromOptions options;

  /** @param compute backend for kernel columns and GEMMs; @param options rank, sampling, seed. */
  public KernelNystrom(Compute compute, KernelNystromOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Approximates k(X, X) for the rows of {@code points} (N×d, not modified).
   *
   * @throws InvalidArgumentException for a rank above N, non-finite points or the LAPLACE kernel
   *     (not positive semidefinite)
   */
  public Result fit(KernelFunction kernel, Matrix points) {
    Objects.requireNonNull(kernel, "kernel");
    int n = points.rows();
    int r = options.rank();
    if (r > n) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "KernelNystrom: rank " + r + " exceeds the " + n + " points.", "Pass a rank of at most the number of points.");
    }
    if (!kernel.radial().positiveDefinite()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "KernelNystrom: the " + kernel.radial().kind() + " kernel is not positive semidefinite.",
          "Use a positive definite kernel (rbf, matern, rq, cauchy, exponential).");
    }
    Matrix x = points.toDType(DType.F64);
    SplittableRandom rng = new SplittableRandom(options.seed());
    int[] j = uniform(n, r, rng);
    Matrix f = factor(kernel, x, j).factor();
    if (options.sampling() == KernelNystromOptions.Sampling.RIDGE_LEVERAGE) {
      j = weightedSample(ridgeLeverageScores(f, kernel.variance()), r, rng);
    }
    return nystrom(kernel, x, j);
  }

  /**
   * The Nyström approximation k(X, X) ≈ C·W⁺·Cᵀ on given landmark rows J of {@code points}
   * (N×d, not modified), chosen by the caller (for example the skeleton points of
   * {@link HarmonicLowRank#approximate}); the options' rank, sampling and seed are not used.
   * Costs N·|J| kernel evaluations and O(N·|J|²) flops.
   *
   * @param landmarks distinct row indices in [0, N), at least one (not modified)
   * @throws InvalidArgumentException for an empty, repeated or out-of-range landmark, non-finite
   *     points or a kernel that is not positive semidefinite
   */
  public Result onLandmarks(KernelFunction kernel, Matrix points, int[] landmarks) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(landmarks, "landmarks");
    if (!kernel.radial().positiveDefinite()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "KernelNystrom: the " + kernel.radial().kind() + " kernel is not positive semidefinite.",
          "Use a positive definite kernel (rbf, matern, rq, cauchy, exponential).");
    }
    int n = points.rows();
    int[] j = landmarks.clone();
    Arrays.sort(j);
    for (int q = 0; q < j.length; q++) {
      if (j[q] < 0 || j[q] >= n || (q > 0 && j[q] == j[q - 1])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "KernelNystrom.onLandmarks: landmark " + j[q] + " is out of range [0, " + n + ") or repeated.",
            "Pass distinct row indices of the points.");
      }
    }
    if (j.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "KernelNystrom.onLandmarks: no landmarks.",
          "Pass at least one landmark index.");
    }
    return nystrom(kernel, points.toDType(DType.F64), j);
  }

  private Result nystrom(KernelFunction kernel, Matrix x, int[] j) {
    NystromResult result = factor(kernel, x, j);
    Matrix fr = result.factor();
    Matrix xl = landmarkRows(x, j);
    return new Result(j, fr, Operators.lowRank(fr, ones(fr.cols()), fr, compute), xl, landmarkMap(kernel, xl, j, fr), kernel, compute);
  }

  /** M = W⁺·F_J (r×r'): F = C·M with M·Mᵀ = W⁺, and F_J = W·M, so M is recovered from the factor's landmark rows. */
  private Matrix landmarkMap(KernelFunction kernel, Matrix xl, int[] j, Matrix f) {
    int r = j.length;
    Matrix w = KernelOperator.symmetric(kernel, xl, compute).toDense();
    SymmetricEigen e = SymmetricEigen.decompose(w);
    double[] lambda = e.values();
    double cut = r * Math.ulp(1.0) * Math.max(lambda[0], 0);
    Matrix v = e.vectors();
    Matrix scaled = Matrix.zeros(DType.F64, r, r);  // V·diag(1/λ), zero where λ is numerically 0
    for (int q = 0; q < r; q++) {
      if (lambda[q] > cut) {
        for (int a = 0; a < r; a++) {
          scaled.set(a, q, v.get(a, q) / lambda[q]);
        }
      }
    }
    Matrix pinv = compute.multiply(Transpose.N, scaled, Transpose.T, v);
    Matrix fj = Matrix.zeros(DType.F64, r, f.cols());
    for (int q = 0; q < r; q++) {
      fj.row(q).copyFrom(f.row(j[q]));
    }
    return compute.multiply(Transpose.N, pinv, Transpose.N, fj);
  }

  /** The approximate ridge leverage scores ℓ̃_i of the class comment, from the pilot factor f (N×s). */
  double[] ridgeLeverageScores(Matrix f, double kernelDiagonal) {
    int n = f.rows();
    int s = f.cols();
    Matrix gram = compute.multiply(Transpose.T, f, Transpose.N, f);
    SymmetricEigen e = SymmetricEigen.decompose(gram);
    double[] sigma2 = e.values();
    double target = Math.max(1, options.rank() / 2.0);
    double lo = 0;
    double hi = Math.max(sigma2[0], Double.MIN_NORMAL);
    for (int it = 0; it < 100; it++) {  // bisection in log scale on the decreasing d_eff(λ)
      double mid = lo == 0 ? hi * 1e-12 : Math.sqrt(lo * hi);
      double deff = 0;
      for (double v : sigma2) {
        deff += Math.max(v, 0) / (Math.max(v, 0) + mid);
      }
      if (deff > target) {
        lo = mid;
      } else {
        hi = mid;
      }
      if (lo > 0 && hi / lo < 1 + 1e-6) {
        break;
      }
    }
    double lambda = lo == 0 ? hi : Math.sqrt(lo * hi);
    // f_iᵀ(FᵀF + λI)⁻¹f_i = Σ_q (f_i·v_q)²/(σ_q² + λ), with (v_q, σ_q²) the eigenpairs of FᵀF.
    Matrix projected = compute.multiply(Transpose.N, f, Transpose.N, e.vectors());
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      double lev = 0;
      double norm2 = 0;
      for (int q = 0; q < s; q++) {
        double p = projected.get(i, q);
        lev += p * p / (Math.max(sigma2[q], 0) + lambda);
        norm2 += f.get(i, q) * f.get(i, q);
      }
      scores[i] = Math.min(1, lev + Math.max(0, kernelDiagonal - norm2) / lambda);  // a leverage score is at most 1
    }
    return scores;
  }

  private static Matrix landmarkRows(Matrix x, int[] landmarks) {
    Matrix xl = Matrix.zeros(DType.F64, landmarks.length, x.cols());
    for (int q = 0; q < landmarks.length; q++) {
      xl.row(q).copyFrom(x.row(landmarks[q]));
    }
    return xl;
  }

  private NystromResult factor(KernelFunction kernel, Matrix x, int[] landmarks) {
    Matrix xl = landmarkRows(x, landmarks);
    // C = k(X, X_J): the cross operator applied to the identity evaluates exactly those N·r entries.
    Matrix c = KernelOperator.cross(kernel, x, xl, compute).apply(Matrix.identity(DType.F64, landmarks.length));
    return new NystromApproximation(compute, NystromOptions.of(landmarks.length, NystromOptions.Selection.UNIFORM))
        .fromLandmarkColumns(c, landmarks);
  }

  private static int[] uniform(int n, int r, SplittableRandom rng) {
    int[] idx = new int[n];
    Arrays.setAll(idx, i -> i);
    for (int i = 0; i < r; i++) {  // partial Fisher–Yates
      int j = i + rng.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] out = Arrays.copyOf(idx, r);
    Arrays.sort(out);
    return out;
  }

  /** r distinct indices, P(i) ∝ w_i: the r largest keys u_i^{1/w_i} (Efraimidis and Spirakis 2006), ascending. */
  static int[] weightedSample(double[] w, int r, SplittableRandom rng) {
    int n = w.length;
    double[] key = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      double u = rng.nextDouble();
      key[i] = w[i] > 0 ? Math.log(u) / w[i] : Double.NEGATIVE_INFINITY;  // log of u^{1/w}: same order
    }
    Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
    int[] out = new int[r];
    for (int q = 0; q < r; q++) {
      out[q] = order[q];
    }
    Arrays.sort(out);
    return out;
  }

  private static double[] ones(int r) {
    double[] s = new double[r];
    Arrays.fill(s, 1);
    return s;
  }
}
