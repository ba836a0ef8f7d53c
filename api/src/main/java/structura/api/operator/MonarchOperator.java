package structura.api.operator;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * A Monarch matrix M = P_outᵀ·L·P·R (Dao et al., "Monarch: Expressive Structured Matrices for
 * Efficient and Accurate Training", ICML 2022), in the index convention of the reference code
 * ({@code HazyResearch/fly}, {@code blockdiag_butterfly_multiply}), for any block counts and
 * rectangular blocks.
 *
 * <p><b>Shapes.</b> R = diag(R_0, …, R_{k-1}) with k blocks of q×p; L = diag(L_0, …, L_{l-1})
 * with l blocks of s×r; k·q = l·r. M is (l·s)×(k·p). The permutations transpose a grid read
 * row-major: (P·z)[j·r + ρ] = z[ρ·l + j] for z of length l·r (an r×l grid), and
 * (P_out·w)[j·s + σ] = w[σ·l + j] for w of length l·s. So block i of R reads input entries
 * i·p + a; block j of L reads every l-th entry of z = R·x starting at j; its output entry σ lands
 * at σ·l + j. Entrywise:
 * <pre>M[σ·l + j, i·p + a] = Σ_{t : ⌊t/q⌋ = i, t mod l = j} L_j[σ, ⌊t/l⌋] · R_i[t mod q, a].</pre>
 * When q = l and r = k, each pair of blocks (i, j) shares exactly one middle index t = i·l + j,
 * so the s×p block of M at rows σ·l + j and columns i·p + a is the rank-1 matrix
 * L_j[:, i]·R_i[j, :]. When moreover s = r (square, n = k², the paper's standard case),
 * P_out = P and M = PᵀLPR, the paper's form.
 *
 * <p><b>Storage.</b> R is one (k·q)×p matrix, the blocks stacked top to bottom; L is one
 * (l·s)×r matrix likewise. Neither is copied: do not modify them while the operator is in use.
 *
 * <p><b>Cost.</b> {@code apply} on B vectors is two strided batched GEMMs on the given
 * {@link Compute}: 2·B·(k·q·p + l·s·r) flops for B vectors, against 2·B·(l·s)·(k·p) dense. The
 * permutations cost nothing: they are the leading dimension and batch stride of the second GEMM's
 * operands (the rows of one L block are every l-th row of the middle buffer). No dense form.
 */
public final class MonarchOperator implements LinearOperator {
  private final Matrix right;
  private final int rightBlocks;
  private final Matrix left;
  private final int leftBlocks;
  private final Compute compute;

  MonarchOperator(Matrix right, int rightBlocks, Matrix left, int leftBlocks, Compute compute) {
    this.right = right;
    this.rightBlocks = rightBlocks;
    this.left = left;
    this.leftBlocks = leftBlocks;
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** R's blocks stacked, (k·q)×p (not a copy). */
  public Matrix right() {
    return right;
  }

  /** k, the number of blocks of R. */
  public int rightBlocks() {
    return rightBlocks;
  }

  /** L's blocks stacked, (l·s)×r (not a copy). */
  public Matrix left() {
    return left;
  }

  /** l, the number of blocks of L. */
  public int leftBlocks() {
    return leftBlocks;
  }

  /** The compute the GEMMs run on. */
  public Compute compute() {
    return compute;
  }

  /** q, rows of one R block. */
  public int rightBlockRows() {
    return right.rows() / rightBlocks;
  }

  /** s, rows of one L block. */
  public int leftBlockRows() {
    return left.rows() / leftBlocks;
  }

  /** Flops of one {@code apply} on one vector: 2·(k·q·p + l·s·r). */
  public long flopsPerVector() {
    return 2L * ((long) right.rows() * right.cols() + (long) left.rows() * left.cols());
  }

  @Override
  public int rows() {
    return left.rows();
  }

  @Override
  public int cols() {
    return Math.multiplyExact(rightBlocks, right.cols());
  }

  @Override
  public DType dtype() {
    return right.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    int b = x.cols();
    int k = rightBlocks;
    int l = leftBlocks;
    int p = right.cols();
    int q = rightBlockRows();
    int r = left.cols();
    int s = leftBlockRows();
    Matrix out = Matrix.zeros(dtype(), rows(), b);
    if (b == 0) {
      return out;
    }
    // z_i = R_i·x_i: block i of x is p consecutive rows, block i of z is q consecutive rows
    Matrix z = Matrix.zeros(dtype(), k * q, b);
    int zl = z.ld();
    compute.batchedGemm(Transpose.N, Transpose.N, k, 1.0,
        StridedViews.of(right, right.offset(), q, p, right.ld()), q * right.ld(),
        StridedViews.of(x, x.offset(), p, b, x.ld()), p * x.ld(), 0.0,
        StridedViews.of(z, 0, q, b, zl), q * zl);
    // y[σ·l + j] = L_j·(z[ρ·l + j])_ρ: L's operand and output are every l-th row, starting at row j
    compute.batchedGemm(Transpose.N, Transpose.N, l, 1.0,
        StridedViews.of(left, left.offset(), s, r, left.ld()), s * left.ld(),
        StridedViews.of(z, 0, r, b, l * zl), zl, 0.0,
        StridedViews.of(out, 0, s, b, l * b), b);
    return out;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    int b = y.cols();
    int k = rightBlocks;
    int l = leftBlocks;
    int p = right.cols();
    int q = rightBlockRows();
    int r = left.cols();
    int s = leftBlockRows();
    Matrix out = Matrix.zeros(dtype(), cols(), b);
    if (b == 0) {
      return out;
    }
    // Mᵀ = Rᵀ·Pᵀ·Lᵀ·P_out: the same strided operands, read in reverse with transposed blocks
    Matrix z = Matrix.zeros(dtype(), l * r, b);
    int zl = z.ld();
    compute.batchedGemm(Transpose.T, Transpose.N, l, 1.0,
        StridedViews.of(left, left.offset(), s, r, left.ld()), s * left.ld(),
        StridedViews.of(y, y.offset(), s, b, l * y.ld()), y.ld(), 0.0,
        StridedViews.of(z, 0, r, b, l * zl), zl);
    compute.batchedGemm(Transpose.T, Transpose.N, k, 1.0,
        StridedViews.of(right, right.offset(), q, p, right.ld()), q * right.ld(),
        StridedViews.of(z, 0, q, b, zl), q * zl, 0.0,
        StridedViews.of(out, 0, p, b, b), p * b);
    return out;
  }

  @Override
  public String toString() {
    return "Monarch(" + rows() + "x" + cols() + ", R " + rightBlocks + "x" + rightBlockRows() + "x" + right.cols()
        + ", L " + leftBlocks + "x" + leftBlockRows() + "x" + left.cols() + ")";
  }
}
