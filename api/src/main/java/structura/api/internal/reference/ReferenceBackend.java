package structura.api.internal.reference;

import java.util.Optional;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;

/** The reference backend: every routine family, as plain single-threaded loops. Stateless. */
public final class ReferenceBackend implements Backend {
  private static final ReferenceRoutines ROUTINES = new ReferenceRoutines();

  @Override
  public String id() {
    return ReferenceBackendProvider.ID;
  }

  @Override
  public String describe() {
    return "java: plain Java loops, 1 thread";
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return Optional.of(ROUTINES);
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return Optional.of(ROUTINES);
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.of(ROUTINES);
  }

  @Override
  public Optional<GramRoutine> gram() {
    return Optional.of(ROUTINES);
  }

  @Override
  public Optional<Level1Routine> level1() {
    return Optional.of(ROUTINES);
  }

  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return Optional.of(ReferenceElementwise.INSTANCE);
  }

  @Override
  public Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return Optional.of(ReferencePairwiseKernel.INSTANCE);
  }

  @Override
  public void close() {
    // nothing to release
  }
}
