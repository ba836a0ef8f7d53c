package structura.backend.cuda;

/**
 * How a row-major call maps onto cuBLAS's column-major one, without moving data. A row-major
 * {@code r × c} matrix with leading dimension {@code ld} is, read column-major, its transpose
 * ({@code c × r}, same {@code ld}). Hence:
 * <ul>
 *   <li>GEMM: row-major {@code C = op(A)·op(B)} is column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: call
 *       cuBLAS with the operands swapped (B first), the same transposes, and m and n swapped;</li>
 *   <li>GEMV: the stored A read column-major is {@code Aᵀ}, so the transpose flag is inverted and
 *       the dimensions swapped;</li>
 *   <li>SYRK: {@code AᵀA} with row-major {@code k × n} A is {@code Aᶜ·Aᶜᵀ} (no transpose) of the
 *       column-major {@code n × k} view, and {@code A·Aᵀ} becomes transposed. C is symmetric, so its
 *       transpose is itself; cuBLAS's lower triangle (column-major) is our upper one (row-major).</li>
 * </ul>
 */
final class RowMajorToCublas {
  private RowMajorToCublas() {}

  /**
   * A column-major GEMM {@code C(m×n) = op(first)·op(second)}, where {@code first} is our B (with
   * ldb) and {@code second} is our A (with lda); C keeps ldc.
   */
  record Gemm(int opFirst, int opSecond, int m, int n, int k) {}

  /** A column-major GEMV on the stored matrix viewed as {@code rows × cols}. */
  record Gemv(int op, int rows, int cols) {}

  /** A column-major SYRK: transpose flag and fill mode (the triangle cuBLAS writes). */
  record Syrk(int trans, int uplo) {}

  static Gemm gemm(boolean transA, boolean transB, int m, int n, int k) {
    return new Gemm(op(transB), op(transA), n, m, k);
  }

  static Gemv gemv(boolean transA, int m, int n) {
    return new Gemv(transA ? CuBlas.OP_N : CuBlas.OP_T, n, m);
  }

  /**
   * cuBLAS writes its lower triangle, which is our row-major upper one ({@code i ≤ j}); the
   * caller then mirrors it into {@code i > j}.
   */
  static Syrk syrk(boolean trans) {
    return new Syrk(trans ? CuBlas.OP_N : CuBlas.OP_T, CuBlas.FILL_LOWER);
  }

  private static int op(boolean transposed) {
    return transposed ? CuBlas.OP_T : CuBlas.OP_N;
  }
}
