package structura.api.operator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Builds and composes linear operators. Composition simplifies where algebra allows:
 * <ul>
 *   <li>products: I·A = A·I = A; diag(d)·diag(e) = diag(d∘e); (A⊗B)(C⊗D) = AC⊗BD when the
 *       factor shapes agree; block-diagonal times block-diagonal with matching partitions is
 *       block-diagonal; scalars move out (the rule table is {@code CompositionRules});</li>
 *   <li>transposes: (Aᵀ)ᵀ = A; symmetric operators, diagonals and identities are their own
 *       transpose; (A⊗B)ᵀ = Aᵀ⊗Bᵀ; (AB)ᵀ = BᵀAᵀ; (UsVᵀ)ᵀ = VsUᵀ; selections and scatters swap;</li>
 *   <li>sums flatten and merge diagonal terms; α(βA) = (αβ)A; 1·A = A.</li>
 * </ul>
 * Nothing is evaluated eagerly: products of dense operators stay lazy products. Every method
 * checks shapes and dtypes and throws {@link InvalidArgumentException} with
 * {@code STRUCTURA-A002}/{@code A003} on a mismatch.
 */
public final class Operators {
  private Operators() {}

  /**
   * The matrix as an operator whose GEMMs run on the plain-Java reference backend
   * ({@link Compute#reference()}), chosen by name: prefer {@link #dense(Matrix, Compute)} with the
   * backend in use. The matrix is not copied.
   */
  public static LinearOperator denseOnReference(Matrix matrix) {
    return dense(matrix, Compute.reference());
  }

  /** The matrix as an operator whose GEMMs run on {@code compute}. The matrix is not copied. */
  public static LinearOperator dense(Matrix matrix, Compute compute) {
    return new DenseOperator(matrix, compute);
  }

  /** diag(values) in {@code dtype} (F32 values are rounded to float). */
  public static LinearOperator diagonal(DType dtype, double... values) {
    Objects.requireNonNull(dtype, "dtype");
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "diagonal entry " + v + " is not finite.", "Pass finite diagonal values.");
      }
    }
    return new DiagonalOperator(values, dtype);
  }

  /** The n×n identity. */
  public static LinearOperator identity(DType dtype, int n) {
    if (n < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "identity size " + n + " is negative.", "Pass n >= 0.");
    }
    return new IdentityOperator(n, Objects.requireNonNull(dtype, "dtype"));
  }

  /** alpha·A, simplified: 1·A = A, α(βA) = (αβ)A, α·diag(d) = diag(αd), α·I = diag(α). */
  public static LinearOperator scale(double alpha, LinearOperator a) {
    Objects.requireNonNull(a, "a");
    if (alpha == 1) {
      return a;
    }
    if (a instanceof ScaledOperator s) {
      return scale(alpha * s.alpha(), s.inner());
    }
    if (a instanceof DiagonalOperator d) {
      double[] v = d.diagonal();
      for (int i = 0; i < v.length; i++) {
        v[i] *= alpha;
      }
      return diagonal(d.dtype(), v);
    }
    if (a instanceof IdentityOperator) {
      double[] v = new double[a.rows()];
      Arrays.fill(v, alpha);
      return diagonal(a.dtype(), v);
    }
    return new ScaledOperator(alpha, a);
  }

  /** A₁ + … + A_t (t ≥ 1), all of one shape and dtype; nested sums flatten and diagonals merge. */
  public static LinearOperator sum(LinearOperator... terms) {
    requireSome("sum", terms);
    List<LinearOperator> flat = new ArrayList<>();
    for (LinearOperator t : terms) {
      Objects.requireNonNull(t, "term");
      sameDType("sum", terms[0], t);
      if (t.rows() != terms[0].rows() || t.cols() != terms[0].cols()) {
        throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
            "sum: a term is " + t.rows() + "x" + t.cols() + " but the first is " + terms[0].rows() + "x" + terms[0].cols() + ".",
            "Add operators of one shape.");
      }
      if (t instanceof SumOperator s) {
        flat.addAll(s.terms());
      } else {
        flat.add(t);
      }
    }
    double[] diag = null;
    List<LinearOperator> rest = new ArrayList<>();
    for (LinearOperator t : flat) {
      if (t instanceof DiagonalOperator || t instanceof IdentityOperator) {
        if (diag == null) {
          diag = new double[t.rows()];
        }
        for (int i = 0; i < diag.length; i++) {
          diag[i] += t instanceof DiagonalOperator d ? d.entry(i) : 1.0;
        }
      } else {
        rest.add(t);
      }
    }
    if (diag != null) {
      rest.add(diagonal(terms[0].dtype(), diag));
    }
    return rest.size() == 1 ? rest.get(0) : new SumOperator(rest);
  }

  /** A₁·A₂·…·A_t (t ≥ 1), applied right to left; simplified pairwise by the rule table. */
  public static LinearOperator product(LinearOperator... factors) {
    requireSome("product", factors);
    LinearOperator result = Objects.requireNonNull(factors[0], "factor");
    for (int i = 1; i < factors.length; i++) {
      LinearOperator next = Objects.requireNonNull(factors[i], "factor");
      sameDType("product", result, next);
      if (result.cols() != next.rows()) {
        throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
            "product: factor " + (i - 1) + " has " + result.cols() + " columns but factor " + i + " has " + next.rows() + " rows.",
            "Adjacent factors must agree in their inner dimension.");
      }
      result = multiply(result, next);
    }
    return result;
  }

  private static LinearOperator multiply(LinearOperator a, LinearOperator b) {
    LinearOperator simplified = CompositionRules.simplifyProduct(a, b);
    if (simplified != null) {
      return simplified;
    }
    List<LinearOperator> factors = new ArrayList<>();
    if (a instanceof ProductOperator p) {
      factors.addAll(p.factors());
    } else {
      factors.add(a);
    }
    if (b instanceof ProductOperator p) {
      factors.addAll(p.factors());
    } else {
      factors.add(b);
    }
    return new ProductOperator(factors);
  }

  /** Aᵀ, simplified by the transpose rules listed on this class. */
  public static LinearOperator transpose(LinearOperator a) {
    Objects.requireNonNull(a, "a");
    if (a instanceof TransposedOperator t) {
      return t.inner();
    }
    if (a instanceof IdentityOperator || a instanceof DiagonalOperator) {
      return a;
    }
    if (a instanceof KroneckerOperator k) {
      return kronecker(k.left().transpose(), k.right().transpose());
    }
    if (a instanceof BlockDiagonalOperator b) {
      return blockDiagonal(b.blocks().stream().map(LinearOperator::transpose).toArray(LinearOperator[]::new));
    }
    if (a instanceof ScaledOperator s) {
      return scale(s.alpha(), s.inner().transpose());
    }
    if (a instanceof SumOperator s) {
      return sum(s.terms().stream().map(LinearOperator::transpose).toArray(LinearOperator[]::new));
    }
    if (a instanceof ProductOperator p) {
      List<LinearOperator> f = p.factors();
      LinearOperator[] reversed = new LinearOperator[f.size()];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = f.get(f.size() - 1 - i).transpose();
      }
      return product(reversed);
    }
    if (a instanceof LowRankOperator l) {
      return new LowRankOperator(l.v(), l.s(), l.u(), l.compute());
    }
    if (a instanceof SelectionOperator s) {
      return new ScatterOperator(s.indices(), s.cols(), s.dtype());
    }
    if (a instanceof ScatterOperator s) {
      return new SelectionOperator(s.indices(), s.rows(), s.dtype());
    }
    if (a instanceof PermutationOperator || a instanceof TriangularOperator || a instanceof KroneckerSumOperator) {
      return a.transpose(); // these override transpose(): inverse permutation, opposite triangle, A'⊕B'
    }
    if (!(a instanceof OpaqueOperator) && a.is(Structure.SYMMETRIC)) {
      return a;
    }
    return new TransposedOperator(a);
  }

  /** A ⊗ B, applied through its factors (see {@link KroneckerOperator}). */
  public static LinearOperator kronecker(LinearOperator a, LinearOperator b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    sameDType("kronecker", a, b);
    Math.multiplyExact(a.rows(), b.rows());
    Math.multiplyExact(a.cols(), b.cols());
    return new KroneckerOperator(a, b);
  }

  /** diag(A₁, …, A_t) (t ≥ 1); blocks may be rectangular. */
  public static LinearOperator blockDiagonal(LinearOperator... blocks) {
    requireSome("blockDiagonal", blocks);
    for (LinearOperator b : blocks) {
      sameDType("blockDiagonal", blocks[0], Objects.requireNonNull(b, "block"));
    }
    return blocks.length == 1 ? blocks[0] : new BlockDiagonalOperator(List.of(blocks));
  }

  /**
   * U·diag(s)·Vᵀ with GEMMs on the plain-Java reference backend ({@link Compute#reference()}),
   * chosen by name: prefer {@link #lowRank(Matrix, double[], Matrix, Compute)} with the backend in use.
   */
  public static LinearOperator lowRankOnReference(Matrix u, double[] s, Matrix v) {
    return lowRank(u, s, v, Compute.reference());
  }

  /** U·diag(s)·Vᵀ (U m×r, s length r, V n×r) with GEMMs on {@code compute}. Factors are not copied. */
  public static LinearOperator lowRank(Matrix u, double[] s, Matrix v, Compute compute) {
    Objects.requireNonNull(u, "u");
    Objects.requireNonNull(s, "s");
    Objects.requireNonNull(v, "v");
    if (u.cols() != s.length || v.cols() != s.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "lowRank: U has " + u.cols() + " columns, s has " + s.length + " entries and V has " + v.cols() + " columns.",
          "U (m x r), s (r) and V (n x r) must agree in r.");
    }
    if (u.dtype() != v.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "lowRank: U is " + u.dtype() + " and V is " + v.dtype() + ".", "Use one dtype for both factors.");
    }
    return new LowRankOperator(u, s, v, compute);
  }

  /** Row selection: (S·x)_i = x_{indices[i]}, an indices.length × n operator. */
  public static LinearOperator selection(DType dtype, int[] indices, int n) {
    checkIndices(indices, n);
    return new SelectionOperator(indices, n, dtype);
  }

  /** Scatter (transpose of a selection): an n × indices.length operator adding x_i into row indices[i]. */
  public static LinearOperator scatter(DType dtype, int[] indices, int n) {
    checkIndices(indices, n);
    return new ScatterOperator(indices, n, dtype);
  }

  /**
   * {@code a} with structure declared by the caller (PSD implies symmetric). The declaration is
   * trusted: algorithms dispatch on it.
   */
  public static LinearOperator tagged(LinearOperator a, Structure... structure) {
    Objects.requireNonNull(a, "a");
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    s.addAll(Arrays.asList(structure));
    if (!s.isEmpty() && a.rows() != a.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "tagged: structure " + s + " needs a square operator but it is " + a.rows() + "x" + a.cols() + ".",
          "Declare symmetric, PSD or orthogonal only for square operators.");
    }
    return new TaggedOperator(a, s);
  }

  /** {@code a} with its structure hidden from every simplification rule (the generic baseline). */
  public static LinearOperator opaque(LinearOperator a) {
    return new OpaqueOperator(Objects.requireNonNull(a, "a"));
  }

  // ---- Monarch, block tensor-train and Einsum (issue 13) -------------------------------------

  /**
   * The Monarch matrix P_outᵀ·L·P·R with R = diag of {@code rightBlocks} blocks stacked in
   * {@code right} ((k·q)×p) and L = diag of {@code leftBlocks} blocks stacked in {@code left}
   * ((l·s)×r), k·q = l·r; (l·s)×(k·p). See {@link MonarchOperator} for the permutations. Applied as
   * two batched GEMMs on {@code compute}. Factors are not copied.
   *
   * @throws InvalidArgumentException (A001) for block counts below 1 or not dividing the stacked
   *     rows, (A002) when k·q ≠ l·r, (A003) when the factors' dtypes differ
   */
  public static LinearOperator monarch(Matrix right, int rightBlocks, Matrix left, int leftBlocks, Compute compute) {
    Objects.requireNonNull(right, "right");
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(compute, "compute");
    if (rightBlocks < 1 || leftBlocks < 1 || right.rows() % rightBlocks != 0 || left.rows() % leftBlocks != 0
        || right.rows() == 0 || left.rows() == 0 || right.cols() == 0 || left.cols() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "monarch: right is " + right.rows() + "x" + right.cols() + " in " + rightBlocks + " blocks and left is "
              + left.rows() + "x" + left.cols() + " in " + leftBlocks + " blocks.",
          "Pass non-empty factors whose row counts are multiples of their block counts (>= 1).");
    }
    if (right.rows() != (long) leftBlocks * left.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "monarch: R's output length k·q = " + right.rows() + " differs from L's input length l·r = "
              + leftBlocks + "·" + left.cols() + ".",
          "Choose blocks with k·q = l·r (for k = l blocks of b×b each: q = r = b).");
    }
    if (right.dtype() != left.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "monarch: right is " + right.dtype() + " and left is " + left.dtype() + ".", "Use one dtype for both factors.");
    }
    Math.multiplyExact(rightBlocks, right.cols());
    return new MonarchOperator(right, rightBlocks, left, leftBlocks, compute);
  }

  /**
   * A block tensor-train with input dimensions m_1..m_c (first least significant), output
   * dimensions n_1..n_c, ranks r_0 = 1, r_1..r_{c-1}, r_c = 1 and c cores stacked as documented on
   * {@link BlockTensorTrainOperator}. Applied core by core as batched GEMMs on {@code compute}.
   * Cores are not copied.
   *
   * @throws InvalidArgumentException naming the argument on a wrong count, size, rank or dtype
   */
  public static LinearOperator blockTensorTrain(int[] inDims, int[] outDims, int[] ranks, List<Matrix> cores,
      Compute compute) {
    Objects.requireNonNull(compute, "compute");
    BlockTensorTrainOperator.validate(inDims, outDims, ranks, cores);
    return new BlockTensorTrainOperator(inDims, outDims, ranks, cores, compute);
  }

  /**
   * The Einsum-family operator with sizes {@code dims} and cores A ((dφ·dγ·dδ·dρ)×dα) and B
   * ((dφ·dε)×(dρ·dγ·dβ)), laid out as documented on {@link EinsumOperator}; GEMMs on
   * {@code compute}. Cores are not copied. Use {@link EinsumTheta#dims} to get sizes from θ.
   *
   * @throws InvalidArgumentException (A002) naming the core whose shape is wrong, (A003) on mixed dtypes
   */
  public static LinearOperator einsum(EinsumDims dims, Matrix a, Matrix b, Compute compute) {
    Objects.requireNonNull(dims, "dims");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(compute, "compute");
    long aRows = (long) dims.phi() * dims.gamma() * dims.delta() * dims.rho();
    long bRows = (long) dims.phi() * dims.epsilon();
    long bCols = (long) dims.rho() * dims.gamma() * dims.beta();
    if (a.rows() != aRows || a.cols() != dims.alpha()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "einsum: core a is " + a.rows() + "x" + a.cols() + " but sizes " + dims + " need " + aRows + "x" + dims.alpha() + ".",
          "Pass A with rows (f, g, d, r) and columns a: (dφ·dγ·dδ·dρ) x dα.");
    }
    if (b.rows() != bRows || b.cols() != bCols) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "einsum: core b is " + b.rows() + "x" + b.cols() + " but sizes " + dims + " need " + bRows + "x" + bCols + ".",
          "Pass B with rows (f, e) and columns (r, g, b): (dφ·dε) x (dρ·dγ·dβ).");
    }
    if (a.dtype() != b.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "einsum: core a is " + a.dtype() + " and core b is " + b.dtype() + ".", "Use one dtype for both cores.");
    }
    return new EinsumOperator(dims, a, b, compute);
  }

  // ---- permutation, triangular, Kronecker sum (the structured facade's operators) --------------

  /**
   * The n×n permutation P with {@code (P·x)_i = x_{perm[i]}} (P has a one at (i, perm[i])).
   *
   * @throws InvalidArgumentException {@code STRUCTURA-A001} if {@code perm} is not a permutation of 0..n-1
   */
  public static LinearOperator permutation(DType dtype, int... perm) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(perm, "perm");
    boolean[] seen = new boolean[perm.length];
    for (int i = 0; i < perm.length; i++) {
      int p = perm[i];
      if (p < 0 || p >= perm.length || seen[p]) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "permutation: argument 'perm' is not a permutation of 0.." + (perm.length - 1) + ": entry " + i + " is " + p
                + (p >= 0 && p < perm.length ? ", which appears twice." : ", which is out of range."),
            "Pass each index 0..n-1 exactly once.");
      }
      seen[p] = true;
    }
    return new PermutationOperator(perm, dtype);
  }

  /**
   * The lower ({@code lower = true}) or upper triangle of the square {@code matrix} as an
   * operator; with {@code unitDiagonal} the stored diagonal is ignored and read as ones. The
   * triangle is copied (O(n²)); the other triangle of {@code matrix} is never read.
   *
   * @throws InvalidArgumentException {@code STRUCTURA-A002} if the matrix is not square,
   *     {@code STRUCTURA-A006} if an entry of the triangle is not finite
   */
  public static LinearOperator triangular(Matrix matrix, boolean lower, boolean unitDiagonal) {
    Objects.requireNonNull(matrix, "matrix");
    if (matrix.rows() != matrix.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "triangular: argument 'matrix' must be square but is " + matrix.rows() + "x" + matrix.cols() + ".",
          "Pass a square matrix.");
    }
    for (int i = 0; i < matrix.rows(); i++) {
      for (int j = lower ? 0 : i; j <= (lower ? i : matrix.rows() - 1); j++) {
        if (!Double.isFinite(matrix.get(i, j)) && !(i == j && unitDiagonal)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "triangular: argument 'matrix' has a non-finite value " + matrix.get(i, j) + " at (" + i + ", " + j + ").",
              "Pass finite entries.");
        }
      }
    }
    return new TriangularOperator(matrix, lower, unitDiagonal);
  }

  /**
   * The Kronecker sum A ⊕ B = A⊗I + I⊗B of square A and B (see {@link KroneckerSumOperator}).
   *
   * @throws InvalidArgumentException {@code STRUCTURA-A002} if A or B is not square
   */
  public static LinearOperator kroneckerSum(LinearOperator a, LinearOperator b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    sameDType("kroneckerSum", a, b);
    for (LinearOperator f : new LinearOperator[] {a, b}) {
      if (f.rows() != f.cols()) {
        throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
            "kroneckerSum: argument '" + (f == a ? "a" : "b") + "' must be square but is " + f.rows() + "x" + f.cols() + ".",
            "The Kronecker sum is defined for square summands.");
      }
    }
    Math.multiplyExact(a.rows(), b.rows());
    return new KroneckerSumOperator(a, b);
  }

  // ---- helpers shared by the implementations ---------------------------------------------------

  static void requireInput(LinearOperator op, Matrix x, int expectedRows, String method) {
    Objects.requireNonNull(x, "x");
    if (x.rows() != expectedRows) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          op + "." + method + ": the input has " + x.rows() + " rows but " + expectedRows + " are needed.",
          "Pass a block of vectors as the columns of a " + expectedRows + " x k matrix.");
    }
    if (x.dtype() != op.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          op + "." + method + ": the operator is " + op.dtype() + " but the input is " + x.dtype() + ".",
          "Convert the input with Matrix.toDType(" + op.dtype() + ").");
    }
  }

  static Matrix scaledInPlace(Matrix m, double alpha) {
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        m.set(i, j, alpha * m.get(i, j));
      }
    }
    return m;
  }

  static void addInPlace(Matrix target, Matrix addend) {
    for (int i = 0; i < target.rows(); i++) {
      for (int j = 0; j < target.cols(); j++) {
        target.set(i, j, target.get(i, j) + addend.get(i, j));
      }
    }
  }

  private static void sameDType(String op, LinearOperator a, LinearOperator b) {
    if (a.dtype() != b.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          op + ": operands are " + a.dtype() + " and " + b.dtype() + ".", "Build all operands in one dtype.");
    }
  }

  private static void requireSome(String op, LinearOperator[] xs) {
    if (xs == null || xs.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": no operands given.", "Pass at least one operator.");
    }
  }

  private static void checkIndices(int[] indices, int n) {
    Objects.requireNonNull(indices, "indices");
    if (n < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "size " + n + " is negative.", "Pass n >= 0.");
    }
    for (int i : indices) {
      if (i < 0 || i >= n) {
        throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
            "index " + i + " is outside [0, " + n + ").", "Use indices in [0, n).");
      }
    }
  }
}
