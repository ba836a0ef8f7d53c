package structura.api.nn;

import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/** Shape checks shared by the network records; the messages name the tensor. */
final class Shapes {
  private Shapes() {}

  static Matrix require(Matrix m, String name, int rows, int cols) {
    if (m == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is missing.", "Pass the tensor " + name + ".");
    }
    if (m.dtype() != DType.F32) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH, name + " is " + m.dtype() + " but network weights are F32.",
          "Convert it with Matrix.toDType(DType.F32).");
    }
    if ((rows >= 0 && m.rows() != rows) || (cols >= 0 && m.cols() != cols)) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          name + " is " + m.rows() + "x" + m.cols() + " but must be " + (rows < 0 ? "*" : rows) + "x" + (cols < 0 ? "*" : cols) + ".",
          "Pass a tensor of the expected shape (PyTorch layout: Linear weights are out x in).");
    }
    return m;
  }

  /** Checks a linear layer's shape {@code out × in} (of W, dense or factored); -1 accepts any. */
  static Linear require(Linear l, String name, int out, int in) {
    if (l == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is missing.", "Pass the layer " + name + ".");
    }
    if ((out >= 0 && l.out() != out) || (in >= 0 && l.in() != in)) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          name + " is " + l.out() + "x" + l.in() + (l.isDense() ? "" : l.isFactored() ? " (factored, rank " + l.rank() + ")" : " (block tensor train, rank " + l.rank() + ")")
              + " but must be " + (out < 0 ? "*" : out) + "x" + (in < 0 ? "*" : in) + ".",
          "Pass a tensor of the expected shape (PyTorch layout: Linear weights are out x in).");
    }
    return l;
  }

  static void positive(int value, String name) {
    if (value <= 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is " + value + " but must be positive.",
          "Pass a positive " + name + ".");
    }
  }

  static InvalidArgumentException mismatch(String detail, String remedy) {
    return new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, detail, remedy);
  }
}
