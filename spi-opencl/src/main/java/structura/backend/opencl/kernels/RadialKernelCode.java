package structura.backend.opencl.kernels;

import structura.api.backend.RadialKernel;

/**
 * The integer codes by which {@link F32PairwiseKernel} and {@link F64PairwiseKernel} select a
 * {@link RadialKernel.Kind}: Aparapi kernels see only primitive fields, so the enum travels as
 * one of these compile-time constants (inlined into the kernel's bytecode).
 */
public final class RadialKernelCode {
  /** σ²·exp(−r²/2). */
  public static final int GAUSSIAN = 0;
  /** σ²·exp(−r) (exponential and Matérn ν = 1/2). */
  public static final int EXPONENTIAL = 1;
  /** σ²·(1 + √3·r)·exp(−√3·r). */
  public static final int MATERN_32 = 2;
  /** σ²·(1 + √5·r + 5r²/3)·exp(−√5·r). */
  public static final int MATERN_52 = 3;
  /** σ²·(1 + r²/(2α))^(−α). */
  public static final int RATIONAL_QUADRATIC = 4;
  /** σ²/(1 + r²). */
  public static final int CAUCHY = 5;
  /** σ²/r, and 0 at r = 0. */
  public static final int LAPLACE = 6;

  private RadialKernelCode() {}

  /** The code of {@code kind}; exhaustive, so a new kind fails compilation here rather than running the wrong formula. */
  public static int of(RadialKernel.Kind kind) {
    return switch (kind) {
      case GAUSSIAN -> GAUSSIAN;
      case EXPONENTIAL, MATERN_12 -> EXPONENTIAL;
      case MATERN_32 -> MATERN_32;
      case MATERN_52 -> MATERN_52;
      case RATIONAL_QUADRATIC -> RATIONAL_QUADRATIC;
      case CAUCHY -> CAUCHY;
      case LAPLACE -> LAPLACE;
    };
  }
}
