package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Jacobi (diagonal) preconditioner P = diag(A). Applying P⁻¹ costs n·k divisions;
 * log|P| = Σ log a_ii. Equilibrates operators whose rows have very different scales; does nothing
 * for a kernel matrix with a constant diagonal (use {@link PivotedCholeskyPreconditioner}).
 */
public final class JacobiPreconditioner implements Preconditioner {
  private final double[] diagonal;

  private JacobiPreconditioner(double[] diagonal) {
    this.diagonal = diagonal;
  }

  /**
   * P = diag(A). Dense and diagonal operators are read directly; any other operator costs n
   * matrix-vector products (it is applied to the identity in blocks).
   *
   * @throws InvalidArgumentException if a diagonal entry is not positive and finite
   */
  public static JacobiPreconditioner of(LinearOperator a) {
    IterativeChecks.square("JacobiPreconditioner", a);
    return of(OperatorDiagonal.of(a));
  }

  /**
   * P = diag(d), d copied.
   *
   * @throws InvalidArgumentException if an entry is not positive and finite
   */
  public static JacobiPreconditioner of(double[] d) {
    Objects.requireNonNull(d, "diagonal");
    for (int i = 0; i < d.length; i++) {
      if (!(d[i] > 0) || Double.isInfinite(d[i])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
            "JacobiPreconditioner: diagonal entry " + i + " is " + d[i] + "; a positive definite operator has a positive diagonal.",
            "Check that the operator is positive definite, or use no preconditioner.");
      }
    }
    return new JacobiPreconditioner(d.clone());
  }

  @Override
  public int size() {
    return diagonal.length;
  }

  @Override
  public Matrix applyInverse(Matrix r) {
    Matrix out = Matrix.zeros(DType.F64, r.rows(), r.cols());
    for (int i = 0; i < r.rows(); i++) {
      for (int j = 0; j < r.cols(); j++) {
        out.set(i, j, r.get(i, j) / diagonal[i]);
      }
    }
    return out;
  }

  @Override
  public LinearOperator operator() {
    return Operators.diagonal(DType.F64, diagonal.clone());
  }

  @Override
  public double logDeterminant() {
    double s = 0;
    for (double d : diagonal) {
      s += Math.log(d);
    }
    return s;
  }
}
