package structura.algorithms.spectral;

import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/** The compute backend of partition work. Package-private. */
final class Engines {
  private Engines() {}

  /** Opened on first use in each JVM (driver or worker): a {@link Compute} does not travel with a task. */
  private static final class Holder {
    static final Compute COMPUTE = Compute.open(BackendConfig.builder().build());
  }

  /**
   * The backend for partition products in this JVM: the usual selection (system property,
   * environment, else the highest-priority available backend), so a worker with the vector backend
   * on its path uses it. Opened once per JVM, logging its one selection line, and never closed;
   * shared by the partition threads (backends hold no per-call state).
   */
  static Compute compute() {
    return Holder.COMPUTE;
  }
}
