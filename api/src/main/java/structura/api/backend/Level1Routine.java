package structura.api.backend;

/**
 * Vector routines (BLAS level 1) on strided vectors: entry i of x is {@code x[xOff + i * incX]}.
 * <ul>
 *   <li>{@code dot}: returns Σ x_i y_i. Nothing is modified.</li>
 *   <li>{@code axpy}: y ← alpha·x + y. Modifies y.</li>
 *   <li>{@code scal}: x ← alpha·x. Modifies x.</li>
 * </ul>
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: n ≥ 1, increments
 * ≥ 1, all entries in bounds, and for axpy x and y either identical or disjoint. Thread-safe.
 */
public interface Level1Routine {
  /** Single-precision dot product (float accumulation, any summation order). */
  float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY);

  /** Double-precision dot product. */
  double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY);

  /** y ← alpha·x + y in single precision. */
  void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY);

  /** y ← alpha·x + y in double precision. */
  void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY);

  /** x ← alpha·x in single precision. */
  void sscal(int n, float alpha, float[] x, int xOff, int incX);

  /** x ← alpha·x in double precision. */
  void dscal(int n, double alpha, double[] x, int xOff, int incX);
}
