package structura.algorithms.linalg;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import structura.api.DType;
import structura.api.Matrix;

/** Bridges to EJML matrices; package-private. */
final class Ejml {
  private Ejml() {}

  /**
   * A {@link DMatrixRMaj} over {@code a}'s data: wrapped without a copy when {@code a} is a compact
   * F64 view at offset 0 and the decomposition leaves its input intact, copied otherwise.
   */
  static DMatrixRMaj wrapOrCopy(Matrix a, boolean inputModified) {
    boolean wrappable = a.dtype() == DType.F64 && a.offset() == 0 && a.isCompact()
        && a.f64().length == a.rows() * a.cols();
    if (wrappable && !inputModified) {
      return DMatrixRMaj.wrap(a.rows(), a.cols(), a.f64());
    }
    Matrix c = a.toDType(DType.F64);
    return DMatrixRMaj.wrap(a.rows(), a.cols(), c.f64());
  }

  /** Indices 0..k-1 sorted by decreasing {@code w[i]}. */
  static Integer[] descending(double[] w, int k) {
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(w[y], w[x]));
    return order;
  }
}
