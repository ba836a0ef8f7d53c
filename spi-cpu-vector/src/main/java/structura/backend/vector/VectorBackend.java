package structura.backend.vector;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.AttentionRoutine;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ComposedAttention;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.Setting;

/**
 * The opened {@code vector} backend: every routine family in F32 and F64 on the Vector API
 * (ELEMENTWISE in F32 only, as the SPI defines it), run on a pool of {@link BackendConfig#threads()} daemon threads. Thread-safe; several may be
 * open at once (no shared state). {@link #close()} shuts the pool down and is idempotent.
 *
 * <p>Cache blocking can be overridden for experiments with the properties
 * {@code structura.vector.f32.mc|kc|nc} and {@code structura.vector.f64.mc|kc|nc} (set
 * programmatically with {@link BackendConfig.Builder#property}); the defaults are measured in
 * {@code docs/design-notes.md}, section "Vector backend".
 */
final class VectorBackend implements Backend {
  /** Defaults, see docs/design-notes.md "Vector backend". */
  static final int F32_MC = 144;
  static final int F32_KC = 384;
  static final int F32_NC = 3072;
  static final int F64_MC = 144;
  static final int F64_KC = 384;
  static final int F64_NC = 1536;

  private final Parallel parallel;
  private final VectorRoutines routines;
  private final F32Elementwise elementwise;
  private final F32Attention attention;
  private final VectorPairwiseKernel pairwise;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  VectorBackend(BackendConfig config, String probeDetail) {
    int threads = config.threads().value();
    this.parallel = new Parallel(threads);
    F32Gemm s = new F32Gemm(parallel, size(config, "f32.mc", F32_MC), size(config, "f32.kc", F32_KC), size(config, "f32.nc", F32_NC));
    F64Gemm d = new F64Gemm(parallel, size(config, "f64.mc", F64_MC), size(config, "f64.kc", F64_KC), size(config, "f64.nc", F64_NC));
    this.routines = new VectorRoutines(parallel, s, d, size(config, "f64.kc", F64_KC));
    this.elementwise = new F32Elementwise(parallel);
    this.attention = new F32Attention(parallel, new ComposedAttention(routines, elementwise), size(config, "f32.kc", F32_KC));
    this.pairwise = new VectorPairwiseKernel(parallel);
    this.description = "vector: " + probeDetail + ", " + threads + (threads == 1 ? " thread" : " threads")
        + "; sgemm " + s.blocking() + "; dgemm " + d.blocking();
  }

  private static int size(BackendConfig config, String name, int fallback) {
    String key = "structura.vector." + name;
    Optional<Setting<String>> s = config.property(key);
    if (s.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(s.get().value().trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new StructuraException(ErrorCode.INVALID_CONFIGURATION,
        "'" + s.get().value() + "' is not a valid value for " + key + " (from " + s.get().origin() + ").",
        "Use a positive integer, or unset it to use the default " + fallback + ".");
  }

  /** Prefix of this backend's worker thread names (tests). */
  String threadNamePrefix() {
    return parallel.threadNamePrefix();
  }

  @Override
  public String id() {
    return VectorBackendProvider.ID;
  }

  @Override
  public int hostThreads() {
    return parallel.threads();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return Optional.of(routines);
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return Optional.of(routines);
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.of(routines);
  }

  @Override
  public Optional<GramRoutine> gram() {
    return Optional.of(routines);
  }

  @Override
  public Optional<Level1Routine> level1() {
    return Optional.of(routines);
  }

  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return Optional.of(elementwise);
  }

  @Override
  public Optional<AttentionRoutine> attention() {
    return Optional.of(attention);
  }

  @Override
  public Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return Optional.of(pairwise);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      parallel.close();
    }
  }
}
