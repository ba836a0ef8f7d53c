package structura.algorithms.structured;

/**
 * How {@link Linalg} computes a function of an operator. Structural rules (Kronecker, block
 * diagonal, Woodbury, …) apply under every algorithm, as in CoLA: the algorithm chooses what
 * happens at the unstructured leaves, which the structural rules reach through the factors.
 * To force the dense route on a structured operator, hide its structure with
 * {@code Operators.opaque(a)}.
 */
public sealed interface Algorithm permits Algorithm.Auto, Algorithm.Cholesky, Algorithm.Lu,
    Algorithm.Eigh, Algorithm.Eig {

  /**
   * Structure first; an unstructured operator (or leaf) goes to a dense method: Cholesky when it
   * is tagged PSD, LU otherwise, for inverse and logdet; the symmetric eigensolver for eigh and
   * matrix functions; the general eigensolver for eig.
   *
   * <p>{@code denseLimit} is the order n up to which the dense route is the intended one
   * (CoLA's {@code numel ≤ 1e6}, i.e. n ≤ 1000). Above it CoLA switches to CG, GMRES, Lanczos or
   * Arnoldi. Those iterative methods are not wired into this facade yet: <b>above the limit an
   * unstructured operator still takes the dense route</b> (O(n³) time, O(n²) memory). The limit
   * is recorded now so that results keep their meaning when the iterative rules join the table.
   *
   * @param denseLimit largest n for the dense route, at least 1; default 1000
   */
  record Auto(int denseLimit) implements Algorithm {
    /** The default threshold, CoLA's n ≤ 1000. */
    public static final int DEFAULT_DENSE_LIMIT = 1000;

    public Auto {
      if (denseLimit < 1) {
        throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
            "Auto: denseLimit = " + denseLimit + " must be at least 1.", "Pass a positive size, e.g. 1000.");
      }
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
}
