package structura.algorithms.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.TruncatedSvd;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.BlockTensorTrainOperator;
import structura.api.operator.Operators;

/**
 * Projection of a dense matrix onto block tensor-train matrices (in the layout of
 * {@link BlockTensorTrainOperator}) by sequential SVDs, core by core, in the manner of TT-SVD
 * (I. Oseledets, "Tensor-Train Decomposition", SIAM J. Sci. Comput. 33(5), 2011, Alg. 1) with the
 * BTT's block structure.
 *
 * <p><b>Method.</b> Keep a remainder Rem_t[I_t] for each block I_t of produced output digits: rows
 * are the output digits not yet produced (i_t least significant), columns (J_t, j_t, α_{t-1}).
 * Initially Rem_1 = A. At core t &lt; c, for each (I_t, J_t, i_t) the submatrix with rows i_{t+1}..i_c
 * and columns (j_t, α_{t-1}) is (Π_{s>t} n_s)×(m_t·r_{t-1}); its rank-r_t truncated SVD U·Σ·Vᵀ gives
 * the core block rows G_t[J_t, I_t][α_t·n_t + i_t, ·] = Vᵀ (orthonormal), and U·Σ becomes the
 * columns (J_t, α_t) of the next remainder Rem_{t+1}[(i_t, I_t)]. The last remainder is the last
 * core. Exact (error at rounding level) whenever A is a BTT with these dimensions and ranks.
 * With two cores every block is independent, so the result is the Frobenius optimum (a
 * rank-r_1 Monarch projection, block-wise Eckart–Young); with more cores it is the usual
 * quasi-optimal TT-SVD sweep, error at most sqrt(c − 1) times the optimum (Oseledets, Cor. 2.4,
 * applied block-wise).
 *
 * <p><b>Cost.</b> Core t needs Π_{s≤t} n_s·Π_{s>t} m_s SVDs of (Π_{s>t} n_s)×(m_t·r_{t-1})
 * matrices (EJML); for two cores of d = 4096 = 64·64, 4096 SVDs of 64×64. Memory O(mn·max r).
 * Plus O(mn·max r) to measure the error. Not modified: A.
 */
public final class BlockTensorTrainProjection {
  private final Compute compute;

  /** @param compute the backend of the returned operator's batched GEMMs */
  public BlockTensorTrainProjection(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /**
   * Projects {@code a} (Π n × Π m) onto BTT matrices with input dimensions {@code inDims}
   * (m_1 least significant), output dimensions {@code outDims} and ranks r_0 = 1, …, r_c = 1.
   * Ranks larger than a step's block allows are kept, with zero rows in the core.
   */
  public StructureProjection project(Matrix a, int[] inDims, int[] outDims, int[] ranks) {
    String method = "BlockTensorTrainProjection.project";
    ProjectionSupport.requireFiniteMatrix(method, "a", a);
    Objects.requireNonNull(inDims, "inDims");
    Objects.requireNonNull(outDims, "outDims");
    Objects.requireNonNull(ranks, "ranks");
    int c = inDims.length;
    if (c == 0 || outDims.length != c || ranks.length != c + 1 || ranks[0] != 1 || ranks[c] != 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + ": inDims " + Arrays.toString(inDims)
          + ", outDims " + Arrays.toString(outDims) + " and ranks " + Arrays.toString(ranks) + " do not describe a BTT.",
          "Pass c >= 1 dimensions on each side and c + 1 ranks starting and ending with 1.");
    }
    for (int t = 0; t < c; t++) {
      if (inDims[t] < 1 || outDims[t] < 1 || ranks[t] < 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + ": dimensions and ranks must be positive.",
            "Pass dimensions and ranks >= 1.");
      }
    }
    if (product(inDims, 0, c) != a.cols() || product(outDims, 0, c) != a.rows()) {
      throw ProjectionSupport.shape(method, "a is " + a.rows() + "x" + a.cols() + " but the dimensions give "
          + product(outDims, 0, c) + "x" + product(inDims, 0, c) + ".", "Choose outDims multiplying to the rows of a and inDims to its columns.");
    }
    List<Matrix> cores = new ArrayList<>();
    // one remainder per produced-output block I_t; rows: outputs not yet produced, columns (J_t, j_t, α_{t-1})
    Matrix[] rem = {ProjectionSupport.f64(a)};
    for (int t = 0; t < c; t++) {
      int after = product(inDims, t + 1, c);
      int before = product(outDims, 0, t);
      int width = inDims[t] * ranks[t];
      int rank = ranks[t + 1];
      int n = outDims[t];
      int restRows = product(outDims, t + 1, c);
      Matrix core = Matrix.zeros(DType.F64, after * before * rank * n, width);
      if (t == c - 1) {
        // Rem_c[I] has rows i_c and columns (j_c, α_{c-1}): it is the last core's block I
        for (int iBlock = 0; iBlock < before; iBlock++) {
          core.view(iBlock * n, 0, n, width).copyFrom(rem[iBlock]);
        }
        cores.add(core.toDType(a.dtype()));
        break;
      }
      Matrix[] next = new Matrix[before * n];
      for (int i = 0; i < next.length; i++) {
        next[i] = Matrix.zeros(DType.F64, restRows, after * rank);
      }
      Matrix sub = Matrix.zeros(DType.F64, restRows, width);
      for (int iBlock = 0; iBlock < before; iBlock++) {
        for (int jBlock = 0; jBlock < after; jBlock++) {
          for (int it = 0; it < n; it++) {
            for (int o = 0; o < restRows; o++) {
              sub.row(o).copyFrom(rem[iBlock].view(o * n + it, jBlock * width, 1, width));
            }
            int kept = Math.min(rank, Math.min(restRows, width));
            SvdResult svd = new TruncatedSvd(kept).decompose(sub);
            Matrix u = svd.u();
            Matrix vt = svd.vt();
            double[] w = svd.singularValues();
            int base = (jBlock * before + iBlock) * rank * n;
            Matrix target = next[iBlock + before * it];
            for (int alpha = 0; alpha < kept; alpha++) {
              core.row(base + alpha * n + it).copyFrom(vt.row(alpha));
              for (int o = 0; o < restRows; o++) {
                target.set(o, jBlock * rank + alpha, w[alpha] * u.get(o, alpha));
              }
            }
          }
        }
      }
      cores.add(core.toDType(a.dtype()));
      rem = next;
    }
    return ProjectionSupport.measured(a, Operators.blockTensorTrain(inDims, outDims, ranks, cores, compute));
  }

  private static int product(int[] v, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= v[i];
    }
    return p > Integer.MAX_VALUE ? -1 : (int) p;
  }
}
