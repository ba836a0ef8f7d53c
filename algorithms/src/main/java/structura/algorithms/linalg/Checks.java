package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/** Argument checks shared by the linalg entry classes. Package-private. */
final class Checks {
  private Checks() {}

  /** Non-null, non-empty and finite; the message names {@code name} and the first bad element. */
  static Matrix input(String method, String name, Matrix a) {
    Objects.requireNonNull(a, name);
    if (a.rows() == 0 || a.cols() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          method + ": argument '" + name + "' is empty (" + a.rows() + "x" + a.cols() + ").",
          "Pass a matrix with at least one row and one column.");
    }
    finite(method, name, a);
    return a;
  }

  /** An operator (or implicit matrix) with at least one row and one column. */
  static void nonEmpty(String method, String name, int rows, int cols) {
    if (rows == 0 || cols == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          method + ": argument '" + name + "' is empty (" + rows + "x" + cols + ").",
          "Pass an operator with at least one row and one column.");
    }
  }

  /** Throws {@code STRUCTURA-A006} naming the first NaN or infinite element of {@code a}. */
  static void finite(String method, String name, Matrix a) {
    for (int i = 0; i < a.rows(); i++) {
      int base = a.index(i, 0);
      for (int j = 0; j < a.cols(); j++) {
        double v = a.dtype() == DType.F32 ? a.f32()[base + j] : a.f64()[base + j];
        if (!Double.isFinite(v)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              method + ": argument '" + name + "' has a non-finite value " + v + " at (" + i + ", " + j + ").",
              "Remove or replace NaN and infinite entries before factoring.");
        }
      }
    }
  }

  static void square(String method, String name, Matrix a) {
    if (a.rows() != a.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          method + ": argument '" + name + "' must be square but is " + a.rows() + "x" + a.cols() + ".",
          "Pass a square (symmetric) matrix.");
    }
  }

  /** A requested rank in [1, max], or {@code 0} meaning "not set" when {@code allowZero}. */
  static void rank(String method, String name, int rank, int max, boolean allowZero) {
    if (rank < (allowZero ? 0 : 1) || rank > max) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          method + ": " + name + " = " + rank + " is outside [" + (allowZero ? 0 : 1) + ", " + max
              + "] (min(rows, cols) of the input).",
          "Ask for a rank between 1 and min(rows, cols).");
    }
  }

  static void tolerance(String method, String name, double tol) {
    if (!(tol >= 0) || !(tol < 1) || Double.isNaN(tol)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": " + name + " = " + tol + " must be in [0, 1).",
          "Pass a relative tolerance such as 1e-6, or 0 to stop only at the rank.");
    }
  }

  static void positive(String method, String name, int value) {
    if (value < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": " + name + " = " + value + " must be at least 1.", "Pass a positive value.");
    }
  }

  static void nonNegative(String method, String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": " + name + " = " + value + " must be finite and non-negative.", "Pass a value >= 0.");
    }
  }

  static InvalidArgumentException mismatch(String detail, String remedy) {
    return new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, detail, remedy);
  }
}
