package structura.algorithms.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.ResidentRoutines;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.ProductPrecision;
import structura.algorithms.iterative.SolveResult;
import structura.algorithms.iterative.StopReason;

/**
 * Conjugate gradients for the regularized kernel system {@code (K(X, X) + σ²·I)·Y = B} with the
 * points, right-hand sides and every iterate in device memory ({@link ResidentRoutines}): per
 * iteration one {@link ResidentRoutines#kernelMultiply} with the whole n×k block of search
 * directions (K is never formed) and O(n·k) vector work on the device; only k×k scalars cross to
 * the host. It is the device-resident counterpart of {@code ConjugateGradient} on a
 * {@link KernelOperator} plus a diagonal, with the same options and result conventions.
 *
 * <p><b>Method.</b> Hestenes–Stiefel CG per column, all columns sharing one block product:
 * α_j = ⟨r_j, r_j⟩/⟨p_j, Ap_j⟩, x_j += α_j·p_j, r_j −= α_j·Ap_j, β_j = ⟨r_j', r_j'⟩/⟨r_j, r_j⟩,
 * p_j = r_j + β_j·p_j. The n×k blocks are row-major, so the per-column inner products are the
 * diagonal of one {@code k×k} GEMM ({@code PᵀAP}, {@code RᵀR}; 2nk² flops, for k = 1 exactly a
 * dot product) and the per-column updates are GEMMs with {@code diag(α)} (exact: the off-diagonal
 * zeros add nothing); a column stops moving (α_j = 0) once ‖r_j‖ ≤ tol·‖b_j‖. When every column has
 * stopped, or the iteration cap is reached, the true residual {@code B − (K + σ²I)·X} is recomputed
 * with a fresh kernel product; if it misses the tolerance and residual replacements remain, CG
 * restarts from it. {@code converged} is true only when that recomputed residual meets the
 * tolerance in every column.
 *
 * <p><b>Cost.</b> Per iteration one kernel product, {@code n²·(3d + 2k + c_kernel)} flops,
 * plus about {@code 8nk²}; device memory {@code n·d + 6·n·k + 2k²} elements of the points' dtype.
 * Host work O(k²) per iteration.
 *
 * <p><b>Options.</b> {@link ConjugateGradientOptions} fields tolerance, maxIterations,
 * maxResidualReplacements, initialGuess and listener apply. A preconditioner, re-orthogonalization,
 * compensated sums and product precisions other than F64 are not available on the device and are
 * rejected ({@code STRUCTURA-A001}); the symmetry test is not needed (the operator is symmetric by
 * construction). The arithmetic is that of the points' dtype: F64 points give an F64 solve, F32
 * points an F32 one (use a tolerance above about 1e-5 there).
 *
 * <p><b>Errors.</b> ⟨p_j, Ap_j⟩ ≤ 0 (a kernel that is not positive definite, such as LAPLACE, with
 * too small a σ²) throws {@code STRUCTURA-N002}; NaN or Inf in B or the points throw
 * {@code STRUCTURA-A006}, as in {@code ConjugateGradient}.
 */
public final class ResidentKernelSolver {
  private static final String NAME = "ResidentKernelSolver";

  private ResidentKernelSolver() {}

  /**
   * Solves {@code (K(X, X) + noiseVariance·I)·Y = B}.
   *
   * @param device the resident routines to run on (for example {@code compute.backend().resident().orElseThrow()})
   * @param kernel the kernel (lengthscales are folded into the points once, on the host)
   * @param points n×d points X, F32 or F64, finite (not modified)
   * @param noiseVariance σ² ≥ 0 added to the diagonal
   * @param b n×k right-hand sides, finite (not modified)
   * @param options see the class documentation
   * @return Y (n×k, F64) with iterations, kernel products (k per block product), recomputed relative residuals and the stop
   *     reason
   */
  public static SolveResult solve(ResidentRoutines device, KernelFunction kernel, Matrix points, double noiseVariance, Matrix b,
      ConjugateGradientOptions options) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(options, "options");
    int n = points.rows();
    if (b.rows() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, NAME + ": " + n + " points but b has " + b.rows() + " rows.",
          "Pass one right-hand-side row per point.");
    }
    if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, NAME + ": noise variance " + noiseVariance + ".",
          "Pass a finite σ² ≥ 0.");
    }
    if (options.preconditioner() != null || options.reorthogonalize() || options.compensated()
        || options.productPrecision() != ProductPrecision.F64) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          NAME + ": preconditioners, re-orthogonalization, compensated sums and rounded products are not available on the device.",
          "Use ConjugateGradientOptions.defaults() with tolerance, iterations and residual replacements, or ConjugateGradient on a "
              + "KernelOperator for the other options.");
    }
    Matrix x0 = options.initialGuess();
    if (x0 != null && (x0.rows() != n || x0.cols() != b.cols())) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, NAME + ": initial guess is " + x0.rows() + "x" + x0.cols()
          + " but b is " + n + "x" + b.cols() + ".", "Pass an initial guess of b's shape, or none.");
    }
    if (n == 0 || b.cols() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, NAME + ": " + n + " points and " + b.cols() + " right-hand sides.",
          "Pass at least one point and one right-hand side.");
    }
    finite("b", b);
    finite("points", points);
    if (x0 != null) {
      finite("initial guess", x0);
    }
    try (Run run = new Run(device, kernel, points, noiseVariance, b, options)) {
      return run.solve();
    }
  }

  private static void finite(String name, Matrix m) {
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        if (!Double.isFinite(m.get(i, j))) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, NAME + ": " + name + " holds " + m.get(i, j) + " at (" + i + ", "
              + j + ").", "Pass finite values.");
        }
      }
    }
  }

  /** The device state of one solve. */
  private static final class Run implements AutoCloseable {
    final ResidentRoutines dev;
    final KernelFunction kernel;
    final ConjugateGradientOptions o;
    final double sigma2;
    final DType t;
    final int n;
    final int d;
    final int k;
    final List<DeviceBuffer> owned = new ArrayList<>();
    final DeviceBuffer pts;
    final DeviceBuffer bb;
    DeviceBuffer x;
    DeviceBuffer r;
    DeviceBuffer p;
    DeviceBuffer ap;
    DeviceBuffer tmp;
    final DeviceBuffer diag;
    final DeviceBuffer gram;
    final double[] bNorm;
    long products;

    Run(ResidentRoutines dev, KernelFunction kernel, Matrix points, double sigma2, Matrix b, ConjugateGradientOptions o) {
      this.dev = dev;
      this.kernel = kernel;
      this.o = o;
      this.sigma2 = sigma2;
      this.t = points.dtype();
      this.n = points.rows();
      this.d = points.cols();
      this.k = b.cols();
      try {
        pts = put(kernel.scale(points));
        bb = put(b);
        x = o.initialGuess() == null ? alloc((long) n * k) : put(o.initialGuess());
        r = alloc((long) n * k);
        p = alloc((long) n * k);
        ap = alloc((long) n * k);
        tmp = alloc((long) n * k);
        diag = alloc((long) k * k);
        gram = alloc((long) k * k);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      bNorm = new double[k];
      double[] bb2 = columnSquares(bb);
      for (int j = 0; j < k; j++) {
        bNorm[j] = Math.sqrt(bb2[j]);
      }
    }

    private DeviceBuffer alloc(long length) {
      DeviceBuffer buf = dev.allocate(t, length);
      owned.add(buf);
      return buf;
    }

    /** Uploads a matrix compactly (row-major, ld = cols) in the solve's dtype. */
    private DeviceBuffer put(Matrix m) {
      Matrix c = m.toDType(t);
      int len = c.rows() * c.cols();
      DeviceBuffer buf = alloc(Math.max(1, len));
      if (t == DType.F32) {
        float[] a = new float[len];
        for (int i = 0; i < c.rows(); i++) {
          for (int j = 0; j < c.cols(); j++) {
            a[i * c.cols() + j] = (float) c.get(i, j);
          }
        }
        dev.upload(a, 0, buf, 0, len);
      } else {
        double[] a = new double[len];
        for (int i = 0; i < c.rows(); i++) {
          for (int j = 0; j < c.cols(); j++) {
            a[i * c.cols() + j] = c.get(i, j);
          }
        }
        dev.upload(a, 0, buf, 0, len);
      }
      return buf;
    }

    /** {@code out ← (K + σ²I)·in} for an n×k block: one kernel product, one axpy. */
    private void apply(DeviceBuffer in, DeviceBuffer out) {
      dev.kernelMultiply(kernel.radial(), n, n, d, k, pts, 0, d, pts, 0, d, in, 0, k, 0.0, out, 0, k);
      if (sigma2 != 0) {
        dev.axpy(n * k, sigma2, in, 0, out, 0);
      }
      products += k;
    }

    /** The k column inner products ⟨u_j, v_j⟩ of two n×k blocks: the diagonal of Uᵀ·V. */
    private double[] columnDots(DeviceBuffer u, DeviceBuffer v) {
      if (k == 1) {
        return new double[] {dev.dot(n, u, 0, v, 0)};
      }
      dev.gemm(true, false, k, k, n, 1.0, u, 0, k, v, 0, k, 0.0, gram, 0, k);
      double[] g = download(gram, k * k);
      double[] out = new double[k];
      for (int j = 0; j < k; j++) {
        out[j] = g[j * k + j];
      }
      return out;
    }

    private double[] columnSquares(DeviceBuffer u) {
      return columnDots(u, u);
    }

    private double[] download(DeviceBuffer buf, int len) {
      if (t == DType.F64) {
        double[] a = new double[len];
        dev.download(buf, 0, a, 0, len);
        return a;
      }
      float[] f = new float[len];
      dev.download(buf, 0, f, 0, len);
      double[] a = new double[len];
      for (int i = 0; i < len; i++) {
        a[i] = f[i];
      }
      return a;
    }

    /** {@code y ← y + c·u·diag(s)} on n×k blocks: per column y_j += c·s_j·u_j. */
    private void axpyColumns(double c, double[] s, DeviceBuffer u, DeviceBuffer y) {
      if (k == 1) {
        dev.axpy(n, c * s[0], u, 0, y, 0);
        return;
      }
      uploadDiagonal(s);
      dev.gemm(false, false, n, k, k, c, u, 0, k, diag, 0, k, 1.0, y, 0, k);
    }

    private void uploadDiagonal(double[] s) {
      if (t == DType.F64) {
        double[] a = new double[k * k];
        for (int j = 0; j < k; j++) {
          a[j * k + j] = s[j];
        }
        dev.upload(a, 0, diag, 0, k * k);
      } else {
        float[] a = new float[k * k];
        for (int j = 0; j < k; j++) {
          a[j * k + j] = (float) s[j];
        }
        dev.upload(a, 0, diag, 0, k * k);
      }
    }

    /** {@code r ← B − A·x}; returns the squared column norms of r. */
    private double[] trueResidual() {
      apply(x, ap);
      dev.copy(bb, 0, r, 0, (long) n * k);
      dev.axpy(n * k, -1.0, ap, 0, r, 0);
      return columnSquares(r);
    }

    private double relative(double squared, int j) {
      double norm = Math.sqrt(Math.max(0, squared));
      return bNorm[j] == 0 ? norm : norm / bNorm[j];
    }

    SolveResult solve() {
      List<Double> history = new ArrayList<>();
      int iterations = 0;
      int replacements = 0;
      double tol = o.tolerance();
      double[] rr;
      if (o.initialGuess() == null) {
        dev.copy(bb, 0, r, 0, (long) n * k);  // X₀ = 0: r = B without a product
        rr = columnSquares(r);
      } else {
        rr = trueResidual();
      }
      double[] rel = new double[k];
      StopReason reason;
      while (true) {
        // a cycle: CG from the current residual r (initially, or after a replacement)
        dev.copy(r, 0, p, 0, (long) n * k);
        boolean[] active = new boolean[k];
        double worst = 0;
        for (int j = 0; j < k; j++) {
          rel[j] = relative(rr[j], j);
          active[j] = rel[j] > tol;
          worst = Math.max(worst, rel[j]);
        }
        if (history.isEmpty()) {
          history.add(worst);
        }
        while (any(active) && iterations < o.maxIterations()) {
          apply(p, ap);
          double[] pap = columnDots(p, ap);
          double[] alpha = new double[k];
          for (int j = 0; j < k; j++) {
            if (!active[j]) {
              continue;
            }
            if (!Double.isFinite(pap[j])) {
              throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, NAME + ": the kernel product became " + pap[j]
                  + " in column " + j + " at iteration " + (iterations + 1) + ".", "Check the points and the kernel parameters.");
            }
            if (pap[j] <= 0) {
              throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, NAME + ": curvature pᵀ(K + σ²I)p = " + pap[j]
                  + " ≤ 0 in column " + j + " at iteration " + (iterations + 1) + ".",
                  "Use a positive definite kernel (not LAPLACE) or a larger noise variance σ².");
            }
            alpha[j] = rr[j] / pap[j];
          }
          axpyColumns(1.0, alpha, p, x);
          axpyColumns(-1.0, alpha, ap, r);
          double[] next = columnSquares(r);
          double[] beta = new double[k];
          worst = 0;
          for (int j = 0; j < k; j++) {
            if (active[j]) {
              beta[j] = next[j] / rr[j];
              rr[j] = next[j];
              rel[j] = relative(next[j], j);
              active[j] = rel[j] > tol;
            }
            worst = Math.max(worst, rel[j]);
          }
          iterations++;
          history.add(worst);
          o.listener().iteration(NAME, iterations, worst);
          // p ← r + p·diag(β): tmp = p·diag(β), tmp += r, swap
          if (k == 1) {
            dev.scal(n, beta[0], p, 0);
            dev.axpy(n, 1.0, r, 0, p, 0);
          } else {
            uploadDiagonal(beta);
            dev.gemm(false, false, n, k, k, 1.0, p, 0, k, diag, 0, k, 0.0, tmp, 0, k);
            dev.axpy(n * k, 1.0, r, 0, tmp, 0);
            DeviceBuffer s = p;
            p = tmp;
            tmp = s;
          }
        }
        // never trust the recurrence: recompute B − A·X
        rr = trueResidual();
        boolean ok = true;
        for (int j = 0; j < k; j++) {
          rel[j] = relative(rr[j], j);
          ok &= rel[j] <= tol;
        }
        if (ok) {
          reason = StopReason.CONVERGED;
          break;
        }
        if (iterations >= o.maxIterations()) {
          reason = StopReason.MAX_ITERATIONS;
          break;
        }
        if (replacements >= o.maxResidualReplacements()) {
          reason = StopReason.STAGNATED;
          break;
        }
        replacements++;
      }
      double[] sol = download(x, n * k);
      Matrix solution = Matrix.wrap(sol, n, k);
      double[] h = history.stream().mapToDouble(Double::doubleValue).toArray();
      return new SolveResult(solution, iterations, products, rel, h, reason == StopReason.CONVERGED, reason);
    }

    private static boolean any(boolean[] a) {
      for (boolean v : a) {
        if (v) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() {
      for (DeviceBuffer buf : owned) {
        buf.close();
      }
      owned.clear();
    }
  }
}
