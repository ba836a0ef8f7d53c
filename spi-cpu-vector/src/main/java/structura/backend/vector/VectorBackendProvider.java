package structura.backend.vector;

import java.util.List;
import java.util.Optional;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;

/**
 * Provider of the {@code vector} backend: BLAS-like routines on the JDK Vector API
 * ({@code jdk.incubator.vector}), multithreaded. Priority {@link BackendPriority#CPU_SIMD}, so
 * automatic selection prefers it to the reference backend {@code java}.
 *
 * <p>The constructor and the identity methods do nothing. {@link #probe()} first checks that the
 * incubator module is in the boot layer and readable by this module, and only then touches the
 * Vector API (through {@link Simd}, Lucene's holder-class pattern); it requires a preferred
 * species of at least 128 bits and reports the width and whether the JVM uses FMA instructions.
 * A class-path application that did not pass {@code --add-modules jdk.incubator.vector} gets
 * "unavailable" with that remedy, never a crash.
 */
public final class VectorBackendProvider implements BackendProvider {
  static final String ID = "vector";
  private static final String MODULE = "jdk.incubator.vector";

  /** Cheap; does no I/O and does not touch the Vector API. */
  public VectorBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "SIMD CPU (Vector API)";
  }

  @Override
  public int priority() {
    return BackendPriority.CPU_SIMD;
  }

  @Override
  public Availability probe() {
    try {
      Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
      if (vector.isEmpty()) {
        return Availability.unavailable("module " + MODULE + " is not in the boot layer (incubator modules are not "
                + "resolved by default for class-path applications).",
            "Add --add-modules " + MODULE + " to the java command line (or to JDK_JAVA_OPTIONS).",
            "Or select --backend java; auto skips this backend.");
      }
      if (!getClass().getModule().canRead(vector.get())) {
        return Availability.unavailable("module " + getClass().getModule().getName() + " cannot read " + MODULE + ".",
            "Add --add-modules " + MODULE + " and --add-reads " + getClass().getModule().getName() + "=" + MODULE
                + " to the java command line.",
            "Or select --backend java; auto skips this backend.");
      }
      // Only now is it safe to initialise the species holder.
      int bits = Simd.bits();
      if (bits < 128) {
        return Availability.unavailable("the preferred vector species is only " + bits
                + " bits wide (no usable SIMD on this CPU or JVM, for example -XX:UseAVX=0 or an interpreter-only VM).",
            "Use --backend java; with under 128-bit vectors it is as fast.",
            "On x86, do not restrict -XX:UseAVX / -XX:UseSSE.");
      }
      return Availability.available(detail(bits));
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable("probing the Vector API failed: " + e, e,
          "Add --add-modules " + MODULE + " to the java command line, on a JDK 25 or newer.",
          "Or select --backend java; auto skips this backend.");
    }
  }

  static String detail(int bits) {
    return bits + "-bit vectors (" + Simd.FLOAT.length() + " x F32, " + Simd.DOUBLE.length() + " x F64) on "
        + System.getProperty("os.arch") + ", FMA " + fmaReport();
  }

  /**
   * Whether the JVM emits fused multiply-add instructions, from the HotSpot flag UseFMA (as
   * Lucene's {@code Constants.HAS_FAST_VECTOR_FMA} does). Without it {@code fma} is emulated
   * and the kernels run several times slower.
   */
  private static String fmaReport() {
    if (ModuleLayer.boot().findModule("jdk.management").isEmpty()) {
      return "unknown (module jdk.management absent)";
    }
    try {
      var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      boolean fma = Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
      return fma ? "fast (UseFMA=true)" : "slow: emulated (UseFMA=false)";
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
  }

  @Override
  public Backend open(BackendConfig config) {
    Availability a = probe();
    if (a instanceof Availability.Unavailable u) {
      throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, ID, u.reason(),
          String.join(" ", u.remedies()), List.of(), u.cause());
    }
    try {
      return new VectorBackend(config, a.summary());
    } catch (LinkageError e) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "opening the vector backend failed: " + e,
          "Run with --add-modules jdk.incubator.vector on a JDK 25 or newer, or select --backend java.", e);
    }
  }
}
