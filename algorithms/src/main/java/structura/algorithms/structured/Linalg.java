package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.DIAGONAL;
import static structura.algorithms.structured.LinalgFunction.EIG;
import static structura.algorithms.structured.LinalgFunction.EIGH;
import static structura.algorithms.structured.LinalgFunction.INVERSE;
import static structura.algorithms.structured.LinalgFunction.LOGDET;
import static structura.algorithms.structured.LinalgFunction.MATRIX_FUNCTION;
import static structura.algorithms.structured.LinalgFunction.TRACE;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Linear algebra on structured operators (CoLA for Java): solve, inverse, logdet, eigh, eig,
 * sqrt, inverseSqrt, f(A), trace and diagonal, each dispatched on the operator's structure by
 * the visible rule table {@link DispatchTable} (listed in {@code docs/structured.md}).
 *
 * <p><b>Exact algebra first.</b> A Kronecker product is solved, factored and decomposed through
 * its factors (log det(A⊗B) = m·log det A + n·log det B for A n×n, B m×m), a block-diagonal
 * operator block by block in parallel, a low-rank update of an easily inverted D through the
 * Woodbury identity and the determinant lemma, a product factor by factor; tags choose
 * Cholesky (PSD) or the transpose (orthogonal). Structured operators are never densified on a
 * structured path: only unstructured leaves (a dense factor, an opaque operator) go to a dense
 * O(n³) method. Which rule ran can be asked with {@link #explain}.
 *
 * <p><b>Algorithms.</b> Every function has an overload taking an {@link Algorithm}; the default
 * is {@link Algorithm.Auto}: structure first, then, for unstructured leaves of order
 * n ≤ {@code denseLimit} (1000, CoLA's threshold), dense methods (Cholesky if tagged PSD, else LU;
 * symmetric or general EJML eigensolvers). Above the threshold, solve and inverse are iterative:
 * conjugate gradients for leaves tagged PSD (Jacobi-preconditioned when the diagonal is
 * structural), GMRES for the rest, to a relative residual of 1e-6 by default; the inverse is then
 * an operator that solves on each apply. The k extreme eigenpairs
 * ({@link #eigh(LinearOperator, int, Which)}) of an unstructured operator above the threshold come
 * from the Lanczos eigensolver, with their residuals. logdet, the full eigh, eig, f(A), trace and
 * diagonal stay exact (dense, O(n³) time, O(n²) memory, for unstructured leaves above the
 * threshold too): the stochastic estimators do not give exact values. {@link Algorithm.Cg},
 * {@link Algorithm.Gmres} and {@link Algorithm.Lanczos} force the iterative methods at any size.
 *
 * <p><b>Precision.</b> F32 operators are factored in double and results returned in F32.
 *
 * <p><b>Errors</b> ({@code docs/errors.md}), each naming the argument: {@code STRUCTURA-A002} a
 * non-square operator or a right-hand side of the wrong height; {@code STRUCTURA-A003} mixed
 * dtypes; {@code STRUCTURA-A006} NaN or Inf in the right-hand side, or a non-symmetric operator
 * given to eigh, sqrt or f(A); {@code STRUCTURA-N001} a singular operator (a zero diagonal
 * entry, a singular factor of a Kronecker product, a vanishing LU pivot) or an operator tagged
 * PSD that is not (the message names the Cholesky pivot that broke down); {@code STRUCTURA-N004}
 * ({@link structura.algorithms.iterative.NotConvergedException}, carrying the partial solution
 * and its residuals) when an iterative solve misses its tolerance within its iteration cap, or
 * its subclass {@link structura.algorithms.iterative.EigenpairsNotConvergedException} when the
 * Lanczos eigensolver misses: an unconverged answer is never returned; {@code STRUCTURA-N002}
 * when the Lanczos route's randomized symmetry test fails. Nothing is modified.
 *
 * <p><b>Source.</b> Potapczynski, Finzi, Pleiss, Wilson, "CoLA: Exploiting Compositional
 * Structure for Automatic and Efficient Numerical Linear Algebra", NeurIPS 2023, and the
 * dispatch rules of wilson-labs/cola @4810da7 ({@code cola/linalg}). <b>Deviations:</b> adds
 * eigendecompositions of Kronecker, Kronecker-sum and block-diagonal operators (promised in the
 * paper, absent from the code), Woodbury and the determinant lemma (CoLA's open request #48),
 * log det of a scaled operator multiplies log|α| by n (CoLA's code omits n), the permutation
 * determinant has its parity sign (a TODO in CoLA). Above the threshold, as in CoLA's
 * {@code inv}, PSD leaves get CG and others GMRES, each as an operator that solves on apply
 * (CoLA's {@code IterativeOperatorWInfo}); unlike CoLA, non-convergence throws instead of
 * returning the last iterate with an info record, a Jacobi preconditioner is added when the
 * diagonal is structural, and logdet, the full eigh and the matrix functions stay dense rather
 * than switching to Lanczos, Arnoldi or stochastic quadrature (only the partial eigh switches, to
 * a Lanczos eigensolver that, unlike CoLA's {@code eigh} with {@code Lanczos}, tests each Ritz
 * pair's residual and refuses unconverged ones).
 */
public final class Linalg {
  private Linalg() {}

  /**
   * X = A⁻¹·B for square A (n×n) and B (n×k), through {@link #inverse}. Not modified: A, B.
   *
   * @throws structura.algorithms.iterative.NotConvergedException ({@code STRUCTURA-N004}) when the
   *     route is iterative (n above {@code Auto}'s dense limit) and misses its tolerance; the
   *     exception carries the partial solution and its residuals
   */
  public static Matrix solve(LinearOperator a, Matrix b) {
    return solve(a, b, new Algorithm.Auto());
  }

  /** {@link #solve(LinearOperator, Matrix)} with the dense base case chosen by {@code algorithm}. */
  public static Matrix solve(LinearOperator a, Matrix b, Algorithm algorithm) {
    square("solve", a);
    Objects.requireNonNull(b, "b");
    if (b.rows() != a.rows()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "Linalg.solve: argument 'b' has " + b.rows() + " rows but 'a' is " + a.rows() + "x" + a.cols() + ".",
          "Pass the right-hand sides as the columns of an n x k matrix.");
    }
    if (b.dtype() != a.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "Linalg.solve: argument 'b' is " + b.dtype() + " but 'a' is " + a.dtype() + ".",
          "Convert b with b.toDType(" + a.dtype() + ").");
    }
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        if (!Double.isFinite(b.get(i, j))) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "Linalg.solve: argument 'b' has a non-finite value " + b.get(i, j) + " at (" + i + ", " + j + ").",
              "Remove or replace NaN and infinite entries of the right-hand side.");
        }
      }
    }
    return inverse(a, algorithm).apply(b);
  }

  /**
   * A⁻¹ as an operator, structured where A is (the inverse of A⊗B is A⁻¹⊗B⁻¹, of a dense leaf
   * its Cholesky or LU factors applied by substitution). Factorizations happen now; applies are
   * O(n²k) for dense leaves.
   */
  public static LinearOperator inverse(LinearOperator a) {
    return inverse(a, new Algorithm.Auto());
  }

  /** {@link #inverse(LinearOperator)} with the dense base case chosen by {@code algorithm}. */
  public static LinearOperator inverse(LinearOperator a, Algorithm algorithm) {
    return run(INVERSE, "inverse", a, algorithm, null);
  }

  /** sign and log|det A| of square A; sign 0 and −∞ when A is singular. */
  public static LogDeterminant logdet(LinearOperator a) {
    return logdet(a, new Algorithm.Auto());
  }

  /** {@link #logdet(LinearOperator)} with the dense base case chosen by {@code algorithm}. */
  public static LogDeterminant logdet(LinearOperator a, Algorithm algorithm) {
    return run(LOGDET, "logdet", a, algorithm, null);
  }

  /** All eigenpairs of symmetric A, eigenvalues ascending, eigenvectors as a (structured) operator. */
  public static Eigendecomposition eigh(LinearOperator a) {
    return eigh(a, new Algorithm.Auto());
  }

  /** {@link #eigh(LinearOperator)} with the dense base case chosen by {@code algorithm}. */
  public static Eigendecomposition eigh(LinearOperator a, Algorithm algorithm) {
    return run(EIGH, "eigh", a, algorithm, null);
  }

  /** The k algebraically smallest or largest eigenpairs of symmetric A, ascending. */
  public static Eigendecomposition eigh(LinearOperator a, int k, Which which) {
    return eigh(a, k, which, new Algorithm.Auto());
  }

  /**
   * {@link #eigh(LinearOperator, int, Which)} with {@code algorithm}, through the
   * {@code eigh(k)} rows of the dispatch table: an operator whose eigh starts with a structural
   * rule (Kronecker, block-diagonal, diagonal, …) is decomposed fully through its structure and
   * the k pairs selected; under {@link Algorithm.Auto} an unstructured operator of order
   * n ≤ denseLimit is decomposed densely and selected, one above it goes to the Lanczos
   * eigensolver (k ≪ n; m products with one vector, not O(n³)); {@link Algorithm.Lanczos} runs the
   * Lanczos eigensolver on any operator. Iterative results carry ‖A·v − λ·v‖ per pair in
   * {@link Eigendecomposition#residualNorms()}.
   *
   * @throws structura.algorithms.iterative.EigenpairsNotConvergedException ({@code STRUCTURA-N004})
   *     when the Lanczos route misses its tolerance; it carries the Ritz pairs and their residuals
   */
  public static Eigendecomposition eigh(LinearOperator a, int k, Which which, Algorithm algorithm) {
    square("eigh", a);
    Objects.requireNonNull(algorithm, "algorithm");
    selection("eigh", a.rows(), k, which);
    DispatchTable table = DispatchTable.standard();
    return table.run(LinalgFunction.EIGH_PARTIAL, new Call(a, algorithm, null, table, k, which));
  }

  /** All eigenvalues of square A (complex for non-symmetric A), by increasing modulus. */
  public static Eigenvalues eig(LinearOperator a) {
    return eig(a, new Algorithm.Auto());
  }

  /** {@link #eig(LinearOperator)} with the dense base case chosen by {@code algorithm}. */
  public static Eigenvalues eig(LinearOperator a, Algorithm algorithm) {
    return run(EIG, "eig", a, algorithm, null);
  }

  /** The k eigenvalues of smallest or largest modulus, by increasing modulus. */
  public static Eigenvalues eig(LinearOperator a, int k, Which which) {
    return eig(a, k, which, new Algorithm.Auto());
  }

  /** {@link #eig(LinearOperator, int, Which)} with {@code algorithm}. */
  public static Eigenvalues eig(LinearOperator a, int k, Which which, Algorithm algorithm) {
    Eigenvalues all = eig(a, algorithm);
    int[] idx = selection("eig", a.rows(), k, which);
    double[] re = new double[k];
    double[] im = new double[k];
    for (int j = 0; j < k; j++) {
      re[j] = all.real()[idx[j]];
      im[j] = all.imaginary()[idx[j]];
    }
    return new Eigenvalues(re, im);
  }

  /** A^{1/2} of symmetric PSD A (eigenvalues within rounding of 0 count as 0). */
  public static LinearOperator sqrt(LinearOperator a) {
    return sqrt(a, new Algorithm.Auto());
  }

  /** {@link #sqrt(LinearOperator)} with {@code algorithm}. */
  public static LinearOperator sqrt(LinearOperator a, Algorithm algorithm) {
    return run(MATRIX_FUNCTION, "sqrt", a, algorithm, Math::sqrt);
  }

  /** A^{-1/2} of symmetric positive definite A. */
  public static LinearOperator inverseSqrt(LinearOperator a) {
    return inverseSqrt(a, new Algorithm.Auto());
  }

  /** {@link #inverseSqrt(LinearOperator)} with {@code algorithm}. */
  public static LinearOperator inverseSqrt(LinearOperator a, Algorithm algorithm) {
    return run(MATRIX_FUNCTION, "inverseSqrt", a, algorithm, x -> 1 / Math.sqrt(x));
  }

  /** f(A) = V·diag(f(λ))·Vᵀ for symmetric A (exp: {@code Math::exp}, log: {@code Math::log}, …). */
  public static LinearOperator apply(DoubleUnaryOperator f, LinearOperator a) {
    return apply(f, a, new Algorithm.Auto());
  }

  /** {@link #apply(DoubleUnaryOperator, LinearOperator)} with {@code algorithm}. */
  public static LinearOperator apply(DoubleUnaryOperator f, LinearOperator a, Algorithm algorithm) {
    return run(MATRIX_FUNCTION, "apply", a, algorithm, Objects.requireNonNull(f, "f"));
  }

  /** tr A = Σ a_ii of square A. */
  public static double trace(LinearOperator a) {
    return trace(a, new Algorithm.Auto());
  }

  /** {@link #trace(LinearOperator)}; the algorithm only matters for future stochastic estimators. */
  public static double trace(LinearOperator a, Algorithm algorithm) {
    return run(TRACE, "trace", a, algorithm, null);
  }

  /** (a_11, …, a_nn) of square A. */
  public static double[] diagonal(LinearOperator a) {
    return diagonal(a, new Algorithm.Auto());
  }

  /** {@link #diagonal(LinearOperator)}; the algorithm only matters for future stochastic estimators. */
  public static double[] diagonal(LinearOperator a, Algorithm algorithm) {
    return run(DIAGONAL, "diagonal", a, algorithm, null);
  }

  /** The rule that {@code function} of {@code a} under {@code algorithm} runs first (the top of the recursion). */
  public static Rule<?> explain(LinalgFunction<?> function, LinearOperator a, Algorithm algorithm) {
    return DispatchTable.standard().select(function, new Call(a, algorithm, x -> x, DispatchTable.standard()));
  }

  private static <R> R run(LinalgFunction<R> function, String method, LinearOperator a, Algorithm algorithm,
      DoubleUnaryOperator f) {
    square(method, a);
    Objects.requireNonNull(algorithm, "algorithm");
    return DispatchTable.standard().run(function, new Call(a, algorithm, f, DispatchTable.standard()));
  }

  private static void square(String method, LinearOperator a) {
    Objects.requireNonNull(a, "a");
    if (a.rows() != a.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "Linalg." + method + ": argument 'a' must be square but is " + a.rows() + "x" + a.cols() + ".",
          "Pass a square operator.");
    }
  }

  private static int[] selection(String method, int n, int k, Which which) {
    Objects.requireNonNull(which, "which");
    if (k < 1 || k > n) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "Linalg." + method + ": k = " + k + " is outside [1, " + n + "].", "Ask for between 1 and n eigenvalues.");
    }
    int[] idx = new int[k];
    Arrays.setAll(idx, j -> which == Which.SMALLEST ? j : n - k + j);
    return idx;
  }

}
