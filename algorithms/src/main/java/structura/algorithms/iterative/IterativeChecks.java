package structura.algorithms.iterative;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;
import structura.api.operator.Structure;

/** Argument checks shared by the iterative methods; each names the method and the argument. */
final class IterativeChecks {
  private IterativeChecks() {}

  static void square(String method, LinearOperator a) {
    Objects.requireNonNull(a, "operator");
    if (a.rows() != a.cols() || a.rows() == 0) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          method + ": the operator is " + a.rows() + "x" + a.cols() + "; a non-empty square operator is needed.",
          "Pass an n x n operator with n >= 1.");
    }
  }

  /** The preconditioner to use: {@code p}, or the identity when null; its order must be n. */
  static Preconditioner preconditioner(String method, Preconditioner p, int n) {
    Preconditioner pre = p == null ? Preconditioner.identity(n) : p;
    if (pre.size() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          method + ": the preconditioner has order " + pre.size() + " but the operator has " + n + ".",
          "Build the preconditioner from the same operator.");
    }
    return pre;
  }

  /** b must be n×k with k ≥ 1 and finite. */
  static void rightHandSide(String method, String name, LinearOperator a, Matrix b) {
    Objects.requireNonNull(b, name);
    if (b.rows() != a.rows() || b.cols() == 0) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          method + ": argument '" + name + "' is " + b.rows() + "x" + b.cols() + " but the operator is " + a.rows()
              + "x" + a.cols() + ".", "Pass an n x k block with n = " + a.rows() + " and k >= 1.");
    }
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double v = b.get(i, j);
        if (!Double.isFinite(v)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              method + ": argument '" + name + "' has " + v + " at (" + i + ", " + j + ").",
              "Remove or impute the non-finite entries.");
        }
      }
    }
  }

  /**
   * A randomized symmetry test costing one block product of two columns: for random u, v the
   * bilinear forms uᵀ(Av) and vᵀ(Au) agree to rounding when A = Aᵀ and differ by about
   * ‖A − Aᵀ‖·‖u‖‖v‖/n otherwise. Operators tagged {@link Structure#SYMMETRIC} are trusted.
   *
   * @throws StructuraException {@link ErrorCode#NOT_SYMMETRIC_POSITIVE_DEFINITE} when the forms differ
   */
  static void symmetric(String method, LinearOperator a, Products products, long seed) {
    if (a.is(Structure.SYMMETRIC) || a.is(Structure.PSD)) {
      return;
    }
    int n = a.rows();
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[] uv = new double[2 * n];
    for (int i = 0; i < uv.length; i++) {
      uv[i] = rng.nextDouble() * 2 - 1;
    }
    double[] auv = products.exact(uv, 2);
    double uAv = 0;
    double vAu = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      uAv += uv[2 * i] * auv[2 * i + 1];
      vAu += uv[2 * i + 1] * auv[2 * i];
      scale += Math.abs(uv[2 * i] * auv[2 * i + 1]) + Math.abs(uv[2 * i + 1] * auv[2 * i]);
    }
    double tol = a.dtype() == DType.F64 ? 1e-8 : 1e-3;
    if (Math.abs(uAv - vAu) > tol * scale) {
      throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
          method + ": the operator is not symmetric: for random u, v, uᵀAv = " + uAv + " but vᵀAu = " + vAu + ".",
          "Use GMRES for non-symmetric operators, or symmetrize (A + Aᵀ)/2; tag a symmetric operator with "
              + "Operators.tagged(a, Structure.SYMMETRIC) to skip this check.");
    }
  }

  static void positive(String method, String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": " + name + " = " + v + " must be positive and finite.", "Pass a positive finite " + name + ".");
    }
  }

  static void atLeast(String method, String name, long v, long min) {
    if (v < min) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": " + name + " = " + v + " must be at least " + min + ".", "Pass " + name + " >= " + min + ".");
    }
  }
}
