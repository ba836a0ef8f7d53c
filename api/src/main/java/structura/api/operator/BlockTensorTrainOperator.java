package structura.api.operator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * A block tensor-train (BTT) matrix with c ≥ 1 cores and any ranks (Qiu, Potapczynski, Finzi,
 * Goldblum, Wilson, "Compute Better Spent: Replacing Dense Layers with Structured Matrices",
 * ICML 2024, §3; code {@code shikaiqiu/compute-better-spent}).
 *
 * <p><b>Definition.</b> The input length is d_in = m_1···m_c and the output length d_out =
 * n_1···n_c, with the first factor the least significant digit: input index
 * j = j_1 + m_1·(j_2 + m_2·(j_3 + …)), output index i = i_1 + n_1·(i_2 + …). Ranks r_0 = r_c = 1
 * and r_1, …, r_{c-1} ≥ 1. Core t consumes input digit j_t and produces output digit i_t; it is
 * block-diagonal over the input digits not yet consumed, J_t = (j_{t+1}, …, j_c), and the output
 * digits already produced, I_t = (i_1, …, i_{t-1}): one (r_t·n_t)×(m_t·r_{t-1}) matrix
 * G_t[J_t, I_t] per block, rows indexed α_t·n_t + i_t, columns j_t·r_{t-1} + α_{t-1}. Then
 * <pre>W[i, j] = Σ_{α_1..α_{c-1}} Π_t G_t[J_t, I_t][α_t·n_t + i_t, j_t·r_{t-1} + α_{t-1}].</pre>
 * With c = 2 and r_1 = 1 this is the Monarch matrix of {@link MonarchOperator} with q = n_1 and
 * r = m_2; with c = 2 and rank r it is the paper's two-core BTT.
 *
 * <p><b>Storage.</b> Core t is one matrix of (|J_t|·|I_t|·r_t·n_t) rows and m_t·r_{t-1} columns:
 * the blocks stacked top to bottom in the order J_t-major, I_t-minor (block index
 * J·|I_t| + I with J = j_{t+1} + m_{t+1}·(j_{t+2} + …) and I = i_1 + n_1·(i_2 + … + n_{t-2}·i_{t-1}),
 * the least significant digits first, like the input and output indices).
 * Cores are not copied.
 *
 * <p><b>Cost.</b> {@code apply} runs core after core as strided batched GEMMs on the given
 * {@link Compute}; core t costs 2·B·|J_t|·|I_t|·(r_t·n_t)·(m_t·r_{t-1}) flops for B vectors, the
 * same count as the paper's (per token it equals the number of parameters times 2). The
 * intermediate after core t is laid out (J_t, α_t, i_t, I_t), so every core's operands are
 * strided views of one buffer: no permutation copies and never a dense form. Memory: two
 * intermediates of at most max_t |J_t|·|I_t|·r_t·n_t rows.
 *
 * <p><b>Deviation.</b> The reference {@code FasterBTT} numbers the output with the first core's
 * digit most significant; here it is the least significant (the layout that needs no copies and
 * agrees with Monarch's). The two differ by a fixed permutation of the output.
 */
public final class BlockTensorTrainOperator implements LinearOperator {
  private final int[] inDims;
  private final int[] outDims;
  private final int[] ranks;
  private final List<Matrix> cores;
  private final Compute compute;

  BlockTensorTrainOperator(int[] inDims, int[] outDims, int[] ranks, List<Matrix> cores, Compute compute) {
    this.inDims = inDims.clone();
    this.outDims = outDims.clone();
    this.ranks = ranks.clone();
    this.cores = List.copyOf(cores);
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** The shape checks of {@link Operators#blockTensorTrain}; throws a coded error naming the argument. */
  static void validate(int[] inDims, int[] outDims, int[] ranks, List<Matrix> cores) {
    Objects.requireNonNull(inDims, "inDims");
    Objects.requireNonNull(outDims, "outDims");
    Objects.requireNonNull(ranks, "ranks");
    Objects.requireNonNull(cores, "cores");
    int c = inDims.length;
    if (c == 0 || outDims.length != c || cores.size() != c || ranks.length != c + 1) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "blockTensorTrain: inDims has " + c + " entries, outDims " + outDims.length + ", cores " + cores.size()
              + " and ranks " + ranks.length + ".",
          "Pass c >= 1 input and output dimensions, c cores and c + 1 ranks (r_0 = r_c = 1).");
    }
    if (ranks[0] != 1 || ranks[c] != 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "blockTensorTrain: ranks " + Arrays.toString(ranks) + " must start and end with 1.", "Pass r_0 = r_c = 1.");
    }
    for (int t = 0; t < c; t++) {
      if (inDims[t] < 1 || outDims[t] < 1 || ranks[t] < 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "blockTensorTrain: inDims " + Arrays.toString(inDims) + ", outDims " + Arrays.toString(outDims)
                + " and ranks " + Arrays.toString(ranks) + " must all be positive.", "Pass dimensions and ranks >= 1.");
      }
    }
    long in = 1;
    long out = 1;
    for (int t = 0; t < c; t++) {
      in *= inDims[t];
      out *= outDims[t];
      if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "blockTensorTrain: the product of inDims " + Arrays.toString(inDims) + " or outDims "
                + Arrays.toString(outDims) + " exceeds 2^31 - 1.", "Use smaller dimensions.");
      }
    }
    DType dtype = Objects.requireNonNull(cores.get(0), "cores[0]").dtype();
    for (int t = 0; t < c; t++) {
      Matrix g = Objects.requireNonNull(cores.get(t), "cores[" + t + "]");
      long rows = (long) product(inDims, t + 1, c) * product(outDims, 0, t) * ranks[t + 1] * outDims[t];
      long cols = (long) inDims[t] * ranks[t];
      if (g.rows() != rows || g.cols() != cols) {
        throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
            "blockTensorTrain: cores[" + t + "] is " + g.rows() + "x" + g.cols() + " but must be " + rows + "x" + cols
                + " (|J|·|I|·r_" + (t + 1) + "·n_" + (t + 1) + " x m_" + (t + 1) + "·r_" + t + ").",
            "Stack the core's blocks as documented on BlockTensorTrainOperator.");
      }
      if (g.dtype() != dtype) {
        throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
            "blockTensorTrain: cores[" + t + "] is " + g.dtype() + " but cores[0] is " + dtype + ".",
            "Build all cores in one dtype.");
      }
    }
  }

  private static int product(int[] v, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p = Math.multiplyExact(p, v[i]);
    }
    return p;
  }

  /** m_1, …, m_c (a copy). */
  public int[] inDims() {
    return inDims.clone();
  }

  /** n_1, …, n_c (a copy). */
  public int[] outDims() {
    return outDims.clone();
  }

  /** r_0 = 1, r_1, …, r_{c-1}, r_c = 1 (a copy). */
  public int[] ranks() {
    return ranks.clone();
  }

  /** The c cores as stored (not copies). */
  public List<Matrix> cores() {
    return cores;
  }

  /** The compute the GEMMs run on. */
  public Compute compute() {
    return compute;
  }

  /** Number of blocks |J_t|·|I_t| of core t (0-based). */
  public int blockCount(int t) {
    return blocksAfter(t) * blocksBefore(t);
  }

  private int blocksAfter(int t) {
    return product(inDims, t + 1, inDims.length);
  }

  private int blocksBefore(int t) {
    return product(outDims, 0, t);
  }

  /** Flops of one {@code apply} on one vector: 2·Σ_t (entries of core t). */
  public long flopsPerVector() {
    long f = 0;
    for (Matrix g : cores) {
      f += 2L * g.rows() * g.cols();
    }
    return f;
  }

  @Override
  public int rows() {
    return product(outDims, 0, outDims.length);
  }

  @Override
  public int cols() {
    return product(inDims, 0, inDims.length);
  }

  @Override
  public DType dtype() {
    return cores.get(0).dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    return run(x, null, false);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return run(y, null, true);
  }

  /**
   * The BTT mixture-of-experts product: like {@code apply}, but after the first core the
   * intermediate is multiplied entrywise by the gate, {@code z[…, α_1, …, b] *= gate[α_1, b]}, so
   * that with two cores y = Σ_e gate[e, b]·W_e·x_b, where W_e is the rank-1 BTT (a Monarch matrix)
   * of rank slice e. Rank slice e is expert e (Potapczynski et al., NeurIPS 2024, {@code BTTMoELayer};
   * see {@link BttMixtureOfExperts} for the router). Cost: {@code apply}'s plus one pass over the
   * first intermediate. Not modified: x, gate.
   *
   * @param x d_in×B inputs
   * @param gate r_1×B gate values (column b gates vector b); needs c ≥ 2
   */
  public Matrix applyGated(Matrix x, Matrix gate) {
    Operators.requireInput(this, x, cols(), "applyGated");
    Objects.requireNonNull(gate, "gate");
    if (cores.size() < 2 || gate.rows() != ranks[1] || gate.cols() != x.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          this + ".applyGated: the gate is " + gate.rows() + "x" + gate.cols() + " for " + x.cols()
              + " inputs; it needs r_1 = " + (cores.size() < 2 ? "(no rank: one core)" : ranks[1]) + " rows.",
          "Pass an r_1 x B gate for a BTT of at least two cores.");
    }
    return run(x, gate, false);
  }

  private Matrix run(Matrix x, Matrix gate, boolean transpose) {
    int b = x.cols();
    int c = cores.size();
    Matrix state = x;
    for (int step = 0; step < c; step++) {
      int t = transpose ? c - 1 - step : step;
      int inRows = inDims[t] * ranks[t];
      int outRows = ranks[t + 1] * outDims[t];
      int after = blocksAfter(t);
      int before = blocksBefore(t);
      int consumed = transpose ? outRows : inRows;
      int produced = transpose ? inRows : outRows;
      Matrix next = Matrix.zeros(dtype(), after * produced * before, b);
      if (b > 0) {
        applyCore(cores.get(t), outRows, inRows, after, before, state, consumed, next, produced, transpose);
      }
      if (gate != null && t == 0) {
        gateRanks(next, gate, after, ranks[1], outDims[0]);
      }
      state = next;
    }
    return state;
  }

  /**
   * One core on the layout (J, consumed rows, I) → (J, produced rows, I): rows of one block are
   * |I| state rows apart; blocks along I are one state row apart, blocks along J a whole slab
   * apart. The longer of the two block axes is the GEMM batch, the shorter a loop.
   */
  private void applyCore(Matrix g, int gRows, int gCols, int after, int before, Matrix in, int inRows,
      Matrix out, int outRows, boolean transpose) {
    int b = in.cols();
    int pitchIn = in.ld();
    int pitchOut = out.ld();
    int ldIn = before * pitchIn;
    int ldOut = before * pitchOut;
    int blockStride = gRows * g.ld();
    Transpose op = transpose ? Transpose.T : Transpose.N;
    if (before >= after) {
      for (int jBlock = 0; jBlock < after; jBlock++) {
        compute.batchedGemm(op, Transpose.N, before, 1.0,
            StridedViews.of(g, g.offset() + jBlock * before * blockStride, gRows, gCols, g.ld()), blockStride,
            StridedViews.of(in, in.offset() + jBlock * inRows * ldIn, inRows, b, ldIn), pitchIn, 0.0,
            StridedViews.of(out, out.offset() + jBlock * outRows * ldOut, outRows, b, ldOut), pitchOut);
      }
    } else {
      for (int iBlock = 0; iBlock < before; iBlock++) {
        compute.batchedGemm(op, Transpose.N, after, 1.0,
            StridedViews.of(g, g.offset() + iBlock * blockStride, gRows, gCols, g.ld()), before * blockStride,
            StridedViews.of(in, in.offset() + iBlock * pitchIn, inRows, b, ldIn), inRows * ldIn, 0.0,
            StridedViews.of(out, out.offset() + iBlock * pitchOut, outRows, b, ldOut), outRows * ldOut);
      }
    }
  }

  /** Scales the rows (J, α, i_1) of the first intermediate by gate[α, ·]. */
  private static void gateRanks(Matrix z, Matrix gate, int after, int rank, int n1) {
    int b = z.cols();
    for (int jBlock = 0; jBlock < after; jBlock++) {
      for (int alpha = 0; alpha < rank; alpha++) {
        for (int i = 0; i < n1; i++) {
          int row = (jBlock * rank + alpha) * n1 + i;
          for (int col = 0; col < b; col++) {
            z.set(row, col, z.get(row, col) * gate.get(alpha, col));
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BTT(" + rows() + "x" + cols() + ", m=" + Arrays.toString(inDims) + ", n=" + Arrays.toString(outDims)
        + ", r=" + Arrays.toString(ranks) + ")";
  }
}
