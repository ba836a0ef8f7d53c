package structura.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import structura.api.DType;
import structura.api.Matrix;

/**
 * Tolerances that scale with the accumulation length, in the form of the classical bound for a
 * length-k inner product, {@code |fl(Σ a·b) − Σ a·b| ≤ γ_k Σ|a||b|} with {@code γ_k ≈ k·u}
 * (Higham, Accuracy and Stability of Numerical Algorithms, §3.1), plus a few roundings for the
 * scaling by alpha and the update with beta, and a factor 2 of slack. Blocked and FMA-based
 * kernels satisfy the same bound, often with a smaller constant.
 */
public final class Tolerances {
  private Tolerances() {}

  /** Relative tolerance, against the magnitude bound, for a length-{@code k} accumulation in {@code dtype}. */
  public static double accumulation(DType dtype, int k) {
    return 2.0 * (k + 4) * dtype.unitRoundoff();
  }

  /**
   * Asserts {@code |actual − expected| ≤ tol·bound + tiny} element by element. The message
   * lists the worst element, its error in units of the tolerance, and the context.
   *
   * @param actual a matrix of the expected shape, or a vector (1×n or n×1) when {@code expected} is a column
   */
  public static void assertClose(String context, Oracle.Expected expected, Matrix actual, double tol) {
    boolean vector = expected.cols() == 1 && (actual.rows() == 1 || actual.cols() == 1);
    double worst = 0;
    String where = null;
    int failures = 0;
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double got = vector ? Oracle.entry(actual, i) : actual.get(i, j);
        double want = expected.value(i, j);
        double allowed = tol * expected.bound(i, j) + Double.MIN_NORMAL;
        double err = Math.abs(got - want);
        if (!(err <= allowed)) {  // also catches NaN
          failures++;
          double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
          if (where == null || ratio > worst) {
            worst = ratio;
            where = "(" + i + ", " + j + "): got " + got + ", expected " + want + ", error " + err
                + " > allowed " + allowed;
          }
        }
      }
    }
    if (failures > 0) {
      fail(context + ": " + failures + " of " + expected.rows() * expected.cols()
          + " elements outside tolerance; worst at " + where + " (" + worst + "x the tolerance)");
    }
  }
}
