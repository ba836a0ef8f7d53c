package structura.api.backend;

import java.util.Optional;
import structura.api.DType;

/**
 * An opened backend: the set of routine implementations a {@link BackendProvider} supplies.
 * Users do not call routines on a {@code Backend} directly; they go through {@link Compute},
 * which validates arguments and falls back to the reference routine for what is missing.
 *
 * <p><b>Contract for implementers.</b> Each accessor returns the routine family this backend
 * implements, or empty to use the reference routine (a one-time warning, or an error in strict
 * mode). {@link #supports} can refuse a precision of an implemented family (an OpenCL device
 * without fp64, say). Routines receive pre-validated arguments and must be thread-safe.
 * {@link #close()} releases native resources and is idempotent.
 */
public interface Backend extends AutoCloseable {
  /** The provider's id, for example {@code "vector"}. */
  String id();

  /** One line for logs and {@code structura backends}: device, threads, SIMD width. */
  String describe();

  /**
   * Host threads this backend's routines run on: {@link BackendConfig#threads()} for a
   * multithreaded CPU backend, 1 (the default) otherwise. Algorithms that could run independent
   * host work beside a routine (the look-ahead panel of a blocked QR) do so only when this is at
   * least 2, so that a one-thread configuration stays on one thread.
   */
  default int hostThreads() {
    return 1;
  }

  /** General matrix multiply, or empty for the reference routine. */
  default Optional<GemmRoutine> gemm() {
    return Optional.empty();
  }

  /** Matrix-vector multiply, or empty for the reference routine. */
  default Optional<GemvRoutine> gemv() {
    return Optional.empty();
  }

  /** Strided batched GEMM, or empty for the reference routine. */
  default Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.empty();
  }

  /** Gram / symmetric rank-k update, or empty for the reference routine. */
  default Optional<GramRoutine> gram() {
    return Optional.empty();
  }

  /** Dot, axpy and scal, or empty for the reference routine. */
  default Optional<Level1Routine> level1() {
    return Optional.empty();
  }

  /** Transformer elementwise routines (softmax, GELU, norms), or empty for the reference routine. */
  default Optional<ElementwiseRoutine> elementwise() {
    return Optional.empty();
  }

  /**
   * Fused attention ({@link AttentionRoutine}), or empty: then {@link Compute#attention} composes
   * it from this backend's batched GEMM and softmax ({@link ComposedAttention}). Not a
   * {@link RoutineFamily}: a backend without it loses nothing but speed, in strict mode too.
   */
  default Optional<AttentionRoutine> attention() {
    return Optional.empty();
  }

  /** Kernel-matrix products ({@link PairwiseKernelRoutine}, {@link RoutineFamily#PAIRWISE_KERNEL}), or empty for the reference routine. */
  default Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return Optional.empty();
  }

  /**
   * Device-resident memory and routines on it ({@link ResidentRoutines}), for work that keeps its
   * matrices on the device between calls; empty for backends whose routines take host arrays
   * only. The instance lives as long as this backend and is closed with it.
   */
  default Optional<ResidentRoutines> resident() {
    return Optional.empty();
  }

  /**
   * Whether this backend runs {@code family} in {@code dtype}. The default says yes exactly
   * when the family's accessor is present.
   */
  default boolean supports(RoutineFamily family, DType dtype) {
    return switch (family) {
      case GEMM -> gemm().isPresent();
      case GEMV -> gemv().isPresent();
      case BATCHED_GEMM -> batchedGemm().isPresent();
      case GRAM -> gram().isPresent();
      case LEVEL1 -> level1().isPresent();
      case ELEMENTWISE -> elementwise().isPresent() && dtype == DType.F32;
      case PAIRWISE_KERNEL -> pairwiseKernel().isPresent();
    };
  }

  /** Releases resources; idempotent. Does not throw checked exceptions. */
  @Override
  void close();
}
