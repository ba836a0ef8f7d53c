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
 * The reference routines behind a backend that reports a chosen number of host threads, so that
 * algorithms take their multithreaded host-side paths (the QR's look-ahead panel, the row ranges of
 * {@link RowRanges} in the selections and statistics) on that many threads while every product is
 * the same plain reference loop, independent of the vector backend.
 */
public final class ReferenceThreads implements Backend {
  private final Backend reference = Compute.reference().backend();
  private final int threads;

  private ReferenceThreads(int threads) {
    this.threads = threads;
  }

  /** A strict {@link Compute} over the reference routines reporting {@code threads} host threads. */
  public static Compute open(int threads) {
    return Compute.of(new ReferenceThreads(threads), true);
  }

  @Override
  public String id() {
    return "reference-" + threads;
  }

  @Override
  public String describe() {
    return "reference routines, " + threads + " host threads";
  }

  @Override
  public int hostThreads() {
    return threads;
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
