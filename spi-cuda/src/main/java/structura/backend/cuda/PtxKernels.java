package structura.backend.cuda;

import structura.api.backend.RadialKernel;

/**
 * {@link DeviceKernels} on the kernels of {@code src/main/cuda/structura_kernels.cu}, packaged as
 * PTX at {@link #PTX_RESOURCE}: each method picks the launch geometry and passes the arguments
 * with exactly the types of the kernel's parameters ({@code int} → {@link Integer}, device
 * pointers → {@link Long}, {@code float}/{@code double} → {@link Float}/{@link Double}; a
 * {@code boolean} travels as an int 0/1). {@code PtxKernelsTest} checks every launch against the
 * {@code .param} list of the packaged PTX.
 *
 * <p><b>Geometry.</b>
 * <ul>
 * <li>Row operations (softmax, attention softmax, LayerNorm, RMSNorm): one warp per row,
 *     {@value #ROW_BLOCK} threads (4 rows) per block. Rows of up to 1024 columns are held in
 *     registers (read once, written once); longer rows are streamed in three passes. Transformer
 *     shapes have many short rows (49,152 attention rows of 128 keys; 4,096 LayerNorm rows of
 *     384), so a warp per row keeps every reduction in shuffles, without shared memory or
 *     barriers.</li>
 * <li>Elementwise operations: one thread per element of the flattened m × n block,
 *     {@value #ELEMENT_BLOCK} threads per block, at most {@value #MAX_BLOCKS} blocks; the kernels
 *     stride over the rest.</li>
 * <li>Kernel products: blocks of {@value #PAIRWISE_BLOCK} threads along x, each serving
 *     {@code PAIRWISE_BLOCK / PAIRWISE_SLICES} target rows with {@value #PAIRWISE_SLICES} threads
 *     per row splitting the sources (their partial sums added in a fixed order), blocks of
 *     {@value #PAIRWISE_COLUMNS} output columns along y (at most {@value #MAX_GRID_Y}, the
 *     hardware limit, striding beyond), and dynamic shared memory for a tile of source rows sized
 *     by {@link #pairwiseTile} plus the partial sums ({@link #pairwiseSharedBytes}).</li>
 * </ul>
 * Every kernel uses grid-stride loops and 64-bit row offsets, so grids are capped without
 * losing coverage. Launches are asynchronous (see {@link KernelLauncher}); nothing is allocated.
 * Shapes with a zero extent launch nothing. Stateless apart from the launcher; thread-safe
 * when the launcher is.
 */
final class PtxKernels implements DeviceKernels {
  /** Class-path location of the PTX module, for {@code Class.getResourceAsStream} on this module's classes. */
  static final String PTX_RESOURCE = "/structura/backend/cuda/structura_kernels.ptx";

  /** Threads per block of the row kernels: 4 warps, one row each. */
  static final int ROW_BLOCK = 128;
  /** Threads per block of the elementwise kernels. */
  static final int ELEMENT_BLOCK = 256;
  /** Cap on grid.x for the grid-stride kernels (far more than enough to fill any GPU). */
  static final int MAX_BLOCKS = 1 << 16;
  /** Threads per block of the kernel products. */
  static final int PAIRWISE_BLOCK = 256;
  /** Threads per target row of the kernel products, each summing every SLICES-th source ({@code SLICES} in the .cu). */
  static final int PAIRWISE_SLICES = 4;
  /** Target rows per block of the kernel products. */
  static final int PAIRWISE_TARGETS = PAIRWISE_BLOCK / PAIRWISE_SLICES;
  /** Output columns per thread of the kernel products ({@code KCOLS} in the .cu). */
  static final int PAIRWISE_COLUMNS = 4;
  /** Hardware limit on grid.y and grid.z. */
  static final int MAX_GRID_Y = 65_535;
  /** Most source rows per shared-memory tile (one per thread of the block, for the loads). */
  static final int MAX_TILE = PAIRWISE_BLOCK;
  /** Dynamic shared memory a launch may use without an opt-in attribute (48 KiB on every GPU). */
  static final int MAX_SHARED_BYTES = 48 * 1024;
  /** Shared memory the tile aims for, leaving room for several blocks per multiprocessor. */
  static final int TILE_BUDGET_BYTES = 16 * 1024;

  private final KernelLauncher launcher;

  /** @param launcher queues launches on the backend's stream */
  PtxKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  @Override
  public void softmaxRows(int m, int n, float alpha, long x, int ld, long mask, int ldMask) {
    if (m <= 0 || n <= 0) {
      return;
    }
    launchRows("softmax_rows_f32", m, m, n, alpha, x, ld, mask, ldMask);
  }

  @Override
  public void gelu(int m, int n, long x, int ld) {
    launchElements("gelu_f32", m, n, m, n, x, ld);
  }

  @Override
  public void silu(int m, int n, long x, int ld) {
    launchElements("silu_f32", m, n, m, n, x, ld);
  }

  @Override
  public void swiglu(int m, int n, long gate, int ldGate, long up, int ldUp) {
    launchElements("swiglu_f32", m, n, m, n, gate, ldGate, up, ldUp);
  }

  @Override
  public void layerNorm(int m, int n, long x, int ld, long gamma, long beta, float eps) {
    if (m <= 0 || n <= 0) {
      return;
    }
    launchRows("layer_norm_f32", m, m, n, x, ld, gamma, beta, eps);
  }

  @Override
  public void rmsNorm(int m, int n, long x, int ld, long gamma, float eps) {
    if (m <= 0 || n <= 0) {
      return;
    }
    launchRows("rms_norm_f32", m, m, n, x, ld, gamma, eps);
  }

  @Override
  public void attentionSoftmax(int batch, int heads, int queries, int keys, float alpha, long scores, long keyMask,
      boolean causal) {
    long rows = (long) batch * heads * queries;
    if (rows <= 0 || keys <= 0) {
      return;
    }
    launchRows("attention_softmax_f32", rows, batch, heads, queries, keys, alpha, scores, keyMask, causal ? 1 : 0);
  }

  @Override
  public void addRowVector(int m, int n, long v, long x, int ld) {
    launchElements("add_row_vector_f32", m, n, m, n, v, x, ld);
  }

  @Override
  public void gatherRows(int rows, int width, long table, int ldTable, long indices, long out, int ldOut,
      boolean accumulate) {
    launchElements("gather_rows_f32", rows, width, rows, width, table, ldTable, indices, out, ldOut, accumulate ? 1 : 0);
  }

  @Override
  public void widenToF64(int m, int n, long src, int ldSrc, long dst, int ldDst) {
    launchElements("widen_f32_to_f64", m, n, m, n, src, ldSrc, dst, ldDst);
  }

  @Override
  public void kernelMultiplyF32(RadialKernel kernel, int m, int n, int d, int k, long x, int ldx, long y, int ldy,
      long v, int ldv, float beta, long o, int ldo) {
    launchPairwise("kernel_multiply_f32", Float.BYTES, m, n, d, k, kindCode(kernel.kind()), (float) kernel.variance(),
        (float) kernel.shape(), x, ldx, y, ldy, v, ldv, beta, o, ldo);
  }

  @Override
  public void kernelMultiplyF64(RadialKernel kernel, int m, int n, int d, int k, long x, int ldx, long y, int ldy,
      long v, int ldv, double beta, long o, int ldo) {
    launchPairwise("kernel_multiply_f64", Double.BYTES, m, n, d, k, kindCode(kernel.kind()), kernel.variance(),
        kernel.shape(), x, ldx, y, ldy, v, ldv, beta, o, ldo);
  }

  /**
   * The kernels' code for a kind ({@code KIND_*} in the .cu); exhaustive, so a new kind fails
   * compilation here rather than running another kind's formula. MATERN_12 is EXPONENTIAL.
   */
  static int kindCode(RadialKernel.Kind kind) {
    return switch (kind) {
      case GAUSSIAN -> 0;
      case EXPONENTIAL, MATERN_12 -> 1;
      case MATERN_32 -> 2;
      case MATERN_52 -> 3;
      case RATIONAL_QUADRATIC -> 4;
      case CAUCHY -> 5;
      case LAPLACE -> 6;
    };
  }

  /**
   * Source rows per shared-memory tile of a kernel product in dimension d with elements of
   * {@code elementBytes}: as many as fit {@link #TILE_BUDGET_BYTES} (at most {@link #MAX_TILE},
   * at most n, at least 1), or 0 when even one row of Y and V does not fit beside the partial
   * sums in {@link #MAX_SHARED_BYTES} (the kernel then reads them from global memory).
   */
  static int pairwiseTile(int n, int d, int elementBytes) {
    long rowBytes = ((long) d + PAIRWISE_COLUMNS) * elementBytes;
    if (rowBytes > MAX_SHARED_BYTES - (long) PAIRWISE_BLOCK * PAIRWISE_COLUMNS * elementBytes) {
      return 0;
    }
    long fit = Math.max(1, TILE_BUDGET_BYTES / rowBytes);
    return (int) Math.min(Math.min(fit, MAX_TILE), n);
  }

  /** Dynamic shared memory of a kernel-product launch: the tile of Y and V rows, then the partial sums. */
  static int pairwiseSharedBytes(int tile, int d, int elementBytes) {
    return (int) (((long) tile * (d + PAIRWISE_COLUMNS) + (long) PAIRWISE_BLOCK * PAIRWISE_COLUMNS) * elementBytes);
  }

  private void launchRows(String function, long rows, Object... args) {
    long warpsPerBlock = ROW_BLOCK / 32;
    int blocks = (int) Math.min((rows + warpsPerBlock - 1) / warpsPerBlock, MAX_BLOCKS);
    launcher.launch(function, blocks, 1, 1, ROW_BLOCK, 1, 1, 0, args);
  }

  private void launchElements(String function, int m, int n, Object... args) {
    if (m <= 0 || n <= 0) {
      return;
    }
    long total = (long) m * n;
    int blocks = (int) Math.min((total + ELEMENT_BLOCK - 1) / ELEMENT_BLOCK, MAX_BLOCKS);
    launcher.launch(function, blocks, 1, 1, ELEMENT_BLOCK, 1, 1, 0, args);
  }

  private void launchPairwise(String function, int elementBytes, int m, int n, int d, int k, int kind, Object variance,
      Object shape, long x, int ldx, long y, int ldy, long v, int ldv, Object beta, long o, int ldo) {
    if (m <= 0 || k <= 0) {
      return;
    }
    // n == 0 or d == 0 cannot reach here (Compute validates n, d ≥ 1); the kernel would still
    // write beta·O, with an empty sum
    int tile = pairwiseTile(Math.max(n, 1), d, elementBytes);
    int sharedBytes = pairwiseSharedBytes(tile, d, elementBytes);
    int blocksX = (int) Math.min(((long) m + PAIRWISE_TARGETS - 1) / PAIRWISE_TARGETS, Integer.MAX_VALUE);
    int blocksY = (int) Math.min(((long) k + PAIRWISE_COLUMNS - 1) / PAIRWISE_COLUMNS, MAX_GRID_Y);
    launcher.launch(function, blocksX, blocksY, 1, PAIRWISE_BLOCK, 1, 1, sharedBytes,
        kind, variance, shape, m, n, d, k, x, ldx, y, ldy, v, ldv, beta, o, ldo, tile);
  }
}
