package structura.backend.cuda;

/** How many elements a strided view touches, from its first element to its last. */
final class Spans {
  private Spans() {}

  /** A row-major {@code rows × cols} view with leading dimension {@code ld}: {@code (rows − 1)·ld + cols}. */
  static int matrix(int rows, int cols, int ld) {
    return Math.toIntExact((long) (rows - 1) * ld + cols);
  }

  /** {@code n} entries {@code inc} apart: {@code (n − 1)·inc + 1}. */
  static int vector(int n, int inc) {
    return Math.toIntExact((long) (n - 1) * inc + 1);
  }

  /** {@code batch} views of {@code one} elements, {@code stride} apart (0 shares one view). */
  static int batched(int one, int stride, int batch) {
    return Math.toIntExact((long) (batch - 1) * stride + one);
  }
}
