package structura.algorithms.nn;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.Linear;

/**
 * Several dense projections of the same input stacked into one: {@code W = [W_1; W_2; …]}
 * ({@code Σ out_i × in}) and {@code b = [b_1, b_2, …]}, so that {@code Y = X Wᵀ + b} is one GEMM
 * whose column blocks are the separate outputs. The attention's Q, K and V projections run this
 * way: one GEMM of width {@code q + 2·kv} instead of three, so the input is packed once and the
 * backend forks once. Each output element is the same dot product over the same k as in the
 * separate GEMM, so on a backend whose summation order depends only on k (the vector and
 * reference backends) the result is bit-identical.
 *
 * <p>Memory: a copy of the stacked weights ({@code Σ out_i · in} floats).
 *
 * @param weight {@code Σ out_i × in}, rows of part i at {@code offsets[i]}
 * @param bias {@code 1 × Σ out_i}, or null when no part has a bias
 * @param offsets first output column of each part, plus the total width at the end
 */
record FusedProjection(Matrix weight, Matrix bias, int[] offsets) {

  /**
   * Stacks {@code parts}, or returns null when they cannot be one GEMM: a part that is not dense
   * (factored or block tensor-train), parts of
   * different input widths, some with and some without a bias, a non-F32 weight, or a stacked
   * weight of more than {@code maxElements} elements.
   */
  static FusedProjection of(long maxElements, Linear... parts) {
    int in = parts[0].in();
    boolean bias = parts[0].bias() != null;
    long total = 0;
    for (Linear p : parts) {
      if (!p.isDense() || p.in() != in || (p.bias() != null) != bias || p.weight().dtype() != DType.F32) {
        return null;
      }
      total += p.out();
    }
    if (total * in > maxElements) {
      return null;
    }
    int out = (int) total;
    Matrix w = Matrix.zeros(DType.F32, out, in);
    Matrix b = bias ? Matrix.zeros(DType.F32, 1, out) : null;
    int[] offsets = new int[parts.length + 1];
    int row = 0;
    for (int i = 0; i < parts.length; i++) {
      Linear p = parts[i];
      offsets[i] = row;
      w.view(row, 0, p.out(), in).copyFrom(p.weight());
      if (bias) {
        b.view(0, row, 1, p.out()).copyFrom(p.bias());
      }
      row += p.out();
    }
    offsets[parts.length] = row;
    return new FusedProjection(w, b, offsets);
  }

  /** Columns of part i within an output {@code Y} of this projection (a view). */
  Matrix part(Matrix y, int i) {
    return y.view(0, offsets[i], y.rows(), offsets[i + 1] - offsets[i]);
  }
}
