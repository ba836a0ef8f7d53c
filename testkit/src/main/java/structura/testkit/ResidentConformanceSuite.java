package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Backend;
import structura.api.backend.Compute;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentRoutines;
import structura.api.backend.Transpose;
import structura.testkit.TestData.Layout;

/**
 * Conformance of a backend's {@link ResidentRoutines} ({@code Backend.resident()}): every method
 * on seeded {@link TestData}, in F32 and F64 where the method allows, against the <em>host</em>
 * routines of the reference backend ({@link Compute#reference()}) on the same data, with the
 * {@link Tolerances} accumulation bounds of the {@link Oracle} where a sum is involved. Host
 * matrices are uploaded whole (guards included) and downloaded whole, so offsets, leading
 * dimensions larger than the column count and writes outside a view are all checked. It also
 * checks zero-filled allocation, queue ordering over a chain of calls with one final download,
 * the error codes of invalid calls, and that closing a buffer twice is harmless.
 *
 * <p>Skipped with the probe's reason when the backend is unavailable (see {@link BackendSuite});
 * fails when an available backend offers no resident routines.
 */
public abstract class ResidentConformanceSuite extends BackendSuite {
  /** The resident routines under test. */
  protected ResidentRoutines resident;
  private final Compute host = Compute.reference();
  private final List<DeviceBuffer> buffers = new ArrayList<>();

  @BeforeAll
  final void openResident() {
    Backend b = compute.backend();
    resident = b.resident().orElse(null);
    if (resident == null) {
      fail("backend '" + b.id() + "' offers no ResidentRoutines (Backend.resident() is empty); "
          + "run ResidentConformanceSuite only for backends that implement the extension.");
    }
  }

  @AfterEach
  final void closeBuffers() {
    for (DeviceBuffer b : buffers) {
      b.close();
    }
    buffers.clear();
  }

  // ---- host ↔ device helpers -----------------------------------------------------------------

  private DeviceBuffer allocate(DType dtype, long length) {
    DeviceBuffer b = resident.allocate(dtype, length);
    buffers.add(b);
    return b;
  }

  /** A buffer holding the whole backing array of {@code m} (guards included), so m's offset and ld apply to it. */
  private DeviceBuffer put(Matrix m) {
    if (m.dtype() == DType.F32) {
      DeviceBuffer b = allocate(DType.F32, m.f32().length);
      resident.upload(m.f32(), 0, b, 0, m.f32().length);
      return b;
    }
    DeviceBuffer b = allocate(DType.F64, m.f64().length);
    resident.upload(m.f64(), 0, b, 0, m.f64().length);
    return b;
  }

  /** The whole buffer downloaded, viewed as {@code like} (same offset, shape and ld). */
  private Matrix fetch(DeviceBuffer b, Matrix like) {
    if (like.dtype() == DType.F32) {
      float[] a = new float[like.f32().length];
      resident.download(b, 0, a, 0, a.length);
      return Matrix.wrap(a, like.offset(), like.rows(), like.cols(), like.ld());
    }
    double[] a = new double[like.f64().length];
    resident.download(b, 0, a, 0, a.length);
    return Matrix.wrap(a, like.offset(), like.rows(), like.cols(), like.ld());
  }

  private static Matrix wrap(DType t, Object array, int off, int rows, int cols, int ld) {
    return t == DType.F32 ? Matrix.wrap((float[]) array, off, rows, cols, ld) : Matrix.wrap((double[]) array, off, rows, cols, ld);
  }

  private static Object randomArray(DType t, int length, SplittableRandom rnd) {
    if (t == DType.F32) {
      float[] a = new float[length];
      for (int i = 0; i < length; i++) {
        a[i] = (float) rnd.nextDouble(-1, 1);
      }
      return a;
    }
    double[] a = new double[length];
    for (int i = 0; i < length; i++) {
      a[i] = rnd.nextDouble(-1, 1);
    }
    return a;
  }

  private DeviceBuffer putArray(DType t, Object array) {
    Matrix whole = t == DType.F32 ? Matrix.wrap((float[]) array, 1, ((float[]) array).length)
        : Matrix.wrap((double[]) array, 1, ((double[]) array).length);
    return put(whole);
  }

  private Object fetchArray(DType t, DeviceBuffer b, int length) {
    if (t == DType.F32) {
      float[] a = new float[length];
      resident.download(b, 0, a, 0, length);
      return a;
    }
    double[] a = new double[length];
    resident.download(b, 0, a, 0, length);
    return a;
  }

  /** Elementwise closeness {@code |a − e| ≤ rel·(1 + |e|)} on the view, and intact guards. */
  private static void assertNear(String ctx, Matrix expected, Matrix actual, double rel) {
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double e = expected.get(i, j);
        double a = actual.get(i, j);
        if (!(Math.abs(a - e) <= rel * (1 + Math.abs(e)))) {
          fail(ctx + ": element (" + i + ", " + j + ") is " + a + ", the host routine gives " + e + " (allowed relative error "
              + rel + ")");
        }
      }
    }
    TestData.assertGuardsIntact(ctx, actual);
  }

  private static void assertCode(ErrorCode code, String ctx, Executable call) {
    StructuraException e = assertThrows(StructuraException.class, call, ctx + ": expected " + code.code());
    assertEquals(code, e.code(), ctx + ": wrong code, message: " + e.getMessage());
  }

  // ---- memory --------------------------------------------------------------------------------

  @ParameterizedTest(name = "round trip {0}")
  @EnumSource(DType.class)
  void uploadDownloadRoundTripWithOffsetsIsExact(DType t) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("roundtrip", t));
    int len = 1037;
    Object src = randomArray(t, len + 20, rnd);
    DeviceBuffer b = allocate(t, len + 50);
    // host offset 7, device offset 13: the buffer holds src[7 .. 7+len) at [13 .. 13+len), zeros elsewhere
    if (t == DType.F32) {
      resident.upload((float[]) src, 7, b, 13, len);
      float[] back = new float[len + 60];
      resident.download(b, 13, back, 5, len);
      for (int i = 0; i < len; i++) {
        assertEquals(Float.floatToRawIntBits(((float[]) src)[7 + i]), Float.floatToRawIntBits(back[5 + i]), "F32 round trip element " + i);
      }
      float[] all = (float[]) fetchArray(t, b, len + 50);
      for (int i : new int[] {0, 12, len + 13, len + 49}) {
        assertEquals(0f, all[i], "element " + i + " outside the uploaded range is not 0");
      }
    } else {
      resident.upload((double[]) src, 7, b, 13, len);
      double[] back = new double[len + 60];
      resident.download(b, 13, back, 5, len);
      for (int i = 0; i < len; i++) {
        assertEquals(Double.doubleToRawLongBits(((double[]) src)[7 + i]), Double.doubleToRawLongBits(back[5 + i]),
            "F64 round trip element " + i);
      }
      double[] all = (double[]) fetchArray(t, b, len + 50);
      for (int i : new int[] {0, 12, len + 13, len + 49}) {
        assertEquals(0.0, all[i], "element " + i + " outside the uploaded range is not 0");
      }
    }
  }

  @ParameterizedTest(name = "allocate zero-filled {0}")
  @EnumSource(DType.class)
  void allocateIsZeroFilledEvenWhenMemoryIsReused(DType t) {
    for (int len : new int[] {1, 1000, 123457}) {
      // dirty a buffer of the same size and free it first, so a pooled allocator would hand back dirty memory
      DeviceBuffer dirty = resident.allocate(t, len);
      SplittableRandom rnd = new SplittableRandom(len);
      if (t == DType.F32) {
        resident.upload((float[]) randomArray(t, len, rnd), 0, dirty, 0, len);
      } else {
        resident.upload((double[]) randomArray(t, len, rnd), 0, dirty, 0, len);
      }
      dirty.close();
      DeviceBuffer b = allocate(t, len);
      assertEquals(len, b.length());
      assertEquals(t, b.dtype());
      Object a = fetchArray(t, b, len);
      for (int i = 0; i < len; i++) {
        double v = t == DType.F32 ? ((float[]) a)[i] : ((double[]) a)[i];
        if (v != 0 || Double.doubleToRawLongBits(v) != 0) {
          fail("allocate(" + t + ", " + len + "): element " + i + " is " + v + ", not +0");
        }
      }
    }
  }

  @ParameterizedTest(name = "copy {0}")
  @EnumSource(DType.class)
  void copyMovesExactlyTheRange(DType t) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("copy", t));
    Object src = randomArray(t, 500, rnd);
    DeviceBuffer a = putArray(t, src);
    DeviceBuffer b = allocate(t, 600);
    resident.copy(a, 17, b, 100, 400);
    resident.copy(a, 0, a, 450, 17);  // within one buffer, disjoint ranges
    Object got = fetchArray(t, b, 600);
    Object self = fetchArray(t, a, 500);
    for (int i = 0; i < 600; i++) {
      double want = i >= 100 && i < 500 ? get(src, 17 + i - 100) : 0;
      assertEquals(want, get(got, i), 0.0, "copy: destination element " + i);
    }
    for (int i = 0; i < 17; i++) {
      assertEquals(get(src, i), get(self, 450 + i), 0.0, "copy within one buffer: element " + (450 + i));
    }
  }

  private static double get(Object array, int i) {
    return array instanceof float[] f ? f[i] : ((double[]) array)[i];
  }

  @Test
  void closingTwiceIsHarmlessAndUseAfterCloseFailsClearly() {
    DeviceBuffer b = resident.allocate(DType.F32, 10);
    b.close();
    b.close();
    StructuraException e = assertThrows(StructuraException.class, () -> resident.scal(10, 2.0, b, 0),
        "using a closed buffer must fail with a StructuraException");
    assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("closed"),
        "the error for a closed buffer should say so: " + e.getMessage());
  }

  // ---- BLAS ----------------------------------------------------------------------------------

  static final int[][] GEMM_SHAPES = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {64, 64, 64}, {3, 130, 9}};

  static Stream<Arguments> gemmCases() {
    List<Arguments> out = new ArrayList<>();
    for (DType t : DType.values()) {
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          for (double beta : new double[] {0, 0.5}) {
            for (int s = 0; s < GEMM_SHAPES.length; s++) {
              Layout layout = (s + ta.ordinal() + tb.ordinal()) % 2 == 0 ? Layout.PADDED : Layout.COMPACT;
              out.add(Arguments.of(t, ta, tb, beta, GEMM_SHAPES[s][0], GEMM_SHAPES[s][1], GEMM_SHAPES[s][2], layout));
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "gemm {0} {1}{2} beta={3} {4}x{5}x{6} {7}")
  @MethodSource("gemmCases")
  void gemmMatchesHost(DType t, Transpose ta, Transpose tb, double beta, int m, int n, int k, Layout layout) {
    long seed = TestData.seed("rgemm", t, ta, tb, beta, m, n, k, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix a = ta.transposed() ? TestData.random(t, k, m, layout, rnd) : TestData.random(t, m, k, layout, rnd);
    Matrix b = tb.transposed() ? TestData.random(t, n, k, layout, rnd) : TestData.random(t, k, n, layout, rnd);
    // beta = 0: C holds NaN, which must not reach the result
    Matrix c = beta == 0 ? TestData.poisoned(t, m, n, layout) : TestData.random(t, m, n, layout, rnd);
    double alpha = 1.25;
    String ctx = "gemm " + t + " " + ta + tb + " beta=" + beta + " " + m + "x" + n + "x" + k + " " + layout + " seed=" + seed;
    DeviceBuffer da = put(a);
    DeviceBuffer db = put(b);
    DeviceBuffer dc = put(c);
    resident.gemm(ta.transposed(), tb.transposed(), m, n, k, alpha, da, a.offset(), a.ld(), db, b.offset(), b.ld(),
        beta, dc, c.offset(), c.ld());
    Matrix got = fetch(dc, c);
    Matrix want = TestData.snapshot(c);
    host.gemm(ta, tb, alpha, a, b, beta, want);
    Oracle.Expected bounds = Oracle.gemm(ta, tb, alpha, a, b, beta, c);
    Tolerances.assertClose(ctx + " vs host", GemmConformanceSuite.asExpected(want, bounds), got, Tolerances.accumulation(t, k));
    TestData.assertGuardsIntact(ctx + " C", got);
    GemmConformanceSuite.assertUnchanged(ctx + " A", a, fetch(da, a));
  }

  @ParameterizedTest(name = "gemmStridedBatched {0} sharedA={1} beta={2}")
  @MethodSource("stridedCases")
  void gemmStridedBatchedMatchesHostIncludingSharedA(DType t, boolean sharedA, double beta, boolean transB) {
    int m = 6;
    int n = 9;
    int k = 5;
    int batch = 7;
    int lda = k + 2;
    int ldb = (transB ? k : n) + 1;
    int ldc = n + 3;
    int aOff = 4;
    int bOff = 2;
    int cOff = 5;
    long strideA = sharedA ? 0 : (long) m * lda + 3;
    long strideB = (long) (transB ? n : k) * ldb + 1;
    long strideC = (long) m * ldc + 2;
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rstrided", t, sharedA, beta, transB));
    Object a = randomArray(t, (int) (aOff + (batch - 1) * strideA + m * lda), rnd);
    Object b = randomArray(t, (int) (bOff + (batch - 1) * strideB + (transB ? n : k) * ldb), rnd);
    Object c = randomArray(t, (int) (cOff + (batch - 1) * strideC + m * ldc + 4), rnd);
    if (beta == 0) {
      fillNaN(c);
    }
    double alpha = -0.75;
    DeviceBuffer da = putArray(t, a);
    DeviceBuffer db = putArray(t, b);
    DeviceBuffer dc = putArray(t, c);
    resident.gemmStridedBatched(false, transB, m, n, k, alpha, da, aOff, lda, strideA, db, bOff, ldb, strideB,
        beta, dc, cOff, ldc, strideC, batch);
    Object got = fetchArray(t, dc, length(c));
    String ctx = "gemmStridedBatched " + t + " sharedA=" + sharedA + " transB=" + transB + " beta=" + beta;
    Transpose tb = transB ? Transpose.T : Transpose.N;
    for (int p = 0; p < batch; p++) {
      Matrix ap = wrap(t, a, (int) (aOff + p * strideA), m, k, lda);
      Matrix bp = wrap(t, b, (int) (bOff + p * strideB), transB ? n : k, transB ? k : n, ldb);
      Matrix cp = wrap(t, c, (int) (cOff + p * strideC), m, n, ldc);
      Matrix want = TestData.snapshot(cp);
      host.gemm(Transpose.N, tb, alpha, ap, bp, beta, want);
      Oracle.Expected bounds = Oracle.gemm(Transpose.N, tb, alpha, ap, bp, beta, cp);
      Tolerances.assertClose(ctx + " product " + p, GemmConformanceSuite.asExpected(want, bounds),
          wrap(t, got, cp.offset(), m, n, ldc), Tolerances.accumulation(t, k));
    }
    // elements between the C blocks are untouched
    for (int i = 0; i < length(c); i++) {
      long rel = i - cOff;
      long p = Math.floorDiv(rel, strideC);
      long inBlock = rel - p * strideC;
      boolean inside = rel >= 0 && p < batch && inBlock / ldc < m && inBlock % ldc < n;
      if (!inside && Double.doubleToRawLongBits(get(got, i)) != Double.doubleToRawLongBits(get(c, i))
          && !(Double.isNaN(get(got, i)) && Double.isNaN(get(c, i)))) {
        fail(ctx + ": element " + i + " outside every C block was written");
      }
    }
  }

  static Stream<Arguments> stridedCases() {
    List<Arguments> out = new ArrayList<>();
    for (DType t : DType.values()) {
      for (boolean shared : new boolean[] {false, true}) {
        for (double beta : new double[] {0, 2}) {
          out.add(Arguments.of(t, shared, beta, shared == (beta == 0)));
        }
      }
    }
    return out.stream();
  }

  private static void fillNaN(Object array) {
    if (array instanceof float[] f) {
      java.util.Arrays.fill(f, Float.NaN);
    } else {
      java.util.Arrays.fill((double[]) array, Double.NaN);
    }
  }

  private static int length(Object array) {
    return array instanceof float[] f ? f.length : ((double[]) array).length;
  }

  @ParameterizedTest(name = "gemmBatched attention layout {0} shuffled={1}")
  @MethodSource("batchedCases")
  void gemmBatchedRunsTheAttentionHeadLayout(DType t, boolean shuffled) {
    int batch = 3;
    int heads = 4;
    int len = 5;
    int hd = 3;
    int q = heads * hd;
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rbatched", t, shuffled));
    Object qa = randomArray(t, batch * len * q, rnd);
    Object ka = randomArray(t, batch * len * q, rnd);
    Object va = randomArray(t, batch * len * q, rnd);
    int pairs = batch * heads;
    long[] qOff = new long[pairs];
    long[] sOff = new long[pairs];
    long[] cOff = new long[pairs];
    int[] order = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      order[i] = i;
    }
    if (shuffled) {
      for (int i = pairs - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    }
    for (int i = 0; i < pairs; i++) {
      int pair = order[i];
      int b = pair / heads;
      int h = pair % heads;
      qOff[i] = (long) b * len * q + (long) h * hd;   // Q, K, V and the context of (b, h): column h·hd of sequence b's rows
      sOff[i] = (long) pair * len * len;              // scores of (b, h): consecutive L × L blocks
      cOff[i] = qOff[i];
    }
    DeviceBuffer dq = putArray(t, qa);
    DeviceBuffer dk = putArray(t, ka);
    DeviceBuffer dv = putArray(t, va);
    DeviceBuffer ds = allocate(t, (long) pairs * len * len);
    DeviceBuffer dc = allocate(t, (long) batch * len * q);
    double scale = 1 / Math.sqrt(hd);
    resident.gemmBatched(false, true, len, len, hd, scale, dq, qOff, q, dk, qOff, q, 0.0, ds, sOff, len);
    resident.gemmBatched(false, false, len, hd, len, 1.0, ds, sOff, len, dv, qOff, q, 0.0, dc, cOff, q);
    Object scores = fetchArray(t, ds, pairs * len * len);
    Object ctx = fetchArray(t, dc, batch * len * q);
    for (int i = 0; i < pairs; i++) {
      String where = "gemmBatched " + t + " pair " + order[i] + (shuffled ? " (shuffled order)" : "");
      Matrix qm = wrap(t, qa, (int) qOff[i], len, hd, q);
      Matrix km = wrap(t, ka, (int) qOff[i], len, hd, q);
      Matrix sWant = wrap(t, t == DType.F32 ? new float[len * len] : new double[len * len], 0, len, len, len);
      host.gemm(Transpose.N, Transpose.T, scale, qm, km, 0.0, sWant);
      Oracle.Expected sb = Oracle.gemm(Transpose.N, Transpose.T, scale, qm, km, 0.0, sWant);
      Tolerances.assertClose(where + " scores Q·Kᵀ", GemmConformanceSuite.asExpected(sWant, sb),
          wrap(t, scores, (int) sOff[i], len, len, len), Tolerances.accumulation(t, hd));
      // P·V from the device's own scores, so only this product's error is measured
      Matrix p = wrap(t, scores, (int) sOff[i], len, len, len);
      Matrix vm = wrap(t, va, (int) qOff[i], len, hd, q);
      Matrix cWant = wrap(t, t == DType.F32 ? new float[len * hd] : new double[len * hd], 0, len, hd, hd);
      host.gemm(Transpose.N, Transpose.N, 1.0, p, vm, 0.0, cWant);
      Oracle.Expected cb = Oracle.gemm(Transpose.N, Transpose.N, 1.0, p, vm, 0.0, cWant);
      Tolerances.assertClose(where + " context P·V (written side by side, ld " + q + ")", GemmConformanceSuite.asExpected(cWant, cb),
          wrap(t, ctx, (int) cOff[i], len, hd, q), Tolerances.accumulation(t, len));
    }
  }

  static Stream<Arguments> batchedCases() {
    return Stream.of(DType.values()).flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
  }

  @ParameterizedTest(name = "gemv {0} {1} beta={2}")
  @MethodSource("gemvCases")
  void gemvMatchesHost(DType t, Transpose ta, double beta) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rgemv", t, ta, beta));
    int m = 37;
    int n = 70;
    Matrix a = TestData.random(t, m, n, Layout.PADDED, rnd);
    int xn = ta.transposed() ? m : n;
    int yn = ta.transposed() ? n : m;
    Matrix x = wrap(t, randomArray(t, xn + 9, rnd), 4, xn, 1, 1);
    Matrix y = wrap(t, randomArray(t, yn + 6, rnd), 2, yn, 1, 1);
    if (beta == 0) {
      y.fill(Double.NaN);
    }
    DeviceBuffer da = put(a);
    DeviceBuffer dx = put(x);
    DeviceBuffer dy = put(y);
    resident.gemv(ta.transposed(), m, n, 0.5, da, a.offset(), a.ld(), dx, x.offset(), beta, dy, y.offset());
    Matrix got = fetch(dy, y);
    Matrix want = TestData.snapshot(y);
    host.gemv(ta, 0.5, a, x, beta, want);
    Oracle.Expected bounds = Oracle.gemv(ta, 0.5, a, x, beta, y);
    String ctx = "gemv " + t + " " + ta + " beta=" + beta;
    Tolerances.assertClose(ctx, GemmConformanceSuite.asExpected(want, bounds), got, Tolerances.accumulation(t, xn));
    assertEquals(get(y.array(), 0), get(got.array(), 0), 0.0, ctx + ": element before y written");
    assertEquals(get(y.array(), yn + 2), get(got.array(), yn + 2), 0.0, ctx + ": element after y written");
  }

  static Stream<Arguments> gemvCases() {
    List<Arguments> out = new ArrayList<>();
    for (DType t : DType.values()) {
      for (Transpose ta : Transpose.values()) {
        out.add(Arguments.of(t, ta, 0.0));
        out.add(Arguments.of(t, ta, -1.5));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "dot/axpy/scal {0}")
  @EnumSource(DType.class)
  void level1MatchesHost(DType t) {
    for (int n : new int[] {1, 17, 1000, 100_003}) {
      SplittableRandom rnd = new SplittableRandom(TestData.seed("rlevel1", t, n));
      Object xa = randomArray(t, n + 3, rnd);
      Object ya = randomArray(t, n + 5, rnd);
      Matrix x = wrap(t, xa, 3, n, 1, 1);
      Matrix y = wrap(t, ya, 5, n, 1, 1);
      DeviceBuffer dx = put(x);
      DeviceBuffer dy = put(y);
      String ctx = t + " n=" + n;

      double dot = resident.dot(n, dx, 3, dy, 5);
      Oracle.Expected e = Oracle.dot(x, y);
      double tol = Tolerances.accumulation(t, n) * e.bound(0, 0) + Double.MIN_NORMAL;
      assertTrue(Math.abs(dot - e.value(0, 0)) <= tol, "dot " + ctx + ": " + dot + " vs " + e.value(0, 0) + " (allowed " + tol + ")");

      resident.axpy(n, -0.375, dx, 3, dy, 5);
      resident.scal(n, 3.0, dx, 3);
      Matrix gotY = fetch(dy, y);
      Matrix gotX = fetch(dx, x);
      Matrix wantY = TestData.snapshot(y);
      Matrix wantX = TestData.snapshot(x);
      host.axpy(-0.375, x, wantY);
      host.scale(3.0, wantX);
      // one multiply and one add: two roundings (an FMA rounds once)
      double u = t.unitRoundoff();
      for (int i = 0; i < n; i++) {
        double allowedY = 2 * u * (Math.abs(0.375 * x.get(i, 0)) + Math.abs(y.get(i, 0))) + Double.MIN_NORMAL;
        if (!(Math.abs(gotY.get(i, 0) - wantY.get(i, 0)) <= allowedY)) {
          fail("axpy " + ctx + ": element " + i + " is " + gotY.get(i, 0) + ", host gives " + wantY.get(i, 0));
        }
        assertEquals(wantX.get(i, 0), gotX.get(i, 0), 0.0, "scal " + ctx + ": element " + i + " (one correctly rounded multiply)");
      }
      assertEquals(get(xa, 2), get(gotX.array(), 2), 0.0, "scal " + ctx + " wrote before x");
      assertEquals(get(ya, 4), get(gotY.array(), 4), 0.0, "axpy " + ctx + " wrote before y");
    }
  }

  // ---- kernel matrices -----------------------------------------------------------------------

  static Stream<Arguments> kernelCases() {
    List<Arguments> out = new ArrayList<>();
    int[][] shapes = {{1, 1, 1, 1}, {33, 65, 3, 5}, {129, 257, 2, 4}};
    for (DType t : DType.values()) {
      for (RadialKernel.Kind kind : RadialKernel.Kind.values()) {
        for (double beta : new double[] {0, 0.5}) {
          for (int s = 0; s < shapes.length; s++) {
            Layout layout = (s + kind.ordinal()) % 2 == 0 ? Layout.PADDED : Layout.COMPACT;
            out.add(Arguments.of(t, kind, beta, shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3], layout));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "kernelMultiply {0} {1} beta={2} m={3} n={4} d={5} k={6} {7}")
  @MethodSource("kernelCases")
  void kernelMultiplyMatchesHost(DType t, RadialKernel.Kind kind, double beta, int m, int n, int d, int k, Layout layout) {
    long seed = TestData.seed("rkernel", t, kind, beta, m, n, d, k, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    RadialKernel kernel = new RadialKernel(kind, 0.5 + rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble());
    Matrix x = TestData.guarded(t, m, d, layout);
    Matrix y = TestData.guarded(t, n, d, layout);
    for (Matrix p : new Matrix[] {x, y}) {
      for (int i = 0; i < p.rows(); i++) {
        for (int j = 0; j < d; j++) {
          p.set(i, j, rnd.nextDouble(-2, 2));
        }
      }
    }
    for (int j = 0; j < Math.min(m, n); j += 3) {
      for (int c = 0; c < d; c++) {
        y.set(j, c, x.get(j, c));  // coincident points: r = 0 (LAPLACE gives 0 there)
      }
    }
    Matrix v = TestData.random(t, n, k, layout, rnd);
    Matrix o = beta == 0 ? TestData.poisoned(t, m, k, layout) : TestData.random(t, m, k, layout, rnd);
    DeviceBuffer dx = put(x);
    DeviceBuffer dy = put(y);
    DeviceBuffer dv = put(v);
    DeviceBuffer dout = put(o);
    resident.kernelMultiply(kernel, m, n, d, k, dx, x.offset(), x.ld(), dy, y.offset(), y.ld(), dv, v.offset(), v.ld(),
        beta, dout, o.offset(), o.ld());
    Matrix got = fetch(dout, o);
    Matrix want = TestData.snapshot(o);
    host.kernelMultiply(kernel, x, y, v, beta, want);
    Oracle.Expected bounds = Oracle.kernelMultiply(kernel, x, y, v, beta, o);
    String ctx = "kernelMultiply " + t + " " + kernel + " beta=" + beta + " m=" + m + " n=" + n + " d=" + d + " k=" + k + " "
        + layout + " seed=" + seed;
    Tolerances.assertClose(ctx, GemmConformanceSuite.asExpected(want, bounds), got, 2 * Tolerances.accumulation(t, n + 2 * d + 8));
    TestData.assertGuardsIntact(ctx + " O", got);
  }

  // ---- transformer operations ----------------------------------------------------------------

  @Test
  void addRowVectorAddsTheBiasToEveryRowOnly() {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("raddrow"));
    Matrix x = TestData.random(DType.F32, 9, 37, Layout.PADDED, rnd);
    Matrix v = wrap(DType.F32, randomArray(DType.F32, 40, rnd), 2, 1, 37, 37);
    DeviceBuffer dx = put(x);
    DeviceBuffer dv = put(v);
    resident.addRowVector(9, 37, dv, 2, dx, x.offset(), x.ld());
    Matrix got = fetch(dx, x);
    for (int i = 0; i < 9; i++) {
      for (int j = 0; j < 37; j++) {
        assertEquals((float) (x.get(i, j)) + (float) v.get(0, j), (float) got.get(i, j), 0f, "addRowVector (" + i + ", " + j + ")");
      }
    }
    TestData.assertGuardsIntact("addRowVector", got);
  }

  @Test
  void gatherRowsCopiesAndAccumulatesWithRepeatedIndices() {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rgather"));
    int rows = 11;
    int width = 19;
    Matrix table = TestData.random(DType.F32, rows, width, Layout.PADDED, rnd);
    int[] idx = {3, 0, 10, 3, 3, 7, 0};
    Matrix out = TestData.random(DType.F32, idx.length, width, Layout.PADDED, rnd);
    DeviceBuffer dt = put(table);
    for (boolean accumulate : new boolean[] {false, true}) {
      DeviceBuffer dout = put(out);
      resident.gatherRows(width, dt, table.offset(), table.ld(), rows, idx, dout, out.offset(), out.ld(), accumulate);
      Matrix got = fetch(dout, out);
      for (int i = 0; i < idx.length; i++) {
        for (int j = 0; j < width; j++) {
          float want = (float) table.get(idx[i], j) + (accumulate ? (float) out.get(i, j) : 0f);
          assertEquals(want, (float) got.get(i, j), 0f, "gatherRows accumulate=" + accumulate + " row " + i + " (index " + idx[i]
              + ") column " + j);
        }
      }
      TestData.assertGuardsIntact("gatherRows accumulate=" + accumulate, got);
    }
    GemmConformanceSuite.assertUnchanged("gatherRows table", table, fetch(dt, table));
  }

  static Stream<Arguments> softmaxCases() {
    // batch, heads, queries, keys, causal, with mask
    return Stream.of(Arguments.of(3, 2, 7, 7, false, true), Arguments.of(3, 2, 7, 7, true, true), Arguments.of(2, 3, 4, 9, false, true),
        Arguments.of(2, 2, 6, 6, true, false), Arguments.of(1, 1, 1, 1, false, false), Arguments.of(4, 3, 33, 33, false, true),
        Arguments.of(2, 4, 40, 40, true, true), Arguments.of(2, 2, 5, 130, false, true));
  }

  @ParameterizedTest(name = "attentionSoftmax B={0} H={1} T={2} S={3} causal={4} mask={5}")
  @MethodSource("softmaxCases")
  void attentionSoftmaxMatchesPerBlockHostSoftmax(int batch, int heads, int queries, int keys, boolean causal, boolean withMask) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rsoftmax", batch, heads, queries, keys, causal, withMask));
    int rowsTotal = batch * heads * queries;
    int off = 3;
    float[] s = new float[off + rowsTotal * keys + 4];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) rnd.nextDouble(-8, 8);
    }
    float[] mask = new float[1 + batch * keys];
    if (withMask) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < keys; j++) {
          // padding as HuggingFace masks it (−Float.MAX_VALUE), key 0 always visible, the rest a finite bias
          mask[1 + b * keys + j] = j > 0 && rnd.nextInt(3) == 0 ? -Float.MAX_VALUE : (float) rnd.nextDouble(-1, 1);
        }
      }
    }
    double alpha = 0.35;
    DeviceBuffer ds = putArray(DType.F32, s);
    DeviceBuffer dm = withMask ? putArray(DType.F32, mask) : null;
    resident.attentionSoftmax(batch, heads, queries, keys, alpha, ds, off, dm, 1, causal);
    float[] got = (float[]) fetchArray(DType.F32, ds, s.length);
    float[] want = s.clone();
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int t = 0; t < queries; t++) {
          int row = off + ((b * heads + h) * queries + t) * keys;
          float[] rowMask = new float[keys];
          for (int j = 0; j < keys; j++) {
            boolean excluded = causal && j > t;
            rowMask[j] = excluded ? -Float.MAX_VALUE : mask[1 + b * keys + j];
          }
          host.softmaxRows(alpha, Matrix.wrap(want, row, 1, keys, keys), Matrix.wrap(rowMask, 0, 1, keys, keys));
          for (int j = 0; j < keys; j++) {
            String where = "attentionSoftmax B=" + batch + " H=" + heads + " T=" + queries + " S=" + keys + " causal=" + causal
                + ": sequence " + b + " head " + h + " query " + t + " key " + j;
            if (rowMask[j] == -Float.MAX_VALUE) {
              assertEquals(0f, got[row + j], 0f, where + " is masked" + (causal && j > t ? " (causal)" : "") + " but has weight");
            } else if (!(Math.abs(got[row + j] - want[row + j]) <= 2e-6 * (1 + Math.abs(want[row + j])))) {
              fail(where + ": " + got[row + j] + ", host softmax gives " + want[row + j]);
            }
          }
        }
      }
    }
    for (int i : new int[] {0, 1, 2, off + rowsTotal * keys, s.length - 1}) {
      assertEquals(s[i], got[i], 0f, "attentionSoftmax wrote element " + i + " outside the scores");
    }
  }

  private static Matrix f32Input(int m, int n, Layout layout, double scale, SplittableRandom rnd) {
    Matrix x = TestData.guarded(DType.F32, m, n, layout);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        x.set(i, j, rnd.nextDouble(-scale, scale));
      }
    }
    return x;
  }

  static Stream<Arguments> rowShapes() {
    return Stream.of(Arguments.of(1, 1, Layout.COMPACT), Arguments.of(5, 17, Layout.PADDED), Arguments.of(16, 384, Layout.COMPACT),
        Arguments.of(4, 1536, Layout.PADDED), Arguments.of(7, 129, Layout.PADDED));
  }

  @ParameterizedTest(name = "gelu/silu/swiglu {0}x{1} {2}")
  @MethodSource("rowShapes")
  void activationsMatchHost(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("ract", m, n, layout));
    for (String op : new String[] {"gelu", "silu", "swiglu"}) {
      Matrix x = f32Input(m, n, layout, 6, rnd);
      Matrix up = f32Input(m, n, layout, 2, rnd);
      DeviceBuffer dx = put(x);
      DeviceBuffer du = put(up);
      Matrix want = TestData.snapshot(x);
      switch (op) {
        case "gelu" -> {
          resident.gelu(m, n, dx, x.offset(), x.ld());
          host.gelu(want);
        }
        case "silu" -> {
          resident.silu(m, n, dx, x.offset(), x.ld());
          host.silu(want);
        }
        default -> {
          resident.swiglu(m, n, dx, x.offset(), x.ld(), du, up.offset(), up.ld());
          host.swiglu(want, up);
        }
      }
      assertNear(op + " " + m + "x" + n + " " + layout, want, fetch(dx, x), 2e-6);
      GemmConformanceSuite.assertUnchanged(op + " up", up, fetch(du, up));
    }
  }

  @ParameterizedTest(name = "norms {0}x{1} {2}")
  @MethodSource("rowShapes")
  void normsMatchHost(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rnorm", m, n, layout));
    Matrix gamma = f32Input(1, n, Layout.COMPACT, 2, rnd);
    Matrix beta = f32Input(1, n, Layout.COMPACT, 1, rnd);
    Matrix zero = Matrix.zeros(DType.F32, 1, n);
    DeviceBuffer dg = put(gamma);
    DeviceBuffer db = put(beta);
    for (String op : new String[] {"layerNorm", "layerNorm without beta", "rmsNorm"}) {
      Matrix x = f32Input(m, n, layout, 3, rnd);
      for (int j = 0; j < n; j++) {
        x.set(0, j, x.get(0, j) + 100);  // a shifted row: the mean must be removed before squaring
      }
      DeviceBuffer dx = put(x);
      Matrix want = TestData.snapshot(x);
      double eps = op.startsWith("layer") ? 1e-12 : 1e-6;
      switch (op) {
        case "layerNorm" -> {
          resident.layerNorm(m, n, dx, x.offset(), x.ld(), dg, 0, db, 0, eps);
          host.layerNorm(want, gamma, beta, eps);
        }
        case "layerNorm without beta" -> {
          resident.layerNorm(m, n, dx, x.offset(), x.ld(), dg, 0, null, 0, eps);
          host.layerNorm(want, gamma, zero, eps);
        }
        default -> {
          resident.rmsNorm(m, n, dx, x.offset(), x.ld(), dg, 0, eps);
          host.rmsNorm(want, gamma, eps);
        }
      }
      assertNear(op + " " + m + "x" + n + " " + layout, want, fetch(dx, x), 1e-5);
    }
  }

  // ---- ordering ------------------------------------------------------------------------------

  @Test
  void aChainOfQueuedCallsThenOneDownloadSeesEveryStepInOrder() {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("rchain"));
    int m = 64;
    int d = 96;
    int f = 160;
    float[] x = (float[]) randomArray(DType.F32, m * d, rnd);
    float[] w = (float[]) randomArray(DType.F32, f * d, rnd);
    float[] bias = (float[]) randomArray(DType.F32, f, rnd);
    float[] gamma = (float[]) randomArray(DType.F32, f, rnd);
    DeviceBuffer dx = allocate(DType.F32, m * d);
    DeviceBuffer dw = allocate(DType.F32, f * d);
    DeviceBuffer db = allocate(DType.F32, f);
    DeviceBuffer dg = allocate(DType.F32, f);
    DeviceBuffer dh = allocate(DType.F32, m * f);
    DeviceBuffer dy = allocate(DType.F32, m * f);
    resident.upload(x, 0, dx, 0, m * d);
    resident.upload(w, 0, dw, 0, f * d);
    resident.upload(bias, 0, db, 0, f);
    resident.upload(gamma, 0, dg, 0, f);
    // twenty dependent steps, none of which waits: each reads what the previous wrote
    for (int round = 0; round < 4; round++) {
      resident.scal(m * d, 0.9, dx, 0);
      resident.gemm(false, true, m, f, d, 1.0, dx, 0, d, dw, 0, d, 0.0, dh, 0, f);
      resident.addRowVector(m, f, db, 0, dh, 0, f);
      resident.gelu(m, f, dh, 0, f);
      resident.axpy(m * f, 0.5, dh, 0, dy, 0);
    }
    resident.rmsNorm(m, f, dy, 0, f, dg, 0, 1e-6);
    float[] got = new float[m * f];
    resident.download(dy, 0, got, 0, m * f);

    Matrix hx = Matrix.wrap(x.clone(), m, d);
    Matrix hw = Matrix.wrap(w, f, d);
    Matrix hb = Matrix.wrap(bias, 1, f);
    Matrix hy = Matrix.zeros(DType.F32, m, f);
    for (int round = 0; round < 4; round++) {
      host.scale(0.9, hx);
      Matrix hh = Matrix.zeros(DType.F32, m, f);
      for (int i = 0; i < m; i++) {
        hh.view(i, 0, 1, f).copyFrom(hb);
      }
      host.gemm(Transpose.N, Transpose.T, 1.0, hx, hw, 1.0, hh);
      host.gelu(hh);
      host.axpy(0.5, hh, hy);
    }
    host.rmsNorm(hy, Matrix.wrap(gamma, 1, f), 1e-6);
    for (int i = 0; i < m * f; i++) {
      float want = hy.f32()[i];
      if (!(Math.abs(got[i] - want) <= 1e-4 * (1 + Math.abs(want)))) {
        fail("queued chain: element " + i + " is " + got[i] + ", the same steps on the host give " + want
            + " (a step ran before the one it depends on, or the download did not wait)");
      }
    }
  }

  // ---- errors --------------------------------------------------------------------------------

  @Test
  void invalidCallsCarryTheirCodes() {
    DeviceBuffer f = allocate(DType.F32, 100);
    DeviceBuffer f2 = allocate(DType.F32, 100);
    DeviceBuffer g = allocate(DType.F64, 100);
    assertCode(ErrorCode.DTYPE_MISMATCH, "gemm with an F64 C and F32 A, B",
        () -> resident.gemm(false, false, 2, 2, 2, 1, f, 0, 2, f2, 0, 2, 0, g, 0, 2));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "gemm whose C runs past its buffer",
        () -> resident.gemm(false, false, 10, 10, 2, 1, f, 0, 2, f2, 0, 10, 0, allocate(DType.F32, 99), 0, 10));
    assertCode(ErrorCode.INVALID_ARGUMENT, "gemm with lda < k",
        () -> resident.gemm(false, false, 2, 2, 3, 1, f, 0, 2, f2, 0, 2, 0, allocate(DType.F32, 4), 0, 2));
    assertCode(ErrorCode.ALIASING, "gemm with C overlapping A",
        () -> resident.gemm(false, false, 2, 2, 2, 1, f, 0, 2, f2, 0, 2, 0, f, 2, 2));
    assertCode(ErrorCode.DIMENSION_MISMATCH, "gemmBatched with offset arrays of different lengths",
        () -> resident.gemmBatched(false, false, 2, 2, 2, 1, f, new long[] {0, 4}, 2, f2, new long[] {0}, 2, 0, g, new long[] {0, 4}, 2));
    assertCode(ErrorCode.ALIASING, "gemmBatched with overlapping C blocks",
        () -> resident.gemmBatched(false, false, 2, 2, 2, 1, f, new long[] {0, 4}, 2, f2, new long[] {0, 4}, 2, 0,
            allocate(DType.F32, 10), new long[] {0, 1}, 2));
    assertCode(ErrorCode.INVALID_ARGUMENT, "gemmStridedBatched with strideC 0",
        () -> resident.gemmStridedBatched(false, false, 2, 2, 2, 1, f, 0, 2, 0, f2, 0, 2, 0, 0, allocate(DType.F32, 10), 0, 2, 0, 2));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "gatherRows with an index past the table",
        () -> resident.gatherRows(10, f, 0, 10, 10, new int[] {1, 10}, f2, 0, 10, false));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "gatherRows with a negative index",
        () -> resident.gatherRows(10, f, 0, 10, 10, new int[] {-1}, f2, 0, 10, false));
    assertCode(ErrorCode.DTYPE_MISMATCH, "gelu on an F64 buffer", () -> resident.gelu(2, 2, g, 0, 2));
    assertCode(ErrorCode.DTYPE_MISMATCH, "upload of doubles into an F32 buffer", () -> resident.upload(new double[4], 0, f, 0, 4));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "upload past the end of the buffer", () -> resident.upload(new float[4], 0, f, 98, 4));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "download past the end of the host array", () -> resident.download(f, 0, new float[4], 2, 4));
    assertCode(ErrorCode.DTYPE_MISMATCH, "axpy of F32 into F64", () -> resident.axpy(4, 1, f, 0, g, 0));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "dot past the end", () -> resident.dot(50, f, 60, f2, 0));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "attentionSoftmax with scores past the end",
        () -> resident.attentionSoftmax(2, 2, 5, 5, 1, f, 1, null, 0, false));
    assertCode(ErrorCode.OUT_OF_BOUNDS, "layerNorm with gamma past the end",
        () -> resident.layerNorm(2, 10, f, 0, 10, f2, 95, null, 0, 1e-5));
    assertCode(ErrorCode.INVALID_ARGUMENT, "negative size", () -> resident.scal(-1, 1, f, 0));
    assertCode(ErrorCode.DTYPE_MISMATCH, "kernelMultiply mixing F32 and F64",
        () -> resident.kernelMultiply(RadialKernel.of(RadialKernel.Kind.GAUSSIAN, 1), 2, 2, 1, 1, f, 0, 1, f2, 0, 1, f, 10, 1, 0, g, 0, 1));

    Backend other = provider().open(config());
    try {
      ResidentRoutines r2 = other.resident().orElseThrow();
      DeviceBuffer foreign = r2.allocate(DType.F32, 100);
      try {
        assertCode(ErrorCode.DTYPE_MISMATCH, "a buffer of another ResidentRoutines instance",
            () -> resident.axpy(4, 1, foreign, 0, f, 0));
      } finally {
        foreign.close();
      }
    } finally {
      other.close();
    }
    DeviceBuffer closed = resident.allocate(DType.F32, 100);
    closed.close();
    StructuraException e = assertThrows(StructuraException.class, () -> resident.axpy(4, 1, closed, 0, f, 0),
        "a closed buffer must be rejected before anything is queued");
    assertTrue(e.getMessage().contains("closed"), "the message should say the buffer is closed: " + e.getMessage());
  }
}
