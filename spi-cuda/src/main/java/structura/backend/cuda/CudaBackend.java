package structura.backend.cuda;

import java.util.Optional;
import structura.api.DType;
import structura.api.StructuraException;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.ResidentRoutines;
import structura.api.backend.RoutineFamily;

/**
 * The {@code cuda} backend: every routine family on device 0, GEMM, GEMV, batched GEMM, Gram and
 * Level 1 through cuBLAS, the elementwise and pairwise-kernel families through our PTX kernels, in
 * F32 and F64 (elementwise F32 only, as the SPI defines it), plus the device-resident extension
 * ({@link #resident()}, {@link CudaResident}).
 *
 * <p><b>Data movement.</b> Host-array routines copy the spans of their operands through reused
 * pinned staging ({@link HostStaging}) on the backend's stream and wait for the result; resident
 * routines work on device buffers and do not wait. <b>Threading:</b> one lock per backend
 * serialises calls (they share a stream, a cuBLAS handle and the staging) and makes the context
 * current on the calling thread; see {@link CudaContext}. {@link #close()} frees everything and
 * is idempotent.
 */
final class CudaBackend implements Backend {
  private final String detail;
  private final CudaContext context;
  private final PtxModuleLauncher launcher;
  private final String kernelsMissing;
  private final CudaGemm gemm;
  private final CudaGemv gemv;
  private final CudaGram gram;
  private final CudaLevel1 level1;
  private final CudaKernelRoutines kernelRoutines;
  private final CudaResident resident;

  CudaBackend(CudaDriver driver, CuBlas blas, int device, String detail) {
    this.detail = detail;
    this.context = new CudaContext(driver, blas, device);
    try {
      PtxModuleLauncher l = context.locked(() -> new PtxModuleLauncher(context));
      this.launcher = l;
      String[] why = {l.missingReason()};
      DeviceKernels kernels = l.available() ? kernelsFor(l, why) : null;
      this.kernelsMissing = why[0];
      this.gemm = new CudaGemm(context);
      this.gemv = new CudaGemv(context);
      this.gram = new CudaGram(context, kernels);
      this.level1 = new CudaLevel1(context);
      this.kernelRoutines = new CudaKernelRoutines(context, kernels, kernelsMissing);
      this.resident = new CudaResident(context, kernels, kernelsMissing);
      context.onClose(() -> {
        resident.close();
        l.close();
      });
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** Our kernels' typed wrapper over the loaded module, or null with {@code why[0]} set. */
  private static DeviceKernels kernelsFor(KernelLauncher launcher, String[] why) {
    try {
      return new PtxKernels(launcher);
    } catch (RuntimeException e) {
      why[0] = "kernels could not be set up: " + e;
      return null;
    }
  }

  @Override
  public String id() {
    return "cuda";
  }

  @Override
  public String describe() {
    return "CUDA " + detail + (kernelsMissing == null ? "; PTX kernels loaded" : "; " + kernelsMissing)
        + "; cuBLAS default math (no TF32)";
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return Optional.of(gemm);
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return Optional.of(gemv);
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.of(gemm);
  }

  @Override
  public Optional<GramRoutine> gram() {
    return Optional.of(gram);
  }

  @Override
  public Optional<Level1Routine> level1() {
    return Optional.of(level1);
  }

  /** Present even without kernels: calls then fail with B004 and the reason, rather than silently falling back. */
  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return Optional.of(kernelRoutines);
  }

  @Override
  public Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return Optional.of(kernelRoutines);
  }

  @Override
  public Optional<ResidentRoutines> resident() {
    return Optional.of(resident);
  }

  @Override
  public boolean supports(RoutineFamily family, DType dtype) {
    return family != RoutineFamily.ELEMENTWISE || dtype == DType.F32;
  }

  /** Why the PTX kernels are unavailable, or null when they are loaded. */
  String kernelsMissing() {
    return kernelsMissing;
  }

  @Override
  public void close() {
    try {
      context.close();
    } catch (StructuraException e) {
      // close must not throw; the device is going away anyway and the failure was the driver's
    }
  }
}
