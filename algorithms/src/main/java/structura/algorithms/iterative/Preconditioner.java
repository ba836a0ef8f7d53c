package structura.algorithms.iterative;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * A symmetric positive definite preconditioner P ≈ A, as the triple that GPyTorch's
 * {@code linear_operator} uses: P⁻¹ applied to a block, P as an operator (to draw probes
 * z ~ N(0, P) or to check it), and log|P| (the correction when a log-determinant is estimated on
 * the preconditioned system).
 *
 * <p><b>Contract for implementers.</b> {@link #applyInverse} returns a new n×k F64 block and does
 * not modify its argument; P must be symmetric positive definite, so CG keeps its guarantees.
 */
public interface Preconditioner {
  /** The order n. */
  int size();

  /** P⁻¹·R for an n×k F64 block R (not modified); a new n×k F64 matrix. */
  Matrix applyInverse(Matrix r);

  /** P as an operator (F64). */
  LinearOperator operator();

  /** log det P. */
  double logDeterminant();

  /** P = I: no preconditioning. */
  static Preconditioner identity(int n) {
    return new Preconditioner() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public Matrix applyInverse(Matrix r) {
        return r.toDType(DType.F64).copy();
      }

      @Override
      public LinearOperator operator() {
        return Operators.identity(DType.F64, n);
      }

      @Override
      public double logDeterminant() {
        return 0;
      }

      @Override
      public String toString() {
        return "identity";
      }
    };
  }
}
