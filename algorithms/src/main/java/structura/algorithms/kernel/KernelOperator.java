package structura.algorithms.kernel;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Structure;

/**
 * The kernel matrix {@code K_ij = k(x_i, y_j)} (targets X, N×d; sources Y, M×d) as a lazy,
 * tiled, KeOps-style {@link LinearOperator}: it stores only the points, divided by the
 * lengthscale(s) once, so memory is O((N + M)·d), and every product {@code K·V} streams tiles
 * of K through the backend's {@code PairwiseKernelRoutine} ({@link Compute#kernelMultiply}),
 * multithreaded on the vector backend, without ever holding the N×M matrix.
 *
 * <p>Cost of {@link #apply} on an M×k block: N·M·(3d + 2k + c_κ) flops, O(N·k) output; for a
 * {@link #symmetric} operator the {@code vector} backend evaluates each entry once for both
 * K_ij·v_j and K_ji·v_i (its symmetric path, 1.9× faster at N = 10,000). The
 * transpose is the kernel with targets and sources swapped (k is symmetric in its arguments),
 * so {@link #applyTranspose} costs the same. A symmetric operator ({@link #symmetric}, one
 * point set) is tagged {@link Structure#SYMMETRIC}, and also {@link Structure#PSD} for every
 * kernel but the Laplace 1/r Green's function, so Krylov methods and the structured facade can
 * dispatch on it. Immutable and thread-safe; the dtype is that of the points.
 */
public final class KernelOperator implements LinearOperator {
  private final KernelFunction kernel;
  private final Matrix targets;
  private final Matrix sources;
  private final boolean symmetric;
  private final Compute compute;

  private KernelOperator(KernelFunction kernel, Matrix targets, Matrix sources, boolean symmetric, Compute compute) {
    this.kernel = kernel;
    this.targets = targets;
    this.sources = sources;
    this.symmetric = symmetric;
    this.compute = compute;
  }

  /**
   * The N×N kernel matrix K(X, X) of one point set (rows of {@code points}).
   *
   * @throws InvalidArgumentException if a point is NaN or infinite (the message names the row),
   *     d = 0, or the dimension differs from an ARD kernel's
   */
  public static KernelOperator symmetric(KernelFunction kernel, Matrix points, Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(compute, "compute");
    requireFinite("points", points);
    Matrix scaled = kernel.scale(points);
    return new KernelOperator(kernel, scaled, scaled, true, compute);
  }

  /**
   * The N×M cross-kernel matrix K(X, Y): rows for the {@code targets}, columns for the
   * {@code sources}, both with one row per point and the same dimension and dtype.
   */
  public static KernelOperator cross(KernelFunction kernel, Matrix targets, Matrix sources, Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(compute, "compute");
    requireFinite("targets", targets);
    requireFinite("sources", sources);
    if (targets.cols() != sources.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "Kernel operator: the targets have dimension " + targets.cols() + " and the sources " + sources.cols() + ".",
          "Pass target and source points with the same number of coordinates.");
    }
    if (targets.dtype() != sources.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "Kernel operator: the targets are " + targets.dtype() + " and the sources " + sources.dtype() + ".",
          "Convert both with Matrix.toDType.");
    }
    return new KernelOperator(kernel, kernel.scale(targets), kernel.scale(sources), false, compute);
  }

  private static void requireFinite(String name, Matrix points) {
    Objects.requireNonNull(points, name);
    for (int i = 0; i < points.rows(); i++) {
      for (int t = 0; t < points.cols(); t++) {
        double v = points.get(i, t);
        if (!Double.isFinite(v)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "Kernel operator: " + name + " row " + i + " coordinate " + t + " is " + v + ".",
              "Drop or impute non-finite coordinates before building the kernel.");
        }
      }
    }
  }

  /** The kernel function. */
  public KernelFunction kernel() {
    return kernel;
  }

  /** The target points divided by the lengthscale(s) (N×d); shared, do not modify. */
  public Matrix scaledTargets() {
    return targets;
  }

  /** The source points divided by the lengthscale(s) (M×d); shared, do not modify. */
  public Matrix scaledSources() {
    return sources;
  }

  /** The backend the products run on. */
  public Compute compute() {
    return compute;
  }

  @Override
  public int rows() {
    return targets.rows();
  }

  @Override
  public int cols() {
    return sources.rows();
  }

  @Override
  public DType dtype() {
    return targets.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    requireInput(x, cols(), "apply");
    Matrix out = Matrix.zeros(dtype(), rows(), x.cols());
    compute.kernelMultiply(kernel.radial(), targets, sources, x, 0, out);
    return out;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    requireInput(y, rows(), "applyTranspose");
    Matrix out = Matrix.zeros(dtype(), cols(), y.cols());
    compute.kernelMultiply(kernel.radial(), sources, targets, y, 0, out);
    return out;
  }

  @Override
  public LinearOperator transpose() {
    return symmetric ? this : new KernelOperator(kernel, sources, targets, false, compute);
  }

  /**
   * Column j of K, k(x_i, y_j) for i = 0..N−1, evaluated in double without a product: O(N·d)
   * instead of the O(N·M·d) of {@code apply} on a unit vector. This is how a pivoted Cholesky
   * preconditioner reads its r columns of a lazy kernel matrix.
   *
   * @param j the source index, in [0, M)
   * @return N entries, F64 (a new array)
   */
  public double[] column(int j) {
    java.util.Objects.checkIndex(j, cols());
    double[] out = new double[rows()];
    int d = targets.cols();
    for (int i = 0; i < out.length; i++) {
      double r2 = 0;
      for (int t = 0; t < d; t++) {
        double diff = targets.get(i, t) - sources.get(j, t);
        r2 += diff * diff;
      }
      out[i] = kernel.radial().ofSquaredDistance(r2);
    }
    return out;
  }

  /** diag(K) = (k(x_i, y_i)) of a square operator, in double: κ(0) for a symmetric one. O(N·d). */
  public double[] diagonal() {
    if (rows() != cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          this + ".diagonal: the operator is " + rows() + "x" + cols() + ", not square.",
          "Ask for the diagonal of a square kernel matrix (KernelOperator.symmetric).");
    }
    double[] out = new double[rows()];
    for (int i = 0; i < out.length; i++) {
      double r2 = 0;
      for (int t = 0; t < targets.cols(); t++) {
        double diff = targets.get(i, t) - sources.get(i, t);
        r2 += diff * diff;
      }
      out[i] = kernel.radial().ofSquaredDistance(r2);
    }
    return out;
  }

  /** The dense N×M matrix, evaluated entry by entry in double and rounded to the dtype: O(N·M) memory. */
  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype(), rows(), cols());
    double[] xi = new double[targets.cols()];
    for (int i = 0; i < rows(); i++) {
      for (int j = 0; j < cols(); j++) {
        double r2 = 0;
        for (int t = 0; t < xi.length; t++) {
          double diff = targets.get(i, t) - sources.get(j, t);
          r2 += diff * diff;
        }
        out.set(i, j, kernel.radial().ofSquaredDistance(r2));
      }
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    if (!symmetric) {
      return Set.of();
    }
    return kernel.radial().positiveDefinite() ? EnumSet.of(Structure.SYMMETRIC, Structure.PSD) : EnumSet.of(Structure.SYMMETRIC);
  }

  private void requireInput(Matrix x, int expectedRows, String method) {
    Objects.requireNonNull(x, "x");
    if (x.rows() != expectedRows) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          this + "." + method + ": the input has " + x.rows() + " rows but " + expectedRows + " are needed.",
          "Pass a block of vectors as the columns of a " + expectedRows + " x k matrix.");
    }
    if (x.dtype() != dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          this + "." + method + ": the operator is " + dtype() + " but the input is " + x.dtype() + ".",
          "Convert the input with Matrix.toDType(" + dtype() + ").");
    }
  }

  @Override
  public String toString() {
    return "KernelOperator(" + kernel + ", " + rows() + "x" + cols() + ", " + dtype() + (symmetric ? ", symmetric" : "") + ")";
  }
}
