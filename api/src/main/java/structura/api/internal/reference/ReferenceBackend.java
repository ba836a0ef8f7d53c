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
import structura.api.backend.ResidentRoutines;

/**
 * The reference backend: every routine family, as plain single-threaded loops. Stateless apart
 * from its {@link ReferenceResident} (host arrays standing in for device memory).
 */
public final class ReferenceBackend implements Backend {
  private static final ReferenceRoutines ROUTINES = new ReferenceRoutines();
  private final ReferenceResident resident = new ReferenceResident();

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

  /** Host-memory resident routines, results identical to this backend's host routines. */
  @Override
  public Optional<ResidentRoutines> resident() {
    return Optional.of(resident);
  }

  @Override
  public void close() {
    // nothing to release
  }
}
