package structura.algorithms.structured;

import java.util.Objects;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.GmresOptions;
import structura.algorithms.iterative.LanczosEigensolverOptions;

/**
 * How {@link Linalg} computes a function of an operator. Structural rules (Kronecker, block
 * diagonal, Woodbury, …) apply under every algorithm, as in CoLA: the algorithm chooses what
 * happens at the unstructured leaves, which the structural rules reach through the factors.
 * To force the dense route on a structured operator, hide its structure with
 * {@code Operators.opaque(a)}.
 */
public sealed interface Algorithm permits Algorithm.Auto, Algorithm.Cholesky, Algorithm.Lu,
    Algorithm.Eigh, Algorithm.Eig, Algorithm.Cg, Algorithm.Gmres, Algorithm.Lanczos {

  /**
   * Structure first; an unstructured operator (or leaf) of order n ≤ {@code denseLimit} then goes
   * to a dense method: Cholesky when it is tagged PSD, LU otherwise, for inverse, solve and logdet;
   * the symmetric eigensolver for eigh and matrix functions; the general eigensolver for eig.
   *
   * <p>Above {@code denseLimit} (CoLA's {@code numel ≤ 1e6}, i.e. n ≤ 1000), inverse and solve
   * become iterative, as in CoLA: an operator tagged PSD is solved by {@code ConjugateGradient}
   * with {@code cg} (plus a Jacobi preconditioner when {@code cg} has none and the operator's
   * diagonal comes from a structural rule, i.e. without n products), any other by {@code Gmres}
   * with {@code gmres}. The inverse is then an operator that runs the solver on each apply (k
   * right-hand sides per apply, one block product per iteration); an apply that misses the
   * tolerance throws {@code NotConvergedException} ({@code STRUCTURA-N004}) carrying the partial
   * solution and residuals. Symmetric operators not tagged PSD go to GMRES: CG needs definiteness.
   *
   * <p>The k extreme eigenpairs ({@code Linalg.eigh(a, k, which)}) of an unstructured operator
   * above the limit come from {@code LanczosEigensolver} with {@code lanczos} (see {@link Lanczos});
   * a miss throws {@code EigenpairsNotConvergedException} ({@code STRUCTURA-N004}).
   *
   * <p>logdet, the full eigh, eig, f(A), trace and diagonal stay exact above the limit (dense or
   * structural, O(n³) time and O(n²) memory for an unstructured operator): the facade returns
   * exact values, and the stochastic estimators (SLQ, Hutchinson) do not; call
   * {@code StochasticLanczosQuadrature} or {@code Hutchinson} directly for those.
   *
   * @param denseLimit largest n for the dense route, at least 1; default 1000
   * @param cg options of CG above the limit; default {@code ConjugateGradientOptions.defaults()}
   *     (relative tolerance 1e-6, 1000 iterations)
   * @param gmres options of GMRES above the limit; default {@code GmresOptions.defaults()}
   *     (relative tolerance 1e-6, GMRES(50), 1000 steps)
   * @param lanczos options of the Lanczos eigensolver above the limit; default
   *     {@code LanczosEigensolverOptions.defaults()} (residual 1e-8·‖A‖, Krylov dimension ≤ 300)
   */
  record Auto(int denseLimit, ConjugateGradientOptions cg, GmresOptions gmres, LanczosEigensolverOptions lanczos)
      implements Algorithm {
    /** The default threshold, CoLA's n ≤ 1000. */
    public static final int DEFAULT_DENSE_LIMIT = 1000;

    public Auto {
      if (denseLimit < 1) {
        throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
            "Auto: denseLimit = " + denseLimit + " must be at least 1.", "Pass a positive size, e.g. 1000.");
      }
      Objects.requireNonNull(cg, "cg");
      Objects.requireNonNull(gmres, "gmres");
      Objects.requireNonNull(lanczos, "lanczos");
    }

    /** {@code Auto} with the default Lanczos options. */
    public Auto(int denseLimit, ConjugateGradientOptions cg, GmresOptions gmres) {
      this(denseLimit, cg, gmres, LanczosEigensolverOptions.defaults());
    }

    /** {@code Auto(denseLimit)} with the default CG and GMRES options. */
    public Auto(int denseLimit) {
      this(denseLimit, ConjugateGradientOptions.defaults(), GmresOptions.defaults());
    }

    /** {@code Auto(1000)}. */
    public Auto() {
      this(DEFAULT_DENSE_LIMIT);
    }
  }

  /**
   * Dense Cholesky A = L·Lᵀ ({@code structura.algorithms.linalg.Cholesky}, n³/3 flops) for
   * inverse, solve and logdet; fails with {@code STRUCTURA-N001} naming the pivot when A is not
   * positive definite.
   */
  record Cholesky() implements Algorithm {}

  /** Dense LU with partial pivoting through EJML (2n³/3 flops) for inverse, solve and logdet. */
  record Lu() implements Algorithm {}

  /**
   * Dense symmetric eigendecomposition (Householder tridiagonalization and implicit QR through
   * EJML, about 9n³ flops) for eigh, sqrt, inverseSqrt and matrix functions.
   */
  record Eigh() implements Algorithm {}

  /** Dense general eigenvalues (Hessenberg reduction and shifted QR through EJML) for eig. */
  record Eig() implements Algorithm {}

  /**
   * Preconditioned conjugate gradients ({@code structura.algorithms.iterative.ConjugateGradient})
   * at the unstructured leaves of inverse and solve, at any size, for symmetric positive definite
   * operators: per iteration one product with the n×k block of right-hand sides. The inverse is an
   * operator that solves on each apply; an apply that misses {@code options.tolerance()} within
   * {@code options.maxIterations()} throws {@code NotConvergedException} ({@code STRUCTURA-N004})
   * with the partial solution. The options are used as given (no preconditioner is added).
   *
   * @param options CG options; default {@code ConjugateGradientOptions.defaults()}
   */
  record Cg(ConjugateGradientOptions options) implements Algorithm {
    public Cg {
      Objects.requireNonNull(options, "options");
    }

    /** CG with {@code ConjugateGradientOptions.defaults()}. */
    public Cg() {
      this(ConjugateGradientOptions.defaults());
    }
  }

  /**
   * Restarted GMRES ({@code structura.algorithms.iterative.Gmres}) at the unstructured leaves of
   * inverse and solve, at any size, for any non-singular operator: per Arnoldi step one product and
   * O(j·n) orthogonalization work. Non-convergence throws {@code NotConvergedException}
   * ({@code STRUCTURA-N004}) with the partial solution, as for {@link Cg}.
   *
   * @param options GMRES options; default {@code GmresOptions.defaults()}
   */
  record Gmres(GmresOptions options) implements Algorithm {
    public Gmres {
      Objects.requireNonNull(options, "options");
    }

    /** GMRES with {@code GmresOptions.defaults()}. */
    public Gmres() {
      this(GmresOptions.defaults());
    }
  }

  /**
   * The Lanczos eigensolver ({@code structura.algorithms.iterative.LanczosEigensolver}: full
   * re-orthogonalization, a seeded Gaussian start vector, stopped when the k wanted Ritz pairs
   * have ‖A·v − θ·v‖ ≤ tolerance·‖A‖) for {@code Linalg.eigh(a, k, which)}, at any size and on the
   * whole operator, structured or not: m products with one vector (m the Krylov dimension
   * reached), O(m²·n) re-orthogonalization, n·m doubles for the basis. The residuals are returned
   * in {@link Eigendecomposition#residualNorms()}; a miss within {@code options.maxIterations()}
   * throws {@code EigenpairsNotConvergedException} ({@code STRUCTURA-N004}) carrying the Ritz pairs
   * reached. Computes no other function (the full eigh, inverse and the rest need another
   * algorithm).
   *
   * @param options eigensolver options; default {@code LanczosEigensolverOptions.defaults()}
   */
  record Lanczos(LanczosEigensolverOptions options) implements Algorithm {
    public Lanczos {
      Objects.requireNonNull(options, "options");
    }

    /** Lanczos with {@code LanczosEigensolverOptions.defaults()}. */
    public Lanczos() {
      this(LanczosEigensolverOptions.defaults());
    }
  }
}
