package structura.api.operator;

import structura.api.DType;
import structura.api.Matrix;

/**
 * Views with a chosen offset and leading dimension over the array behind a matrix: how the
 * Monarch, block tensor-train and Einsum operators hand strided sub-blocks of one buffer to
 * {@code Compute.batchedGemm} instead of copying them (a permutation of rows becomes a leading
 * dimension and a batch stride).
 */
final class StridedViews {
  private StridedViews() {}

  /** A rows×cols view of {@code base}'s array starting at element {@code offset}, rows {@code ld} apart. */
  static Matrix of(Matrix base, int offset, int rows, int cols, int ld) {
    return base.dtype() == DType.F32
        ? Matrix.wrap(base.f32(), offset, rows, cols, ld)
        : Matrix.wrap(base.f64(), offset, rows, cols, ld);
  }

  /** {@code x} itself when its rows are back to back, else a compact copy. */
  static Matrix compact(Matrix x) {
    return x.isCompact() && x.offset() == 0 ? x : x.copy();
  }
}
