package structura.benchmarks;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendRegistry;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * The same row-major operations through each implementation compared: the Structura
 * {@code vector} backend, the reference backend {@code java}, OpenBLAS (system libblas.so.3
 * through dev.ludovic.netlib's {@link NativeBLAS}) and EJML. Operands are allocated once and
 * reused; every call overwrites C (beta = 0).
 *
 * <p>OpenBLAS is column-major: a row-major m×n C is a column-major n×m matrix Cᵀ, so
 * {@code C = A·B} is computed as {@code Cᵀ = Bᵀ·Aᵀ}, that is {@code gemm("N", "N", n, m, k, B, A)}
 * on the untouched arrays. Likewise the Gram matrix XᵀX of a row-major k×n X is {@code M·Mᵀ} of
 * the column-major n×k view M, so {@code syrk("L", "N", n, k, X)}; OpenBLAS writes one triangle,
 * ours writes both.
 */
final class Peers {
  private Peers() {}

  /**
   * Opens a backend by id, strict, with {@code threads} workers; system properties
   * {@code structura.vector.*} (cache-block sizes) are passed on.
   */
  static Compute open(String id, int threads) {
    BackendProvider p = BackendRegistry.discover().find(id).orElseThrow().provider().orElseThrow();
    if (!p.probe().isAvailable()) {
      throw new IllegalStateException("backend " + id + " unavailable: " + p.probe().summary()
          + " (run with --add-modules jdk.incubator.vector)");
    }
    BackendConfig.Builder b = BackendConfig.builder().backend(id).strict(true).threads(threads);
    // Blocking experiments: -Dstructura.vector.f32.kc=384 and the like reach the backend.
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("structura.vector."))
        .forEach(k -> b.property(k, System.getProperty(k)));
    return Compute.of(p.open(b.build()), true);
  }

  /** NativeBLAS (OpenBLAS when libblas.so.3 points at it); throws with the reason otherwise. */
  static NativeBLAS openBlas() {
    return NativeBLAS.getInstance();
  }

  /**
   * Sets OpenBLAS's thread count through its C entry point {@code openblas_set_num_threads}
   * (Foreign Function API), in addition to the {@code OPENBLAS_NUM_THREADS} environment variable
   * the scripts set: a JMH fork inherits the parent's environment, so the {@code threads}
   * parameter has to reach OpenBLAS in-process. libblas.so.3 of Debian's OpenBLAS links
   * libopenblas.so.0, so both names resolve to the one loaded instance.
   *
   * @return the thread count OpenBLAS reports afterwards
   */
  static int openBlasThreads(int threads) {
    openBlas();  // make sure netlib has loaded the library first
    try {
      java.lang.foreign.SymbolLookup lib = java.lang.foreign.SymbolLookup.libraryLookup("libopenblas.so.0", java.lang.foreign.Arena.global());
      java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
      java.lang.invoke.MethodHandle set = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
          java.lang.foreign.FunctionDescriptor.ofVoid(java.lang.foreign.ValueLayout.JAVA_INT));
      java.lang.invoke.MethodHandle get = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
          java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));
      set.invokeExact(threads);
      return (int) get.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot set the OpenBLAS thread count (is libopenblas.so.0 installed? "
          + "apt-get install libopenblas-dev): " + e, e);
    }
  }

  /**
   * OpenBLAS's {@code openblas_get_corename()}: the kernel family in use (for example
   * {@code Zen}, {@code Haswell}, {@code SkylakeX}); with {@code OPENBLAS_CORETYPE} set it names
   * the forced kernel, so a run states which peer it beat.
   */
  static String openBlasCoreName() {
    return openBlasString("openblas_get_corename");
  }

  /** OpenBLAS's {@code openblas_get_config()}: version and build options. */
  static String openBlasConfig() {
    return openBlasString("openblas_get_config");
  }

  private static String openBlasString(String function) {
    openBlas();
    try {
      java.lang.foreign.SymbolLookup lib = java.lang.foreign.SymbolLookup.libraryLookup("libopenblas.so.0", java.lang.foreign.Arena.global());
      java.lang.invoke.MethodHandle get = java.lang.foreign.Linker.nativeLinker().downcallHandle(lib.find(function).orElseThrow(),
          java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS));
      java.lang.foreign.MemorySegment s = (java.lang.foreign.MemorySegment) get.invokeExact();
      return s.reinterpret(4096).getString(0).trim();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot call " + function + " of libopenblas.so.0: " + e, e);
    }
  }

  /** Operands of C = A·B, F32 or F64, row-major compact. */
  static final class Gemm {
    final int m;
    final int k;
    final int n;
    final boolean f32;
    float[] fa;
    float[] fb;
    float[] fc;
    double[] da;
    double[] db;
    double[] dc;

    Gemm(boolean f32, int m, int k, int n, long seed) {
      this.f32 = f32;
      this.m = m;
      this.k = k;
      this.n = n;
      SplittableRandom r = new SplittableRandom(seed);
      if (f32) {
        fa = new float[m * k];
        fb = new float[k * n];
        fc = new float[m * n];
        for (int i = 0; i < fa.length; i++) {
          fa[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < fb.length; i++) {
          fb[i] = (float) r.nextDouble(-1, 1);
        }
      } else {
        da = new double[m * k];
        db = new double[k * n];
        dc = new double[m * n];
        for (int i = 0; i < da.length; i++) {
          da[i] = r.nextDouble(-1, 1);
        }
        for (int i = 0; i < db.length; i++) {
          db[i] = r.nextDouble(-1, 1);
        }
      }
    }

    double flops() {
      return 2.0 * m * n * k;
    }

    void structura(Compute c) {
      if (f32) {
        c.gemm(Transpose.N, Transpose.N, 1, Matrix.wrap(fa, m, k), Matrix.wrap(fb, k, n), 0, Matrix.wrap(fc, m, n));
      } else {
        c.gemm(Transpose.N, Transpose.N, 1, Matrix.wrap(da, m, k), Matrix.wrap(db, k, n), 0, Matrix.wrap(dc, m, n));
      }
    }

    void openBlas(NativeBLAS blas) {
      if (f32) {
        blas.sgemm("N", "N", n, m, k, 1f, fb, n, fa, k, 0f, fc, n);
      } else {
        blas.dgemm("N", "N", n, m, k, 1d, db, n, da, k, 0d, dc, n);
      }
    }

    void ejml(int threads) {
      if (f32) {
        FMatrixRMaj a = FMatrixRMaj.wrap(m, k, fa);
        FMatrixRMaj b = FMatrixRMaj.wrap(k, n, fb);
        FMatrixRMaj c = FMatrixRMaj.wrap(m, n, fc);
        if (threads > 1) {
          CommonOps_MT_FDRM.mult(a, b, c);
        } else {
          CommonOps_FDRM.mult(a, b, c);
        }
      } else {
        DMatrixRMaj a = DMatrixRMaj.wrap(m, k, da);
        DMatrixRMaj b = DMatrixRMaj.wrap(k, n, db);
        DMatrixRMaj c = DMatrixRMaj.wrap(m, n, dc);
        if (threads > 1) {
          CommonOps_MT_DDRM.mult(a, b, c);
        } else {
          CommonOps_DDRM.mult(a, b, c);
        }
      }
    }

    /** A copy of C (as doubles), to compare one implementation's result with another's. */
    double[] copyOfC() {
      double[] out = new double[m * n];
      for (int i = 0; i < out.length; i++) {
        out[i] = f32 ? fc[i] : dc[i];
      }
      return out;
    }

    /**
     * max_ij |C_ij − other_ij| / max_ij |other_ij|: the difference between the current C and
     * {@code other} relative to the size of the entries (an entrywise relative difference is
     * meaningless for the entries of a random product that are near zero).
     */
    double maxRelativeDifference(double[] other) {
      double diff = 0;
      double scale = 0;
      for (int i = 0; i < other.length; i++) {
        double c = f32 ? fc[i] : dc[i];
        diff = Math.max(diff, Math.abs(c - other[i]));
        scale = Math.max(scale, Math.abs(other[i]));
      }
      return scale == 0 ? diff : diff / scale;
    }

    /** A cheap checksum of C so the work cannot be optimised away and results can be compared. */
    double checksum() {
      double s = 0;
      if (f32) {
        for (int i = 0; i < fc.length; i += 97) {
          s += fc[i];
        }
      } else {
        for (int i = 0; i < dc.length; i += 97) {
          s += dc[i];
        }
      }
      return s;
    }
  }

  /** Operands of the F32 Gram matrix C = XᵀX of a rows×n sample matrix X. */
  static final class Gram {
    final int rows;
    final int n;
    final float[] x;
    final float[] c;

    Gram(int rows, int n, long seed) {
      this.rows = rows;
      this.n = n;
      SplittableRandom r = new SplittableRandom(seed);
      x = new float[rows * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextDouble(-1, 1);
      }
      c = new float[n * n];
    }

    /** Useful flops of one triangle: n(n+1)k, as syrk counts them. */
    double flops() {
      return (double) n * (n + 1) * rows;
    }

    void structura(Compute compute) {
      compute.gram(Transpose.T, 1, Matrix.wrap(x, rows, n), 0, Matrix.wrap(c, n, n));
    }

    void openBlas(NativeBLAS blas) {
      blas.ssyrk("L", "N", n, rows, 1f, x, n, 0f, c, n);
    }

    void ejml(int threads) {
      FMatrixRMaj a = FMatrixRMaj.wrap(rows, n, x);
      FMatrixRMaj out = FMatrixRMaj.wrap(n, n, c);
      if (threads > 1) {
        CommonOps_MT_FDRM.multInner(a, out);
      } else {
        CommonOps_FDRM.multInner(a, out);
      }
    }
  }
}
