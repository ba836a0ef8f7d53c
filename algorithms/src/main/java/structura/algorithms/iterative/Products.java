package structura.algorithms.iterative;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * Applies an operator to work blocks and counts matrix-vector products (one per column). Checks
 * every output for NaN/Inf, so a broken operator is reported where it first misbehaves instead of
 * silently poisoning the iteration.
 */
final class Products {
  private final LinearOperator a;
  private final ProductPrecision precision;
  private final String method;
  private long count;

  Products(LinearOperator a, ProductPrecision precision, String method) {
    this.a = a;
    this.precision = precision;
    this.method = method;
  }

  /** A·x for the row-major n×k block x, rounded as {@link ProductPrecision} says. x is not modified. */
  double[] apply(double[] x, int k) {
    if (precision == ProductPrecision.F64) {
      return exact(x, k);
    }
    double[] rounded = x.clone();
    precision.roundBlock(rounded, a.cols(), k);
    double[] y = exact(rounded, k);
    precision.roundBlock(y, a.rows(), k);
    return y;
  }

  /** A·x in the operator's own arithmetic, whatever the product precision (residual checks). */
  double[] exact(double[] x, int k) {
    Matrix y = a.apply(Blocks.as(x, a.cols(), k, a.dtype()));
    count += k;
    double[] out = y.dtype() == structura.api.DType.F64 && y.isCompact() && y.offset() == 0
        && y.f64().length == a.rows() * k ? y.f64() : Blocks.copyOf(y);
    for (int i = 0; i < out.length; i++) {
      if (!Double.isFinite(out[i])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
            method + ": the operator returned " + out[i] + " at row " + (i / k) + ", column " + (i % k)
                + " of a product (after " + count + " matrix-vector products).",
            "Check the operator for overflow or NaN entries (a kernel with a zero lengthscale, an unscaled input).");
      }
    }
    return out;
  }

  /** Matrix-vector products so far. */
  long count() {
    return count;
  }

  /** Adds products done outside this counter (a preconditioner's set-up). */
  void add(long products) {
    count += products;
  }
}
