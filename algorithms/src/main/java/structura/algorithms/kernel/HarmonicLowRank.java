package structura.algorithms.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import structura.algorithms.linalg.PivotedCholesky;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.algorithms.linalg.PivotedCholeskyResult;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.backend.Transpose;

/**
 * Tolerance-driven low-rank approximation of a kernel matrix in time linear in N: rtol in, rank
 * out. {@link #approximate} is the method to use: K ≈ K[:, S]·K[S, S]⁺·K[S, :] on skeleton points
 * S chosen from the harmonic expansion (a {@link HarmonicSkeleton}), at least as accurate as
 * Nyström at equal rank. {@link #fit} returns the harmonic expansion itself,
 * K ≈ U·diag(λ)·Uᵀ (a {@link HarmonicExpansion}), the analytic proxy; on data that fill only part
 * of the ball about their centre (a surface) it needs far more rank than the skeleton form.
 *
 * <p><b>Method</b> (Ryan and Damle, "Linear-time kernel matrix approximation via hyperspherical
 * harmonics", arXiv 2202.03655; {@code degen_kern_harmonic} of jpryan1/FKTcheb; our notes §3.1).
 * Points are first divided by the lengthscale(s), so κ(r) is isotropic with r = ‖x − y‖.
 * <ol>
 *   <li>Centre c = the centroid; ρ_i = ‖x_i − c‖ ≤ R; every distance is at most b = 2R.
 *   <li>Degree D: the smallest Chebyshev degree whose series of κ(b·|t|) on [−1, 1] is within
 *       rtol·κ(0) of κ (a DCT on Chebyshev points). The degree-D polynomial in r is a polynomial
 *       of degree ≤ D in ρ, ρ′ and ≤ D/2 in cos γ = x̂·ŷ, which fixes the radial interpolation
 *       (D + 1 Chebyshev nodes on [0, R]) and the harmonic degrees (ℓ ≤ D/2 + 1).
 *   <li>Analytic separation: κ(‖x − y‖) = Σ_ℓ R_ℓ(ρ, ρ′)·P_ℓ(x̂·ŷ) with the Funk–Hecke radial
 *       kernels R_ℓ(ρ, ρ′) = ∫κ(√(ρ² + ρ′² − 2ρρ′t))·P_ℓ(t)·w(t)dt / ∫P_ℓ²w, computed by
 *       Gauss–Gegenbauer quadrature ({@link HypersphericalLegendre}) on the radial nodes, then
 *       interpolated: R_ℓ ≈ L(ρ)ᵀ·M_ℓ·L(ρ′) with the Lagrange basis L.
 *   <li>Data-dependent compression per degree: with the N×m matrix P = [L(ρ_i)] and PᵀP =
 *       V·g·Vᵀ, the orthonormal radial basis Q = P·V·g^{−1/2}; the eigenpairs (s, W) of
 *       g^{1/2}Vᵀ·M_ℓ·V·g^{1/2} are kept while |s| ≥ rtol·(the largest degree-0 |s|); degrees
 *       stop after two in a row keep nothing.
 *   <li>Harmonics: the degree-ℓ space is spanned by P_ℓ(x̂·ẑ_a) for N(d, ℓ) + oversampling
 *       random directions ẑ_a (seeded); since P_ℓ(x̂·ŷ) is its reproducing kernel, the Nyström
 *       factor of [P_ℓ(ẑ_a·ẑ_b)] gives features Y_ℓ(x̂) with Y_ℓ(x̂)ᵀY_ℓ(ŷ) = P_ℓ(x̂·ŷ) exactly.
 *   <li>U's columns are (Q·W)_q ∘ Y_ℓh, λ = s_q repeated over h.
 * </ol>
 *
 * <p><b>Rank and accuracy.</b> The rank is Σ_ℓ (kept radial eigenpairs at ℓ)·N(d, ℓ); it grows
 * with d (N(3, ℓ) = 2ℓ + 1, N(d, ℓ) ~ ℓ^{d−2}), with the data radius in lengthscale units and
 * with log(1/rtol) for smooth (analytic) kernels like the Gaussian, Cauchy and rational quadratic;
 * for kernels with a kink at r = 0 (exponential, Matérn 1/2) the Chebyshev degree grows like
 * 1/rtol and the degree limit is reached quickly ({@link HarmonicExpansion#toleranceReached()}
 * is then false). Errors: every entry carries the Chebyshev fit error (≤ rtol·κ(0)); each
 * dropped term (ℓ, q) changes K by a matrix of spectral norm ≤ |s_ℓq| < rtol·s_top (a Schur
 * product of a rank-one radial term with the unit-diagonal PSD matrix [P_ℓ(x̂_i·x̂_j)]), and
 * s_top is about ‖K‖₂. In practice the relative error of entries and of products is about rtol
 * or below for smooth kernels (measured in {@code HarmonicLowRankTest}); this is a heuristic
 * relation, not a bound proved here.
 *
 * <p><b>Cost.</b> O(N·d) to centre, O(N·m²) for PᵀP (m = D + 1), O(D⁴ + ℓ_max·m³) for the
 * radial kernels and small eigenproblems, and O(N·rank·(m + d + ℓ)) for U: linear in N. Memory:
 * U (N×rank doubles).
 *
 * <p><b>Deviations.</b> The reference code builds the separated expansion symbolically
 * (Chebyshev → monomial coefficients, Gegenbauer addition theorem, multinomials) and
 * orthonormalises monomials by pivoted Gram–Schmidt on power sums; here the radial kernels come
 * from Gauss quadrature and Chebyshev interpolation, which avoids the ill-conditioned monomial
 * basis and works for any isotropic kernel. Harmonics are spanned by random zonal functions
 * (dimension-generic) instead of explicit hyperspherical coordinates. The LAPLACE 1/r kernel is
 * rejected (it is singular at 0; use the FKT).
 */
public final class HarmonicLowRank {
  /** Relative cut on the eigenvalues of PᵀP (radial directions that the radii do not resolve). */
  private static final double GRAM_CUT = 1e-13;

  /**
   * {@link #approximate} builds its proxy at this times rtol, so that the pivots below are chosen
   * on a proxy ten times more accurate than the result must be.
   */
  static final double PROXY_FACTOR = 0.1;

  /**
   * Skeleton selection stops once the proxy's largest residual diagonal entry is at most this
   * times rtol·κ(0) (the proxy's own entry accuracy, with the proxy at 0.1·rtol). Measured: with
   * both factors 1 the result missed rtol by up to 3× on points filling a ball (the greedy pivots
   * hit the proxy's rank first); with both 0.1 it met rtol on balls, spheres and the bunny.
   */
  static final double SKELETON_PIVOT_FACTOR = 0.1;

  private final Compute compute;
  private final HarmonicLowRankOptions options;

  /** @param compute backend for the GEMMs; @param options tolerance, limits, seed. */
  public HarmonicLowRank(Compute compute, HarmonicLowRankOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Approximates K = k(X, X) for the rows of {@code points} (N×d, not modified).
   *
   * @throws InvalidArgumentException for non-finite points (naming the row), d = 0, no points,
   *     or the LAPLACE kernel
   */
  public HarmonicExpansion fit(KernelFunction kernel, Matrix points) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(points, "points");
    if (kernel.radial().kind() == RadialKernel.Kind.LAPLACE) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "HarmonicLowRank: the LAPLACE 1/r kernel is singular at r = 0 and has no low-rank Chebyshev expansion.",
          "Use the lazy kernel operator or the fast kernel transform for the Laplace kernel.");
    }
    if (points.rows() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "HarmonicLowRank: no points.", "Pass at least one point.");
    }
    Matrix x = KernelOperator.symmetric(kernel, points.toDType(DType.F64), compute).scaledTargets();  // validates, scales
    int n = x.rows();
    int d = x.cols();
    double[] centre = new double[d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        centre[t] += x.get(i, t) / n;
      }
    }
    double[] rho = new double[n];
    double radius = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int t = 0; t < d; t++) {
        double v = x.get(i, t) - centre[t];
        s += v * v;
      }
      rho[i] = Math.sqrt(s);
      radius = Math.max(radius, rho[i]);
    }
    if (radius == 0) {
      radius = 1;  // all points coincide; any radius covers them
    }
    RadialKernel kappa = kernel.radial();
    double k0 = kappa.ofSquaredDistance(0);
    double b = 2 * radius;
    double[] fit = Chebyshev.fitDegree(t -> kappa.ofSquaredDistance(b * b * t * t), options.tolerance() * k0,
        options.maxChebyshevDegree());
    int degree = (int) fit[0];
    degree += degree % 2;  // κ(b|t|) is even: its odd coefficients vanish
    boolean reached = fit[1] <= options.tolerance() * k0;
    int m = degree + 1;
    double[] nodes = Chebyshev.nodes(m, 0, radius);
    int maxL = d == 1 ? 1 : degree / 2 + 1;

    // Radial Gram matrix of the data: PᵀP with P = [L(ρ_i)].
    double[] weights = Chebyshev.barycentricWeights(m);
    double[] p = new double[n * m];
    double[] basis = new double[m];
    for (int i = 0; i < n; i++) {
      Chebyshev.lagrange(nodes, weights, rho[i], basis);
      System.arraycopy(basis, 0, p, i * m, m);
    }
    Matrix pm = Matrix.wrap(p, n, m);
    Matrix gram = compute.multiply(Transpose.T, pm, Transpose.N, pm);
    SymmetricEigen ge = SymmetricEigen.decompose(symmetrized(gram));
    double[] g = ge.values();
    int k = 0;
    while (k < m && g[k] > GRAM_CUT * g[0]) {
      k++;
    }
    Matrix gv = ge.vectors();  // vectors() copies: read it once
    Matrix toOrthonormal = Matrix.zeros(DType.F64, m, k);  // V·g^{−1/2}
    Matrix half = Matrix.zeros(DType.F64, k, m);           // g^{1/2}·Vᵀ
    for (int a = 0; a < m; a++) {
      for (int j = 0; j < k; j++) {
        double v = gv.get(a, j);
        toOrthonormal.set(a, j, v / Math.sqrt(g[j]));
        half.set(j, a, v * Math.sqrt(g[j]));
      }
    }

    double[][] radialKernels = radialKernels(kappa, nodes, d, degree, maxL);
    SplittableRandom rng = new SplittableRandom(options.seed());
    List<HarmonicExpansion.Degree> kept = new ArrayList<>();
    double top = 0;
    int rank = 0;
    int emptyRun = 0;
    for (int l = 0; l <= maxL && emptyRun < 2; l++) {
      Matrix ml = Matrix.wrap(radialKernels[l], m, m);
      Matrix s = compute.multiply(Transpose.N, compute.multiply(Transpose.N, half, Transpose.N, ml), Transpose.T, half);
      SymmetricEigen se = SymmetricEigen.decompose(symmetrized(s));
      double[] values = se.values();
      if (l == 0) {
        for (double v : values) {
          top = Math.max(top, Math.abs(v));
        }
      }
      List<Integer> keep = new ArrayList<>();
      for (int j = 0; j < values.length; j++) {
        if (Math.abs(values[j]) >= options.tolerance() * top && values[j] != 0) {
          keep.add(j);
        }
      }
      if (keep.isEmpty()) {
        emptyRun++;
        continue;
      }
      emptyRun = 0;
      long harmonics = HypersphericalLegendre.harmonicCount(d, l);
      if (rank + keep.size() * harmonics > options.maxRank()) {
        reached = false;
        break;
      }
      rank += (int) (keep.size() * harmonics);
      Matrix sv = se.vectors();
      Matrix w = Matrix.zeros(DType.F64, k, keep.size());
      double[] eig = new double[keep.size()];
      for (int q = 0; q < keep.size(); q++) {
        eig[q] = values[keep.get(q)];
        for (int j = 0; j < k; j++) {
          w.set(j, q, sv.get(j, keep.get(q)));
        }
      }
      Matrix radialCoefficients = compute.multiply(Transpose.N, toOrthonormal, Transpose.N, w);
      Matrix[] span = harmonicSpan(d, l, (int) harmonics, rng);
      kept.add(new HarmonicExpansion.Degree(l, radialCoefficients, eig, span[0], span[1]));
    }
    if (d > 1 && emptyRun < 2 && !kept.isEmpty() && kept.get(kept.size() - 1).degree() == maxL) {
      reached = false;  // terms were still significant at the last degree the Chebyshev degree allows
    }
    return new HarmonicExpansion(kernel, centre, radius, nodes, kept, degree, fit[1], reached, points, compute);
  }

  /**
   * The tolerance-driven approximation K ≈ K[:, S]·K[S, S]⁺·K[S, :] for the rows of
   * {@code points} (N×d, not modified): the harmonic proxy K̃ = U·diag(λ)·Uᵀ of {@link #fit} at
   * tolerance {@value #PROXY_FACTOR}·rtol, then
   * skeleton points S by pivoted Cholesky of the proxy (greedy on its residual diagonal, which is
   * column-pivoted QR of (U·|Λ|^{1/2})ᵀ), stopped when the largest residual diagonal entry falls to
   * {@value #SKELETON_PIVOT_FACTOR}·rtol·κ(0) (or at rank(U)), then the Nyström approximation on
   * the actual kernel columns at S ({@link KernelNystrom#onLandmarks}).
   *
   * <p>Cost: the proxy (linear in N), O(N·rank(U)·|S| + N·|S|²) for the pivoting (a column of the
   * proxy is U·(λ∘U[j, :]ᵀ)), N·|S| kernel evaluations and O(N·|S|²) for the Nyström factor: linear
   * in N. Memory O(N·(rank(U) + |S|)).
   *
   * @throws InvalidArgumentException as {@link #fit}, and for a kernel that is not positive
   *     semidefinite
   */
  public HarmonicSkeleton approximate(KernelFunction kernel, Matrix points) {
    HarmonicExpansion proxy = new HarmonicLowRank(compute, new HarmonicLowRankOptions(options.tolerance() * PROXY_FACTOR,
        options.maxChebyshevDegree(), options.maxRank(), options.seed())).fit(kernel, points);
    int[] skeleton = skeletonPoints(proxy, kernel.radial().ofSquaredDistance(0));
    KernelNystrom.Result nystrom = new KernelNystrom(compute, KernelNystromOptions.of(skeleton.length, KernelNystromOptions.Sampling.UNIFORM))
        .onLandmarks(kernel, points, skeleton);
    return new HarmonicSkeleton(proxy, nystrom);
  }

  /** The pivots of the greedy (diagonally pivoted) Cholesky of U·diag(|λ|)·Uᵀ, in pivot order. */
  private int[] skeletonPoints(HarmonicExpansion proxy, double k0) {
    Matrix u = proxy.factor();
    double[] lambda = proxy.eigenvalues();
    int n = u.rows();
    int r = u.cols();
    double[] a = new double[n * r];  // U·diag(√|λ|), row-major
    double[] diagonal = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int q = 0; q < r; q++) {
        double v = u.get(i, q) * Math.sqrt(Math.abs(lambda[q]));
        a[i * r + q] = v;
        s += v * v;
      }
      diagonal[i] = s;
    }
    double maxDiagonal = Arrays.stream(diagonal).max().orElse(0);
    if (maxDiagonal == 0) {
      return new int[] {0};  // the proxy vanishes: one point is as good as any
    }
    double pivotTolerance = Math.min(0.5, SKELETON_PIVOT_FACTOR * options.tolerance() * k0 / maxDiagonal);
    PivotedCholeskyResult chol = new PivotedCholesky(compute,
        new PivotedCholeskyOptions(Math.min(r, n), 0, pivotTolerance, PivotedCholeskyOptions.DEFAULT_BLOCK_SIZE))
        .factor(n, j -> {
          double[] column = new double[n];
          IntStream.range(0, n).parallel().forEach(i -> {
            double s = 0;
            for (int q = 0; q < r; q++) {
              s += a[i * r + q] * a[j * r + q];
            }
            column[i] = s;
          });
          return column;
        }, diagonal, DType.F64);
    return Arrays.copyOf(chol.pivots(), chol.rank());
  }

  /**
   * M_ℓ[a][b] = R_ℓ(ν_a, ν_b) for ℓ = 0..maxL on the radial nodes ν, by Gauss quadrature in
   * t = cos γ with D + 2 nodes (exact for the degree-D polynomial approximation of κ).
   */
  private static double[][] radialKernels(RadialKernel kappa, double[] nodes, int d, int degree, int maxL) {
    double[][] quad = HypersphericalLegendre.quadrature(d, degree + 2);
    double[] t = quad[0];
    double[] w = quad[1];
    int nq = t.length;
    double[][] coefficient = new double[maxL + 1][nq];  // w_k·P_ℓ(t_k) / Σ_k w_k·P_ℓ(t_k)²
    double[][] legendre = new double[nq][];
    for (int q = 0; q < nq; q++) {
      legendre[q] = HypersphericalLegendre.values(d, maxL, t[q]);
    }
    for (int l = 0; l <= maxL; l++) {
      double norm = 0;
      for (int q = 0; q < nq; q++) {
        norm += w[q] * legendre[q][l] * legendre[q][l];
      }
      for (int q = 0; q < nq; q++) {
        coefficient[l][q] = w[q] * legendre[q][l] / norm;
      }
    }
    int m = nodes.length;
    double[][] out = new double[maxL + 1][m * m];
    double[] f = new double[nq];
    for (int a = 0; a < m; a++) {
      for (int b2 = 0; b2 <= a; b2++) {
        for (int q = 0; q < nq; q++) {
          double r2 = nodes[a] * nodes[a] + nodes[b2] * nodes[b2] - 2 * nodes[a] * nodes[b2] * t[q];
          f[q] = kappa.ofSquaredDistance(Math.max(0, r2));
        }
        for (int l = 0; l <= maxL; l++) {
          double s = 0;
          for (int q = 0; q < nq; q++) {
            s += coefficient[l][q] * f[q];
          }
          out[l][a * m + b2] = s;
          out[l][b2 * m + a] = s;
        }
      }
    }
    return out;
  }

  /**
   * Directions ẑ (rows) and the map H with Y(x̂) = [P_ℓ(x̂·ẑ_a)]_a·H, Y(x̂)ᵀY(ŷ) = P_ℓ(x̂·ŷ):
   * the Nyström factor of the zonal kernel, exact because it has rank N(d, ℓ).
   */
  private static Matrix[] harmonicSpan(int d, int l, int harmonics, SplittableRandom rng) {
    int landmarks = harmonics + Math.max(4, harmonics / 2);
    for (int attempt = 0; attempt < 4; attempt++, landmarks *= 2) {
      Matrix z = Matrix.zeros(DType.F64, landmarks, d);
      for (int a = 0; a < landmarks; a++) {
        double norm = 0;
        for (int t = 0; t < d; t++) {
          double v = rng.nextGaussian();
          z.set(a, t, v);
          norm += v * v;
        }
        for (int t = 0; t < d; t++) {
          z.set(a, t, z.get(a, t) / Math.sqrt(norm));
        }
      }
      Matrix zonal = Matrix.zeros(DType.F64, landmarks, landmarks);
      for (int a = 0; a < landmarks; a++) {
        for (int c = 0; c <= a; c++) {
          double dot = 0;
          for (int t = 0; t < d; t++) {
            dot += z.get(a, t) * z.get(c, t);
          }
          double v = HypersphericalLegendre.values(d, l, Math.max(-1, Math.min(1, dot)))[l];
          zonal.set(a, c, v);
          zonal.set(c, a, v);
        }
      }
      SymmetricEigen e = SymmetricEigen.decompose(zonal);
      double[] sigma = e.values();
      if (sigma[harmonics - 1] <= 1e-10 * sigma[0]) {
        continue;  // the random directions did not span the harmonic space well: draw more
      }
      Matrix ev = e.vectors();
      Matrix map = Matrix.zeros(DType.F64, landmarks, harmonics);
      for (int a = 0; a < landmarks; a++) {
        for (int h = 0; h < harmonics; h++) {
          map.set(a, h, ev.get(a, h) / Math.sqrt(sigma[h]));
        }
      }
      return new Matrix[] {z, map};
    }
    throw new structura.algorithms.linalg.NumericalFailureException(
        "HarmonicLowRank: random directions failed to span the degree-" + l + " harmonics in dimension " + d + ".",
        "Try another seed or a larger tolerance.");
  }

  private static Matrix symmetrized(Matrix a) {
    int n = a.rows();
    Matrix out = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out.set(i, j, 0.5 * (a.get(i, j) + a.get(j, i)));
      }
    }
    return out;
  }
}
