package structura.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * One GPU as the backend uses it: device 0's primary context, one stream, one cuBLAS handle bound
 * to that stream, the pinned staging of host calls ({@link HostStaging}) and host scratch for
 * cuBLAS's scalars.
 *
 * <p><b>Threading.</b> Everything queued goes to the one stream, and the staging buffers and the
 * cuBLAS handle are shared, so {@link #locked} serialises callers with one lock per backend and
 * makes the context current on the calling thread first (the driver's current context is per
 * thread, and FFM calls run on the caller's thread). Routines on host arrays are synchronous:
 * they wait for the stream before releasing the lock. The primary context (rather than
 * {@code cuCtxCreate}, whose symbol changed across versions) is the one the CUDA runtime and
 * therefore cuBLAS use, so both share it.
 */
final class CudaContext implements AutoCloseable {
  final CudaDriver driver;
  final CuBlas blas;
  final int device;
  final MemorySegment ctx;
  final MemorySegment stream;
  final MemorySegment blasHandle;
  /** 24 bytes of host scratch for alpha, beta and a dot result (guarded by the lock). */
  final MemorySegment scalars;
  final HostStaging staging;
  private final Arena arena = Arena.ofShared();
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;
  /** Run first by {@link #close}, with the context current (the resident scratch frees itself). */
  private Runnable beforeClose = () -> { };

  /** Retains the primary context of {@code device} and creates the stream and cuBLAS handle. */
  CudaContext(CudaDriver driver, CuBlas blas, int device) {
    this.driver = driver;
    this.blas = blas;
    this.device = device;
    this.ctx = driver.primaryCtxRetain(device);
    MemorySegment s = null;
    MemorySegment h = null;
    try {
      driver.ctxSetCurrent(ctx);
      s = driver.streamCreate();
      h = blas.create();
      blas.setStream(h, s);
      blas.setMathMode(h, CuBlas.DEFAULT_MATH);
    } catch (RuntimeException e) {
      try {
        if (h != null) {
          blas.destroy(h);
        }
        if (s != null) {
          driver.streamDestroy(s);
        }
        driver.primaryCtxRelease(device);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.stream = s;
    this.blasHandle = h;
    this.scalars = CuBlas.scalars(arena);
    this.staging = new HostStaging(driver, stream);
  }

  /** Runs {@code work} holding the lock with the context current on this thread. */
  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new StructuraException(ErrorCode.BACKEND_FAILED, "the CUDA backend is closed.",
            "Open a new backend (Compute) instead of using a closed one.");
      }
      driver.ctxSetCurrent(ctx);
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} like {@link #lockedRun}, or does nothing once the context is closed: a
   * buffer closed after its backend has nothing left to free (the context took its memory).
   */
  void lockedIfOpen(Runnable work) {
    lock.lock();
    try {
      if (!closed) {
        driver.ctxSetCurrent(ctx);
        work.run();
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@link #locked(Supplier)} for work without a result. */
  void lockedRun(Runnable work) {
    locked(() -> {
      work.run();
      return null;
    });
  }

  /** Sets what {@link #close} runs first (one hook: the backend's). */
  void onClose(Runnable hook) {
    this.beforeClose = hook;
  }

  void synchronize() {
    driver.streamSynchronize(stream);
  }

  /** Frees the staging, the handle and the stream, and releases the primary context; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RuntimeException first = null;
      try {
        driver.ctxSetCurrent(ctx);
        driver.streamSynchronize(stream);
      } catch (RuntimeException e) {
        first = e;
      }
      for (Runnable step : new Runnable[] {beforeClose, staging::close, () -> blas.destroy(blasHandle),
          () -> driver.streamDestroy(stream), () -> driver.primaryCtxRelease(device)}) {
        try {
          step.run();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      arena.close();
      if (first != null) {
        throw first;
      }
    } finally {
      lock.unlock();
    }
  }
}
