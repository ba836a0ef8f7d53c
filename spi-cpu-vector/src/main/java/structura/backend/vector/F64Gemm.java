package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision blocked GEMM on row-major storage, {@code C = alpha·op(A)·op(B) + beta·C}
 * (m×k times k×n), after Goto and van de Geijn, "Anatomy of high-performance matrix
 * multiplication" (ACM TOMS 34(3), 2008) and the BLIS loop structure:
 *
 * <pre>
 * for jc in steps of NC over n            B block  KC×NC  packed once, shared (L3)
 *   for pc in steps of KC over k
 *     pack op(B)[pc:pc+KC, jc:jc+NC] into NR-wide panels
 *     for ic in steps of MC over m  (tasks)  A block  MC×KC packed per task (L2)
 *       for jr in steps of NR              B micro-panel KC×NR stays in L1
 *         for ir in steps of MR
 *           micro-kernel: MR×NR tile of C += A micro-panel · B micro-panel
 * </pre>
 *
 * <p>The micro-kernel keeps an MR×(2 vectors) tile of accumulators in registers as explicit
 * local variables (an array of vectors would live in memory) and updates them with one
 * broadcast and two FMAs per row and step of k. The register block is chosen by species when
 * the class is initialised:
 * <ul>
 *   <li>up to 256-bit vectors (16 registers on AVX2): MR = 4, 8 accumulators. Why not the
 *       classic 6×2: with 12 accumulators C2 needs more than the 16 AVX2 registers (it keeps up
 *       to three broadcasts live) and spills one accumulator to the stack in the loop; 8
 *       accumulators still hide the 5-cycle FMA latency of one 256-bit FMA per cycle and ran at
 *       38 GFLOP/s in L1 against 32 for 6×2 on the Zen machine of docs/design-notes.md (97 % of
 *       its measured peak).</li>
 *   <li>512-bit vectors (32 registers on AVX-512): MR = 8, 16 accumulators, which two FMA
 *       pipes of 4-cycle latency need (8 in flight), with 2 B vectors and the broadcasts in the
 *       other 14 registers; per step of k 8 broadcasts and 2 vector loads feed 16 FMAs, within
 *       two loads per cycle.</li>
 * </ul>
 * NR = 2 × the species' lane count (for F32 16 columns on AVX2, 32 on AVX-512, 8 on NEON; half
 * that for F64). Panels are zero-padded to whole tiles; edge tiles (fewer than MR rows or NR
 * columns of C) are computed in full and copied out element by element, which is the scalar
 * tail.
 *
 * <p>Where an A block meets few B panels (at most {@value #DIRECT_A_MAX_PANELS}: n small, as in
 * the QR's W = CᵀV) and A is row-major, the micro-kernel reads A's rows in place instead
 * ({@code kernel4Rows}, MR = 4 only): packing would cost a copy per element for little reuse.
 * A batch whose items share B packs B once for all of them ({@link #gemmSharedB}).
 *
 * <p>Cost: 2mnk flops; packing moves mk·⌈n/NC⌉ + kn elements. Memory: per worker one A block of
 * MC×KC doubles and per call one B block of KC×NC doubles, reused across calls (per thread).
 *
 * <p>Determinism: every element of C is accumulated in the same order (k in KC blocks, each
 * block left to right with FMA) whichever task computes it, so results do not depend on the
 * number of threads.
 *
 * <p>Generated from {@code F32Gemm.java} by {@code F64SourceGenerator}: do not edit.
 */
final class F64Gemm {
  private static final VectorSpecies<Double> S = Simd.DOUBLE;
  private static final int L = S.length();
  /** Rows of the register tile: 8 with 512-bit vectors (32 registers), else 4 (see the class notes). */
  static final int MR = S.vectorBitSize() >= 512 ? 8 : 4;
  /**
   * MR lanes: one step of an A micro-panel, copied as one vector when op(A) = Aᵀ; usable where
   * MR ≤ L (every x86 species; not F64 on 128-bit NEON, which copies element by element).
   */
  private static final VectorSpecies<Double> MR_LANES =
      VectorSpecies.of(double.class, VectorShape.forBitSize(MR * Double.SIZE));
  /** Columns of the register tile: two vectors. */
  static final int NR = 2 * L;
  /** Bytes of the B panels that one row of tiles sweeps in a short-depth block (see {@link #panelGroup}). */
  static final int GROUP_BYTES = 1 << 16;
  /** Largest B micro-panel (bytes; kcur·NR elements) of a block whose tiles are grouped (see {@link #panelGroup}). */
  static final int GROUP_MAX_PANEL_BYTES = 1 << 13;
  /** Most B panels per A block for which A is read in place rather than packed (see {@link #readsAInPlace}). */
  static final int DIRECT_A_MAX_PANELS = 16;
  /** Below this many multiply-adds a call runs on one thread: hand-off would cost more. */
  private static final long PARALLEL_MIN_WORK = 1L << 18;

  private final Parallel parallel;
  private final int mc;
  private final int kc;
  private final int nc;
  private final ThreadLocal<double[]> aBuffer;
  /**
   * Whether full MR-row micro-panels of a row-major A (ta = N) may be read in place instead of
   * packed (see {@link #readsAInPlace}). On in production; tests and measurements switch it off
   * to compare the two paths, which must give the same bits.
   */
  boolean directA = true;
  /**
   * Bytes of B panels per group in the tile order of a short-depth block (see {@link #panelGroup});
   * 0: no groups (the order of before). {@link #GROUP_BYTES} in production; a switch for tests.
   */
  int groupBytes = GROUP_BYTES;
  private final ThreadLocal<double[]> bBuffer;
  /** The depth-split partial products of the calling thread, grown on demand. */
  private final ThreadLocal<double[]> partialBuffer = ThreadLocal.withInitial(() -> new double[0]);
  /** The whole op(B) of a shared-B batch, packed once by the calling thread's call, grown on demand. */
  private final ThreadLocal<double[]> sharedBBuffer = ThreadLocal.withInitial(() -> new double[0]);
  /** The partial products of a shared-B batch's depth-split items (see {@link #itemChunkTasks}), grown on demand. */
  private final ThreadLocal<double[]> sharedPartialBuffer = ThreadLocal.withInitial(() -> new double[0]);
  /**
   * Largest packed op(B), and largest set of depth-split partials, (elements) of a shared-B batch:
   * above it each item packs its own B, resp. runs its depth chunks itself.
   */
  static final long SHARED_B_MAX_ELEMENTS = 1L << 22;

  /** Largest C (m·n elements) whose product is split along k; above it the m and n blocks give enough tasks. */
  static final int SPLIT_MAX_MN = 1 << 16;
  /** Most depth chunks of one split product (bounds the partial buffers to 16·m·n). */
  static final int SPLIT_MAX_CHUNKS = 16;
  /**
   * Depth per chunk of a split product before rounding up to whole KC blocks: a constant rather
   * than a multiple of KC, so that the number of chunks (the parallelism) does not change when
   * KC is tuned. 1024 = 4 × the F64 KC of 256 this rule was measured with.
   */
  static final int SPLIT_CHUNK_DEPTH = 1024;

  /**
   * @param mc rows of an A block (rounded up to a multiple of MR)
   * @param kc depth of a block
   * @param nc columns of a B block (rounded up to a multiple of NR)
   */
  F64Gemm(Parallel parallel, int mc, int kc, int nc) {
    this.parallel = parallel;
    this.mc = roundUp(Math.max(mc, MR), MR);
    this.kc = Math.max(kc, 1);
    this.nc = roundUp(Math.max(nc, NR), NR);
    int aSize = this.mc * this.kc;
    int bSize = this.nc * this.kc;
    this.aBuffer = ThreadLocal.withInitial(() -> new double[aSize]);
    this.bBuffer = ThreadLocal.withInitial(() -> new double[bSize]);
  }

  String blocking() {
    return "MR=" + MR + " NR=" + NR + " MC=" + mc + " KC=" + kc + " NC=" + nc;
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C. With {@code lowerOnly}, only register tiles that contain an
   * element on or below the diagonal are computed (m = n; the caller mirrors), which halves the
   * work of a Gram matrix. With {@code multithreaded} false the call stays on the calling thread
   * (batched GEMM parallelises over the batch instead).
   */
  void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, boolean lowerOnly, boolean multithreaded) {
    int chunks = depthChunks(m, n, k);
    if (chunks > 1) {
      gemmSplitDepth(ta, tb, m, n, k, chunks, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc, lowerOnly,
          multithreaded);
    } else {
      gemmBlocked(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, lowerOnly, multithreaded);
    }
  }

  /**
   * A batch that shares its B operand: for p &lt; batch, C_p = alpha·op(A_p)·op(B) + beta·C_p with
   * A_p at {@code aOff + p·strideA} and C_p at {@code cOff + p·strideC} (m×n each), one item per
   * task, each on one thread. op(B) is packed once for the whole batch (k·⌈n/NR⌉·NR elements, in
   * parallel) instead of once per item: for the QR's W = CᵀV (items of 64 rows of Cᵀ against one
   * Vᵀ of depth up to m) that halves the packing. Every C_p gets the bits that
   * {@link #gemm} with {@code multithreaded} false gives it: the same KC blocks and depth chunks,
   * only the packed copy of B is shared. Items split along the depth run as item × chunk tasks
   * ({@link #itemChunkTasks}). Returns false, computing nothing, when the packed B would
   * exceed {@link #SHARED_B_MAX_ELEMENTS}; the caller then runs the items one by one. With
   * {@code multithreaded} false everything runs on the calling thread.
   */
  boolean gemmSharedB(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      int strideA, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, int strideC, int batch,
      boolean multithreaded) {
    long size = (long) roundUp(n, NR) * k;
    if (size > SHARED_B_MAX_ELEMENTS || m == 0 || n == 0 || k == 0) {
      return false;
    }
    double[] bAll = sharedBBuffer.get();
    if (bAll.length < size) {
      bAll = new double[(int) size];
      sharedBBuffer.set(bAll);
    }
    double[] packed = bAll;
    int jcBlocks = (n + nc - 1) / nc;
    int pcBlocks = (k + kc - 1) / kc;
    parallel.forEach(jcBlocks * pcBlocks, multithreaded && (long) n * k >= (1L << 15), t -> {
      int jc = (t / pcBlocks) * nc;
      int pc = (t % pcBlocks) * kc;
      int ncur = Math.min(nc, n - jc);
      int nPanels = (ncur + NR - 1) / NR;
      packB(tb, b, bOff, ldb, pc, Math.min(kc, k - pc), jc, ncur, 0, nPanels, packed, sharedOffset(jc, pc, k, ncur));
    });
    int chunks = depthChunks(m, n, k);
    if (chunks > 1 && itemChunkTasks(m, n, k, chunks, alpha, a, aOff, lda, strideA, ta, packed, beta, c, cOff, ldc,
        strideC, batch, multithreaded)) {
      return true;
    }
    parallel.forEach(batch, multithreaded, p -> {
      if (chunks > 1) {
        gemmSplitDepth(ta, tb, m, n, k, chunks, alpha, a, aOff + p * strideA, lda, b, bOff, ldb, packed, beta, c,
            cOff + p * strideC, ldc, false, false);
      } else {
        gemmPacked(ta, m, n, 0, k, k, alpha, a, aOff + p * strideA, lda, packed, beta, c, cOff + p * strideC, ldc);
      }
    });
    return true;
  }

  /**
   * The depth-split items of a shared-B batch as batch × chunks independent tasks (item p, chunk
   * q) into one partial buffer, then the partials of each item summed in chunk order: the same
   * bits as each item's own split ({@link #gemmSplitDepth}), with tasks enough to balance any
   * thread count (the QR's W = CᵀV has 1 to 15 items, an odd number of them leaving a thread
   * idle for up to a third of the call on 2 threads). False when the partials would exceed
   * {@link #SHARED_B_MAX_ELEMENTS}.
   */
  private boolean itemChunkTasks(int m, int n, int k, int chunks, double alpha, double[] a, int aOff, int lda,
      int strideA, boolean ta, double[] packed, double beta, double[] c, int cOff, int ldc, int strideC, int batch,
      boolean multithreaded) {
    int mn = m * n;
    int chunkK = chunkDepth(k, chunks);
    int count = (k + chunkK - 1) / chunkK;
    long size = (long) batch * count * mn;
    if (size > SHARED_B_MAX_ELEMENTS) {
      return false;
    }
    double[] partial = sharedPartialBuffer.get();
    if (partial.length < size) {
      partial = new double[(int) size];
      sharedPartialBuffer.set(partial);
    }
    double[] parts = partial;
    parallel.forEach(batch * count, multithreaded, t -> {
      int p = t / count;
      int p0 = (t % count) * chunkK;
      int ao = aOff + p * strideA + (ta ? p0 * lda : p0);
      gemmPacked(ta, m, n, p0, Math.min(chunkK, k - p0), k, 1, a, ao, lda, packed, 0, parts, t * mn, n);
    });
    parallel.forEach(batch, multithreaded && (long) batch * count * mn >= (1L << 15), p ->
        sumPartials(parts, p * count * mn, count, m, n, alpha, beta, c, cOff + p * strideC, ldc, false));
    return true;
  }

  /** Where block (jc, pc) of a wholly packed op(B) (depth k) starts: NC blocks one after the other, KC blocks within. */
  private static int sharedOffset(int jc, int pc, int k, int ncur) {
    return jc * k + pc * roundUp(ncur, NR);
  }

  /**
   * Depth range [p0, p0 + kq) of C = alpha·op(A)·op(B) + beta·C on the calling thread, B taken
   * from {@code bAll}, the whole op(B) (depth kTotal) packed by {@link #gemmSharedB}; {@code aOff}
   * points at the range's first column of op(A). p0 and every KC block of the range are KC
   * blocks of the whole product, so this is {@link #gemmBlocked} on one thread without packing B.
   */
  private void gemmPacked(boolean ta, int m, int n, int p0, int kq, int kTotal, double alpha, double[] a, int aOff,
      int lda, double[] bAll, double beta, double[] c, int cOff, int ldc) {
    double[] ap = aBuffer.get();
    for (int jc = 0; jc < n; jc += nc) {
      int ncur = Math.min(nc, n - jc);
      int nPanels = (ncur + NR - 1) / NR;
      for (int pc = 0; pc < kq; pc += kc) {
        int kcur = Math.min(kc, kq - pc);
        int bBase = sharedOffset(jc, p0 + pc, kTotal, ncur);
        for (int ic = 0; ic < m; ic += mc) {
          block(ta, m, n, a, aOff, lda, ic, mc, pc, kcur, jc, 0, nPanels, alpha, beta, pc == 0, c, cOff, ldc, ap, bAll,
              bBase, false);
        }
      }
    }
  }

  /**
   * Number of depth chunks for a product with a small C and a long k (1: no split). Why: such a
   * product (the QR panel's W = CᵀV, 64×64 from k = 8192; a Gram of a few columns) has only a
   * handful of MC×NR tasks per KC block, so the threads meet at a barrier every KC steps and
   * mostly wait; split along k, each chunk is an independent single-threaded product. The rule
   * depends on the shape only, never on the thread count, so results stay bit-identical across
   * thread counts.
   */
  int depthChunks(int m, int n, int k) {
    if ((long) m * n > SPLIT_MAX_MN || k < 2 * SPLIT_CHUNK_DEPTH) {
      return 1;
    }
    return Math.min(SPLIT_MAX_CHUNKS, k / SPLIT_CHUNK_DEPTH);
  }

  /**
   * C = alpha·Σ_c op(A)(:, K_c)·op(B)(K_c, :) + beta·C over {@code chunks} consecutive depth
   * ranges K_c (multiples of KC, the last one shorter). Each partial product runs on one thread
   * into its own m×n buffer; the sum then adds the partials in chunk order, so every element of C
   * is formed the same way whichever thread computed which chunk. With {@code lowerOnly} only the
   * elements on and below the diagonal are written (the computed tiles cover them). With
   * {@code bAll} non-null, B comes packed from {@link #gemmSharedB} (and lowerOnly is false).
   */
  private void gemmSplitDepth(boolean ta, boolean tb, int m, int n, int k, int chunks, double alpha, double[] a,
      int aOff, int lda, double[] b, int bOff, int ldb, double[] bAll, double beta, double[] c, int cOff, int ldc,
      boolean lowerOnly, boolean multithreaded) {
    int mn = m * n;
    int chunkK = chunkDepth(k, chunks);
    int count = (k + chunkK - 1) / chunkK;
    double[] partial = partialBuffer.get();
    if (partial.length < count * mn) {
      partial = new double[count * mn];
      partialBuffer.set(partial);
    }
    double[] parts = partial;
    parallel.forEach(count, multithreaded, q -> {
      int p0 = q * chunkK;
      int kq = Math.min(chunkK, k - p0);
      int ao = ta ? aOff + p0 * lda : aOff + p0;
      if (bAll != null) {
        gemmPacked(ta, m, n, p0, kq, k, 1, a, ao, lda, bAll, 0, parts, q * mn, n);
        return;
      }
      int bo = tb ? bOff + p0 : bOff + p0 * ldb;
      gemmBlocked(ta, tb, m, n, kq, 1, a, ao, lda, b, bo, ldb, 0, parts, q * mn, n, lowerOnly, false);
    });
    sumPartials(parts, 0, count, m, n, alpha, beta, c, cOff, ldc, lowerOnly);
  }

  /** Depth of each chunk of a product split into {@code chunks} (whole KC blocks; the last chunk may be shorter). */
  private int chunkDepth(int k, int chunks) {
    int len = (k + chunks - 1) / chunks;
    return (len + kc - 1) / kc * kc;
  }

  /**
   * C = alpha·Σ_q P_q + beta·C for the {@code count} m×n partial products P_q at
   * {@code parts[base + q·m·n]}, added in chunk order (the order that makes a split product's
   * bits independent of who computed which chunk).
   */
  private static void sumPartials(double[] parts, int base, int count, int m, int n, double alpha, double beta, double[] c,
      int cOff, int ldc, boolean lowerOnly) {
    int mn = m * n;
    for (int i = 0; i < m; i++) {
      int jEnd = lowerOnly ? Math.min(n, i + 1) : n;
      int ci = cOff + i * ldc;
      for (int j = 0; j < jEnd; j++) {
        double sum = parts[base + i * n + j];
        for (int q = 1; q < count; q++) {
          sum += parts[base + q * mn + i * n + j];
        }
        c[ci + j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ci + j];
      }
    }
  }

  /** The blocked product, threads over MC×NR blocks within each KC block. */
  private void gemmBlocked(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, boolean lowerOnly, boolean multithreaded) {
    int threads = multithreaded && (long) m * n * k >= PARALLEL_MIN_WORK ? parallel.threads() : 1;
    double[] bp = bBuffer.get();
    for (int jc = 0; jc < n; jc += nc) {
      int ncur = Math.min(nc, n - jc);
      int nPanels = (ncur + NR - 1) / NR;
      for (int pc = 0; pc < k; pc += kc) {
        int kcur = Math.min(kc, k - pc);
        boolean first = pc == 0;
        int jcF = jc;
        int pcF = pc;
        if (threads > 1 && (long) kcur * ncur >= (1L << 17)) {
          int groups = Math.min(threads, nPanels);
          parallel.forEach(groups, g -> packB(tb, b, bOff, ldb, pcF, kcur, jcF, ncur,
              g * nPanels / groups, (g + 1) * nPanels / groups, bp, 0));
        } else {
          packB(tb, b, bOff, ldb, pc, kcur, jc, ncur, 0, nPanels, bp, 0);
        }
        // Enough tasks for dynamic balance: about 8 per thread, so that a thread descheduled by
        // another process costs at most a small tail. They come from smaller row blocks first
        // (down to 8·MR rows), and only then from splitting the NC panel along n, because each
        // part of a split re-packs the A block: at n = 1024 on 2 threads, 64-row blocks instead
        // of 144-row blocks in two halves halve the A packing. A B micro-panel is still reused
        // over at least 8 A micro-panels. Only KC affects how a sum is formed, so the row
        // grouping leaves results independent of the thread count.
        int tasksWanted = 8 * threads;
        int mcb = mc;
        if (threads > 1 && (m + mc - 1) / mc < tasksWanted) {
          mcb = Math.min(mc, Math.max(8 * MR, roundUp((m + tasksWanted - 1) / tasksWanted, MR)));
        }
        int mcbF = mcb;
        int icBlocks = (m + mcb - 1) / mcb;
        int split = threads == 1 ? 1 : Math.min(nPanels, Math.max(1, (tasksWanted + icBlocks - 1) / icBlocks));
        if (threads == 1) {
          double[] ap = aBuffer.get();
          for (int ic = 0; ic < m; ic += mc) {
            block(ta, m, n, a, aOff, lda, ic, mc, pc, kcur, jc, 0, nPanels, alpha, beta, first, c, cOff, ldc, ap, bp, 0,
                lowerOnly);
          }
        } else {
          // A lower triangle's row blocks cost in proportion to their last row: handing out the
          // largest first leaves a small one last, so the threads finish each depth block together.
          int tasks = icBlocks * split;
          parallel.forEach(tasks, t -> {
            int u = lowerOnly ? tasks - 1 - t : t;
            int ic = (u / split) * mcbF;
            int part = u % split;
            block(ta, m, n, a, aOff, lda, ic, mcbF, pcF, kcur, jcF, part * nPanels / split, (part + 1) * nPanels / split,
                alpha, beta, first, c, cOff, ldc, aBuffer.get(), bp, 0, lowerOnly);
          });
        }
      }
    }
  }

  /** One A block (rows ic..ic+mcb, mcb ≤ MC) against B panels q0..q1 of the packed B block at bp[bpOff]. */
  private void block(boolean ta, int m, int n, double[] a, int aOff, int lda, int ic, int mcb, int pc, int kcur,
      int jc, int q0, int q1, double alpha, double beta, boolean first, double[] c, int cOff, int ldc,
      double[] ap, double[] bp, int bpOff, boolean lowerOnly) {
    int mcur = Math.min(mcb, m - ic);
    if (q0 >= q1 || (lowerOnly && jc + q0 * NR > ic + mcur - 1)) {
      return;  // empty range, or entirely above the diagonal
    }
    boolean direct = readsAInPlace(ta, q1 - q0);
    int fullRows = mcur / MR * MR;
    if (!direct) {
      packA(ta, a, aOff, lda, ic, mcur, pc, kcur, ap);
    } else if (fullRows < mcur) {
      packA(ta, a, aOff, lda, ic + fullRows, mcur - fullRows, pc, kcur, ap);  // only the ragged last panel, at 0
    }
    double[] tile = new double[MR * NR];
    int group = panelGroup(kcur);
    for (int g0 = q0; g0 < q1; g0 += group) {
      int g1 = Math.min(q1, g0 + group);
      for (int i0 = ic, ai = 0; i0 < ic + mcur; i0 += MR, ai += MR * kcur) {
        int rows = Math.min(MR, ic + mcur - i0);
        for (int q = g0; q < g1; q++) {
          int j0 = jc + q * NR;
          int cols = Math.min(NR, n - j0);
          int bi = bpOff + q * NR * kcur;
          if (lowerOnly && j0 > i0 + rows - 1) {
            continue;
          }
          if (direct) {
            if (rows == MR) {
              kernel4Rows(kcur, a, aOff + i0 * lda + pc, lda, bp, bi, tile);
            } else {
              kernel4(kcur, ap, 0, bp, bi, tile);
            }
          } else if (MR == 8) {
            kernel8(kcur, ap, ai, bp, bi, tile);
          } else {
            kernel4(kcur, ap, ai, bp, bi, tile);
          }
          int ci = cOff + i0 * ldc + j0;
          if (rows == MR && cols == NR) {
            writeTile(tile, c, ci, ldc, alpha, beta, first);
          } else {
            writeEdgeTile(tile, rows, cols, c, ci, ldc, alpha, beta, first);
          }
        }
      }
    }
  }

  /**
   * The register-blocked micro-kernel for MR = 4: tile = A panel (4×kc) · B panel (kc×NR). The
   * accumulators leave registers only once, into {@code tile}: passing vectors to a method that
   * C2 does not inline (it stops inlining past NodeCountInliningCutoff in a method this size)
   * makes it box them, which in the loop costs an allocation per FMA and a 5-fold slowdown
   * (measured, see docs/design-notes.md).
   */
  private static void kernel4(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
    // zero() would yield a cached constant vector object; as a loop-phi input it defeats box
    // elimination, so the accumulators start from a broadcast.
    DoubleVector c00 = DoubleVector.broadcast(S, 0f);
    DoubleVector c01 = DoubleVector.broadcast(S, 0f);
    DoubleVector c10 = DoubleVector.broadcast(S, 0f);
    DoubleVector c11 = DoubleVector.broadcast(S, 0f);
    DoubleVector c20 = DoubleVector.broadcast(S, 0f);
    DoubleVector c21 = DoubleVector.broadcast(S, 0f);
    DoubleVector c30 = DoubleVector.broadcast(S, 0f);
    DoubleVector c31 = DoubleVector.broadcast(S, 0f);
    for (int p = 0; p < kc; p++) {
      int ia = ai + p * MR;
      int ib = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, ib);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, ib + L);
      DoubleVector x = DoubleVector.broadcast(S, ap[ia]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, ap[ia + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, ap[ia + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, ap[ia + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
  }

  /**
   * How many B panels {@link #block} sweeps with one A micro-panel before moving to the next:
   * 1 (B panel outer, A micro-panels inner, the B micro-panel staying in L1) unless the depth is
   * short (a B micro-panel of at most {@value #GROUP_MAX_PANEL_BYTES} bytes, kcur ≤ 128), then
   * as many as fill {@value #GROUP_BYTES} bytes (L2). Why: with a short depth the kernel is short
   * (kb = 64 in the QR's rank-64 update: 512 FMA cycles a tile) and the C tile it reads and
   * writes is cold; B panel outer walks C down its columns (4 new rows of C per tile, at a stride
   * the prefetcher does not follow), a group walks along the rows. Measured on the QR update
   * item (nc×1024 += W·Vᵀ, depth 64, C cold, 1 thread): 0.92–0.93× the time (nc = 512, 960 F64
   * and 512 F32), 0.81× at nc = 256. The order of the tiles changes no element's sum.
   */
  private int panelGroup(int kcur) {
    int panelBytes = kcur * NR * Double.BYTES;
    return panelBytes <= GROUP_MAX_PANEL_BYTES ? Math.max(1, groupBytes / panelBytes) : 1;
  }

  /**
   * Whether {@link #block} reads the full MR-row micro-panels of A from its rows in place
   * ({@link #kernel4Rows}) instead of packing them: row-major A (ta = N), MR = 4, and at most
   * {@link #DIRECT_A_MAX_PANELS} B panels to apply the block to. Why: packing costs one copy per
   * element of A, amortised over the B panels; with few (the QR's W = CᵀV, n = 64: 8 panels)
   * reading 4 row streams in place measured 1.08× faster, with many (n = 1024) 0.95–0.97× (power
   * of two lda), at n = 384–1536 even. Either way the same FMAs in the same order, so the choice
   * never changes a result.
   */
  private boolean readsAInPlace(boolean ta, int panels) {
    return directA && !ta && MR == 4 && panels <= DIRECT_A_MAX_PANELS;
  }

  /**
   * {@link #kernel4} with A read in place: row r of the micro-panel is {@code a[a0 + r·lda + p]},
   * p &lt; kc (row-major A, no packing). The same FMAs in the same order, so the same bits.
   */
  private static void kernel4Rows(int kc, double[] a, int a0, int lda, double[] bp, int bi, double[] tile) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    DoubleVector c00 = DoubleVector.broadcast(S, 0f);
    DoubleVector c01 = DoubleVector.broadcast(S, 0f);
    DoubleVector c10 = DoubleVector.broadcast(S, 0f);
    DoubleVector c11 = DoubleVector.broadcast(S, 0f);
    DoubleVector c20 = DoubleVector.broadcast(S, 0f);
    DoubleVector c21 = DoubleVector.broadcast(S, 0f);
    DoubleVector c30 = DoubleVector.broadcast(S, 0f);
    DoubleVector c31 = DoubleVector.broadcast(S, 0f);
    for (int p = 0; p < kc; p++) {
      int ib = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, ib);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, ib + L);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
  }

  /**
   * The micro-kernel for MR = 8 (512-bit species): tile = A panel (8×kc) · B panel (kc×NR), as
   * {@link #kernel4} with 16 accumulators, the same order of operations per element.
   */
  private static void kernel8(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
    DoubleVector c00 = DoubleVector.broadcast(S, 0f);
    DoubleVector c01 = DoubleVector.broadcast(S, 0f);
    DoubleVector c10 = DoubleVector.broadcast(S, 0f);
    DoubleVector c11 = DoubleVector.broadcast(S, 0f);
    DoubleVector c20 = DoubleVector.broadcast(S, 0f);
    DoubleVector c21 = DoubleVector.broadcast(S, 0f);
    DoubleVector c30 = DoubleVector.broadcast(S, 0f);
    DoubleVector c31 = DoubleVector.broadcast(S, 0f);
    DoubleVector c40 = DoubleVector.broadcast(S, 0f);
    DoubleVector c41 = DoubleVector.broadcast(S, 0f);
    DoubleVector c50 = DoubleVector.broadcast(S, 0f);
    DoubleVector c51 = DoubleVector.broadcast(S, 0f);
    DoubleVector c60 = DoubleVector.broadcast(S, 0f);
    DoubleVector c61 = DoubleVector.broadcast(S, 0f);
    DoubleVector c70 = DoubleVector.broadcast(S, 0f);
    DoubleVector c71 = DoubleVector.broadcast(S, 0f);
    for (int p = 0; p < kc; p++) {
      int ia = ai + p * MR;
      int ib = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, ib);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, ib + L);
      DoubleVector x = DoubleVector.broadcast(S, ap[ia]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, ap[ia + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, ap[ia + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, ap[ia + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(S, ap[ia + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(S, ap[ia + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = DoubleVector.broadcast(S, ap[ia + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = DoubleVector.broadcast(S, ap[ia + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + L);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + L);
  }

  /** The first rows × cols of a tile into C, element by element (edge tiles), as {@link #writeTile} forms each element. */
  private static void writeEdgeTile(double[] tile, int rows, int cols, double[] c, int ci, int ldc, double alpha,
      double beta, boolean first) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        double t = tile[r * NR + j];
        int x = ci + r * ldc + j;
        c[x] = !first ? Math.fma(alpha, t, c[x]) : beta == 0 ? alpha * t : alpha * t + beta * c[x];
      }
    }
  }

  /** A full tile into C: first K block C = alpha·acc + beta·C (C unread if beta = 0), later C += alpha·acc. */
  private static void writeTile(double[] tile, double[] c, int ci, int ldc, double alpha, double beta, boolean first) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    for (int r = 0; r < MR; r++, ci += ldc) {
      for (int h = 0; h < NR; h += L) {
        DoubleVector x = DoubleVector.fromArray(S, tile, r * NR + h);
        if (!first) {
          x.fma(va, DoubleVector.fromArray(S, c, ci + h)).intoArray(c, ci + h);
        } else if (beta == 0) {
          x.mul(va).intoArray(c, ci + h);
        } else {
          x.mul(va).add(DoubleVector.fromArray(S, c, ci + h).mul(beta)).intoArray(c, ci + h);
        }
      }
    }
  }

  /**
   * Packs op(A)[ic:ic+mcur, pc:pc+kcur] into MR-row panels: element (i, p) of panel r at
   * {@code r·MR·kcur + p·MR + (i mod MR)}; rows past mcur are zero.
   */
  private static void packA(boolean ta, double[] a, int aOff, int lda, int ic, int mcur, int pc, int kcur, double[] ap) {
    for (int r = 0, base = 0; r < mcur; r += MR, base += MR * kcur) {
      int rows = Math.min(MR, mcur - r);
      int i0 = ic + r;
      if (ta && rows == MR && MR <= L) {
        packTransposedPanel(a, aOff + pc * lda + i0, lda, kcur, ap, base);
      } else if (ta) {
        // the ragged last panel (rows < MR), or MR > L: element by element, rows past mcur zero
        for (int p = 0; p < kcur; p++) {
          int src = aOff + (pc + p) * lda + i0;
          int dst = base + p * MR;
          for (int ii = 0; ii < rows; ii++) {
            ap[dst + ii] = a[src + ii];
          }
          for (int ii = rows; ii < MR; ii++) {
            ap[dst + ii] = 0;
          }
        }
      } else if (rows == MR && MR == 4) {
        int s0 = aOff + i0 * lda + pc;
        int s1 = s0 + lda;
        int s2 = s1 + lda;
        int s3 = s2 + lda;
        for (int p = 0, dst = base; p < kcur; p++, dst += MR) {
          ap[dst] = a[s0 + p];
          ap[dst + 1] = a[s1 + p];
          ap[dst + 2] = a[s2 + p];
          ap[dst + 3] = a[s3 + p];
        }
      } else if (rows == MR) {
        // One source row at a time: reads stay sequential, writes stride MR.
        for (int ii = 0; ii < MR; ii++) {
          int src = aOff + (i0 + ii) * lda + pc;
          for (int p = 0, dst = base + ii; p < kcur; p++, dst += MR) {
            ap[dst] = a[src + p];
          }
        }
      } else {
        for (int p = 0; p < kcur; p++) {
          int dst = base + p * MR;
          for (int ii = 0; ii < MR; ii++) {
            ap[dst + ii] = ii < rows ? a[aOff + (i0 + ii) * lda + pc + p] : 0;
          }
        }
      }
    }
  }

  /**
   * One full micro-panel of a transposed A: op(A)(i0 + r, pc + p) = a[src + p·lda + r], MR
   * consecutive elements per step p, copied as one vector. Element by element this cost 6.6 % of a
   * 1536-column Gram (k = 5461, one thread), as a vector 2 %. A method of its own so that C2
   * compiles it from its own profile: inside {@link #packA}, compiled first for the other cases
   * (a run of small GEMMs before the Gram), the loop ran 5 times slower.
   */
  private static void packTransposedPanel(double[] a, int src, int lda, int kcur, double[] ap, int dst) {
    for (int p = 0; p < kcur; p++, src += lda, dst += MR) {
      DoubleVector.fromArray(MR_LANES, a, src).intoArray(ap, dst);
    }
  }

  /**
   * Packs panels q0..q1 of op(B)[pc:pc+kcur, jc:jc+ncur] into NR-column panels: element (p, j)
   * of panel q at {@code bpOff + q·NR·kcur + p·NR + (j mod NR)}; columns past ncur are zero.
   */
  private static void packB(boolean tb, double[] b, int bOff, int ldb, int pc, int kcur, int jc, int ncur,
      int q0, int q1, double[] bp, int bpOff) {
    for (int q = q0; q < q1; q++) {
      int j0 = jc + q * NR;
      int cols = Math.min(NR, jc + ncur - j0);
      int base = bpOff + q * NR * kcur;
      if (tb) {
        // op(B)(p, j) = b[j·ldb + p]: read along p, write with stride NR.
        for (int jj = 0; jj < NR; jj++) {
          if (jj < cols) {
            int src = bOff + (j0 + jj) * ldb + pc;
            for (int p = 0, dst = base + jj; p < kcur; p++, dst += NR) {
              bp[dst] = b[src + p];
            }
          } else {
            for (int p = 0, dst = base + jj; p < kcur; p++, dst += NR) {
              bp[dst] = 0;
            }
          }
        }
      } else if (cols == NR) {
        for (int p = 0, src = bOff + pc * ldb + j0, dst = base; p < kcur; p++, src += ldb, dst += NR) {
          DoubleVector.fromArray(S, b, src).intoArray(bp, dst);
          DoubleVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
        }
      } else {
        for (int p = 0; p < kcur; p++) {
          int src = bOff + (pc + p) * ldb + j0;
          int dst = base + p * NR;
          for (int jj = 0; jj < NR; jj++) {
            bp[dst + jj] = jj < cols ? b[src + jj] : 0;
          }
        }
      }
    }
  }

  private static int roundUp(int x, int to) {
    return (x + to - 1) / to * to;
  }
}
