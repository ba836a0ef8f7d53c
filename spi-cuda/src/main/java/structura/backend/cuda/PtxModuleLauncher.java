package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The {@link KernelLauncher} of the CUDA backend: our PTX module (classpath resource
 * {@value #PTX_RESOURCE}, JIT-compiled by the driver at open) and its functions, looked up once
 * by name and cached; launches go to the context's stream. Callers hold the context's lock.
 *
 * <p>When the jar carries no PTX (a build without the kernels), or the driver cannot JIT it, the
 * launcher still exists: every launch then fails with {@code STRUCTURA-B004} saying why, while the
 * cuBLAS routines keep working.
 */
final class PtxModuleLauncher implements KernelLauncher, AutoCloseable {
  /** Where the build puts the PTX. */
  static final String PTX_RESOURCE = "/structura/backend/cuda/structura_kernels.ptx";

  private final CudaContext context;
  private final MemorySegment module;
  /** Why there is no module, or null when there is one. */
  private final String missing;
  private final Map<String, MemorySegment> functions = new HashMap<>();

  /** Loads the module if the resource exists; never throws for a missing or unloadable PTX. */
  PtxModuleLauncher(CudaContext context) {
    this.context = context;
    MemorySegment m = null;
    String why = null;
    byte[] ptx = readPtx();
    if (ptx == null) {
      why = "kernels missing from the jar: the resource " + PTX_RESOURCE + " is absent (built without the CUDA kernels)";
    } else {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment image = arena.allocate(ptx.length + 1L);
        MemorySegment.copy(ptx, 0, image, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, ptx.length);
        image.set(java.lang.foreign.ValueLayout.JAVA_BYTE, ptx.length, (byte) 0);  // PTX is a C string
        m = context.driver.moduleLoadData(image);
      } catch (StructuraException e) {
        why = "kernels could not be loaded: " + e.detail();
      }
    }
    this.module = m;
    this.missing = why;
  }

  /** Whether kernels can be launched. */
  boolean available() {
    return module != null;
  }

  /** Why kernels cannot be launched, or null. */
  String missingReason() {
    return missing;
  }

  @Override
  public void launch(String function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
      int sharedBytes, Object... args) {
    if (module == null) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA kernel " + function + " cannot run: " + missing + ".",
          "Use a structura-backend-cuda jar built with the kernels (nvcc present at build time), or --backend vector.");
    }
    MemorySegment f = functions.computeIfAbsent(function, name -> context.driver.moduleGetFunction(module, name));
    try (Arena arena = Arena.ofConfined()) {
      context.driver.launchKernel(f, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, context.stream,
          marshal(arena, args));
    }
  }

  /**
   * The {@code void**} array {@code cuLaunchKernel} takes: one pointer per argument, each to a
   * slot holding the value in its C type (Integer → int, Long → 64-bit, Float → float, Double →
   * double). The slots live in {@code arena}; the driver copies them at launch.
   */
  static MemorySegment marshal(Arena arena, Object... args) {
    MemorySegment params = arena.allocate(ADDRESS, Math.max(1, args.length));
    for (int i = 0; i < args.length; i++) {
      MemorySegment slot = switch (args[i]) {
        case Integer v -> arena.allocateFrom(JAVA_INT, v);
        case Long v -> arena.allocateFrom(JAVA_LONG, v);
        case Float v -> arena.allocateFrom(JAVA_FLOAT, v);
        case Double v -> arena.allocateFrom(JAVA_DOUBLE, v);
        case null -> throw new IllegalArgumentException("kernel argument " + i + " is null");
        default -> throw new IllegalArgumentException("kernel argument " + i + " has unsupported type "
            + args[i].getClass().getName() + " (Integer, Long, Float or Double)");
      };
      params.setAtIndex(ADDRESS, i, slot);
    }
    return params;
  }

  private static byte[] readPtx() {
    try (InputStream in = PtxModuleLauncher.class.getResourceAsStream(PTX_RESOURCE)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (module != null) {
      context.driver.moduleUnload(module);
    }
  }
}
