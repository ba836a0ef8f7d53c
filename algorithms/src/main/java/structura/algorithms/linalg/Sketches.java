package structura.algorithms.linalg;

import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;

/**
 * Row sketches Y = S·A (s×n) for the kinds of {@link SketchKind}; package-private. A matrix is
 * sketched in place (CountSketch and SRHT without forming S); an operator through one product
 * Y = (Aᵀ·Sᵀ)ᵀ with the m×s matrix Sᵀ formed explicitly, drawn from the same random numbers in the
 * same order, so both routes give the same sketch up to rounding.
 */
final class Sketches {
  private Sketches() {}

  /** Y = S·A as a new compact F64 matrix with s rows. */
  static Matrix apply(Compute compute, SketchKind kind, Matrix a, int s, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int m = a.rows();
    int n = a.cols();
    return switch (kind) {
      case NONE -> a.toDType(DType.F64);
      case GAUSSIAN -> {
        Matrix omega = gaussian(a.dtype(), s, m, rng, 1 / Math.sqrt(s));
        Matrix y = Matrix.zeros(a.dtype(), s, n);
        // Y = Ω·(Aᵀ)ᵀ with Aᵀ copied (mn, small next to the 2smn flops): both operands are then read
        // along rows, which keeps even the plain-loop reference GEMM streaming through memory
        // (with Ω·A as (N, N) it was 10x slower at 8192×1024).
        compute.gemm(Transpose.N, Transpose.T, 1.0, omega, a.transposeCopy(), 0.0, y);
        yield y.toDType(DType.F64);
      }
      case COUNT_SKETCH -> {
        double[] y = new double[s * n];
        for (int i = 0; i < m; i++) {
          int h = rng.nextInt(s);
          double sign = rng.nextBoolean() ? 1 : -1;
          int base = a.index(i, 0);
          for (int j = 0; j < n; j++) {
            double v = a.dtype() == DType.F64 ? a.f64()[base + j] : a.f32()[base + j];
            y[h * n + j] += sign * v;
          }
        }
        yield Matrix.wrap(y, s, n);
      }
      case SRHT -> srht(a, s, rng);
    };
  }

  /**
   * Y = S·A (s×n, compact F64) of an operator through one block product Aᵀ·Sᵀ of s vectors; the
   * operator is never densified. {@link SketchKind#NONE} has no sketch matrix and is rejected by
   * the callers before this point.
   */
  static Matrix apply(SketchKind kind, LinearOperator a, int s, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int m = a.rows();
    Matrix st = switch (kind) {
      case NONE -> throw new IllegalArgumentException("SketchKind.NONE has no sketch matrix");
      case GAUSSIAN -> gaussian(a.dtype(), s, m, rng, 1 / Math.sqrt(s)).transposeCopy();
      case COUNT_SKETCH -> {
        Matrix t = Matrix.zeros(a.dtype(), m, s);
        for (int i = 0; i < m; i++) {
          int h = rng.nextInt(s);
          t.set(i, h, rng.nextBoolean() ? 1 : -1);
        }
        yield t;
      }
      case SRHT -> srhtTransposed(a.dtype(), m, s, rng);
    };
    return a.applyTranspose(st).transposeCopy().toDType(DType.F64);
  }

  /**
   * Sᵀ (m×s) of the SRHT that {@link #srht} applies: S = √(1/s)·P·H·D with D the random signs,
   * H the p×p Walsh–Hadamard matrix in Sylvester order (H(r, i) = (−1)^popcount(r∧i), what
   * {@link #fwht} computes) and P the sampled rows, restricted to the first m columns (the zero
   * padding). Same random numbers in the same order as {@link #srht}.
   */
  private static Matrix srhtTransposed(DType dtype, int m, int s, SplittableRandom rng) {
    int p = paddedLength(m);
    double[] sign = new double[m];
    for (int i = 0; i < m; i++) {
      sign[i] = rng.nextBoolean() ? 1 : -1;
    }
    int[] idx = sampleRows(p, s, rng);
    double scale = 1 / Math.sqrt(s);
    Matrix t = Matrix.zeros(dtype, m, s);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < s; j++) {
        t.set(i, j, (Integer.bitCount(idx[j] & i) % 2 == 0 ? scale : -scale) * sign[i]);
      }
    }
    return t;
  }

  /** m rounded up to a power of two (at least 1). */
  private static int paddedLength(int m) {
    int p = Integer.highestOneBit(Math.max(1, m - 1)) << (m > 1 ? 1 : 0);
    return Math.max(p, m);
  }

  /** A permutation of [0, p) whose first s entries are s distinct indices drawn uniformly (partial Fisher–Yates). */
  static int[] sampleRows(int p, int s, SplittableRandom rng) {
    int[] idx = new int[p];
    for (int i = 0; i < p; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < s; i++) {
      int r = i + rng.nextInt(p - i);
      int t = idx[i];
      idx[i] = idx[r];
      idx[r] = t;
    }
    return idx;
  }

  /** A rows×cols matrix of independent N(0, scale²) entries in {@code dtype}. */
  static Matrix gaussian(DType dtype, int rows, int cols, SplittableRandom rng, double scale) {
    Matrix g = Matrix.zeros(dtype, rows, cols);
    int size = rows * cols;
    for (int i = 0; i < size; i++) {
      double v = rng.nextGaussian() * scale;
      if (dtype == DType.F64) {
        g.f64()[i] = v;
      } else {
        g.f32()[i] = (float) v;
      }
    }
    return g;
  }

  private static Matrix srht(Matrix a, int s, SplittableRandom rng) {
    int m = a.rows();
    int n = a.cols();
    int p = paddedLength(m);
    // Column-major p×n copy with random row signs; zero padding below row m.
    double[] w = new double[Math.multiplyExact(p, n)];
    for (int i = 0; i < m; i++) {
      double sign = rng.nextBoolean() ? 1 : -1;
      int base = a.index(i, 0);
      for (int j = 0; j < n; j++) {
        double v = a.dtype() == DType.F64 ? a.f64()[base + j] : a.f32()[base + j];
        w[j * p + i] = sign * v;
      }
    }
    for (int j = 0; j < n; j++) {
      fwht(w, j * p, p);
    }
    // Sample s distinct rows; scale so that E[SᵀS] = I.
    int[] idx = sampleRows(p, s, rng);
    double scale = 1 / Math.sqrt(s);
    double[] y = new double[s * n];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < n; j++) {
        y[i * n + j] = scale * w[j * p + idx[i]];
      }
    }
    return Matrix.wrap(y, s, n);
  }

  /** In-place unnormalized Walsh–Hadamard transform of x[off .. off+p), p a power of two. */
  static void fwht(double[] x, int off, int p) {
    for (int h = 1; h < p; h <<= 1) {
      for (int i = 0; i < p; i += h << 1) {
        for (int j = off + i; j < off + i + h; j++) {
          double u = x[j];
          double v = x[j + h];
          x[j] = u + v;
          x[j + h] = u - v;
        }
      }
    }
  }
}
