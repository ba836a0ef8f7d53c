package structura.algorithms.linalg;

import java.util.Optional;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.Compute;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;

/**
 * The reference routines behind a backend that reports two host threads, so that algorithms take
 * their multithreaded paths (the QR's look-ahead panel) while every product is computed by the
 * plain reference loops, independently of the vector backend.
 */
final class TwoThreadReference implements Backend {
  private final Backend reference = Compute.reference().backend();

  /** A strict {@link Compute} over this backend. */
  static Compute open() {
    return Compute.of(new TwoThreadReference(), true);
  }

  @Override
  public String id() {
    return "reference-2";
  }

  @Override
  public String describe() {
    return "reference routines, two host threads";
  }

  @Override
  public int hostThreads() {
    return 2;
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return reference.gemm();
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return reference.gemv();
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return reference.batchedGemm();
  }

  @Override
  public Optional<GramRoutine> gram() {
    return reference.gram();
  }

  @Override
  public Optional<Level1Routine> level1() {
    return reference.level1();
  }

  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return reference.elementwise();
  }

  @Override
  public Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return reference.pairwiseKernel();
  }

  @Override
  public void close() {}
}
