package structura.algorithms.nn;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Linear;

/**
 * {@code Y = X·Wᵀ} for a two-core block tensor-train (Monarch or BTT) weight W ({@link Linear.Btt})
 * and row vectors X ({@code N × in}), without forming W.
 *
 * <p><b>Steps.</b> With {@code in = m₁·m₂}, {@code out = n₁·n₂}, rank r:
 * <ol>
 * <li>for each input block j₂: {@code Z_{j₂} = X[:, j₂·m₁ .. (j₂+1)·m₁) · A[j₂]ᵀ}
 * ({@code N × r·n₁}, one GEMM per block, columns α·n₁ + i₁);</li>
 * <li>the permutation: regroup Z by output class, {@code Z'[:, i₁·m₂·r + j₂·r + α] = Z[:, j₂·r·n₁ + α·n₁ + i₁]};</li>
 * <li>for each output class i₁: {@code Y'_{i₁} = Z'_{i₁} · B[i₁]ᵀ} ({@code N × n₂});</li>
 * <li>the output permutation: {@code Y[:, i₁ + n₁·i₂] = Y'[:, i₁·n₂ + i₂]}.</li>
 * </ol>
 * Cost: {@code N·r·(n₁·in + m₂·out)} multiply-accumulates ({@link Linear.Btt#macsPerRow()} per
 * row) plus two copies of {@code N·m₂·r·n₁} and {@code N·out} floats. Memory: those two
 * intermediates. X is not modified.
 */
public final class BlockTensorTrainRows {
  private BlockTensorTrainRows() {}

  /**
   * {@code X·Wᵀ}, a new {@code N × out} F32 matrix.
   *
   * @param x {@code N × in}, F32 (a view is fine)
   */
  public static Matrix apply(Compute compute, Linear.Btt w, Matrix x) {
    int n = x.rows();
    int m1 = w.m1();
    int m2 = w.m2();
    int n1 = w.n1();
    int n2 = w.n2();
    int r = w.rank();
    int mid = m2 * r * n1;
    Matrix z = Matrix.zeros(DType.F32, n, mid);
    for (int j2 = 0; j2 < m2; j2++) {
      compute.gemm(Transpose.N, Transpose.T, 1.0, x.view(0, j2 * m1, n, m1), w.first().view(j2 * r * n1, 0, r * n1, m1),
          0.0, z.view(0, j2 * r * n1, n, r * n1));
    }
    Matrix grouped = Matrix.zeros(DType.F32, n, mid);
    float[] zs = z.f32();
    float[] gs = grouped.f32();
    for (int row = 0; row < n; row++) {
      int base = row * mid;
      for (int j2 = 0; j2 < m2; j2++) {
        for (int a = 0; a < r; a++) {
          int from = base + j2 * r * n1 + a * n1;
          int to = base + j2 * r + a;
          for (int i1 = 0; i1 < n1; i1++) {
            gs[to + i1 * m2 * r] = zs[from + i1];
          }
        }
      }
    }
    Matrix yClass = Matrix.zeros(DType.F32, n, n1 * n2);
    for (int i1 = 0; i1 < n1; i1++) {
      compute.gemm(Transpose.N, Transpose.T, 1.0, grouped.view(0, i1 * m2 * r, n, m2 * r),
          w.second().view(i1 * n2, 0, n2, m2 * r), 0.0, yClass.view(0, i1 * n2, n, n2));
    }
    int out = n1 * n2;
    Matrix y = Matrix.zeros(DType.F32, n, out);
    float[] ys = y.f32();
    float[] cs = yClass.f32();
    for (int row = 0; row < n; row++) {
      int base = row * out;
      for (int i1 = 0; i1 < n1; i1++) {
        for (int i2 = 0; i2 < n2; i2++) {
          ys[base + i1 + n1 * i2] = cs[base + i1 * n2 + i2];
        }
      }
    }
    return y;
  }
}
