package structura.algorithms.compress;

import java.util.List;
import java.util.Locale;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;

/**
 * Bias and LayerNorm correction of a pruned block along the residual stream: per output dimension
 * j, the least-squares fit {@code t_j ≈ a_j·y_j + c_j} of the <em>original</em> network's block
 * output t (on the original inputs) from the compressed network's block output y (on the
 * compressed inputs), over the real tokens of the calibration texts, folded into the block.
 *
 * <ul>
 * <li>{@link Mode#MEAN}: {@code a = 1, c = mean(t) − mean(y)}: the compressed block's output mean
 * matches the original's;</li>
 * <li>{@link Mode#AFFINE}: {@code a_j = cov(y_j, t_j)/var(y_j)}, {@code c_j = mean(t_j) − a_j·mean(y_j)}:
 * mean and scale (a dimension with {@code var(y_j) ≤ 1e-12·mean var} keeps {@code a_j = 1}).</li>
 * </ul>
 * Folding: in a post-norm block ending in a LayerNorm, {@code y = γ∘ẑ + β}, so {@code a∘y + c} is
 * the same LayerNorm with {@code γ' = a∘γ, β' = a∘β + c} (exact). In a pre-norm block the output is
 * {@code residual + W_down·h + b}, so only {@link Mode#MEAN} folds exactly, into the down bias.
 * Statistics are F64 sums (the rounding of the textbook formulas is fine at these ranges: inputs
 * are LayerNorm outputs of order 1). Cost O(N·d) per block; nothing passed in is modified.
 */
final class OutputCorrection {
  /** Which correction. */
  enum Mode {
    NONE,
    MEAN,
    AFFINE
  }

  private final int d;
  private final double[] sy;
  private final double[] st;
  private final double[] syy;
  private final double[] syt;
  private long n;

  OutputCorrection(int d) {
    this.d = d;
    sy = new double[d];
    st = new double[d];
    syy = new double[d];
    syt = new double[d];
  }

  /** Adds the real-token rows of one batch: y the compressed block's output, t the original's (both {@code B·L × d}). */
  void accept(Matrix y, Matrix t, TokenBatch batch) {
    int[] mask = batch.attentionMask();
    for (int r = 0; r < y.rows(); r++) {
      if (mask[r] == 0) {
        continue;
      }
      for (int j = 0; j < d; j++) {
        double a = y.get(r, j);
        double b = t.get(r, j);
        sy[j] += a;
        st[j] += b;
        syy[j] += a * a;
        syt[j] += a * b;
      }
      n++;
    }
  }

  /**
   * The fitted per-dimension map.
   *
   * @param scale per-dimension a
   * @param shift per-dimension c
   */
  record Fit(double[] scale, double[] shift) {
    /** Mean |a − 1| and mean |c|, for the progress line. */
    String summary() {
      double da = 0;
      double dc = 0;
      for (int j = 0; j < scale.length; j++) {
        da += Math.abs(scale[j] - 1);
        dc += Math.abs(shift[j]);
      }
      return String.format(Locale.ROOT, "mean |a-1| %.4f, mean |c| %.4f", da / scale.length, dc / shift.length);
    }
  }

  /** The least-squares fit of the given mode (not {@link Mode#NONE}). */
  Fit fit(Mode mode) {
    if (n == 0) {
      throw new IllegalStateException("no tokens accumulated");
    }
    double[] a = new double[d];
    double[] c = new double[d];
    double[] var = new double[d];
    double meanVar = 0;
    for (int j = 0; j < d; j++) {
      double my = sy[j] / n;
      var[j] = Math.max(0, syy[j] / n - my * my);
      meanVar += var[j] / d;
    }
    for (int j = 0; j < d; j++) {
      double my = sy[j] / n;
      double mt = st[j] / n;
      a[j] = 1;
      if (mode == Mode.AFFINE && var[j] > 1e-12 * meanVar && var[j] > 0) {
        a[j] = (syt[j] / n - my * mt) / var[j];
      }
      c[j] = mt - a[j] * my;
    }
    return new Fit(a, c);
  }

  /**
   * Block b with the fit folded in.
   *
   * @throws InvalidArgumentException {@code INVALID_ARGUMENT} when the block cannot represent it
   *     (an affine fit of a pre-norm block; a post-norm block ending in RMSNorm)
   */
  static TransformerBlock fold(TransformerBlock b, Fit fit, Mode mode, String method) {
    if (b.placement() == TransformerBlock.Placement.POST) {
      Norm norm = b.mlpNorm();
      if (norm.beta() == null) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " norm-correction=" + name(mode)
            + ": the block ends in an RMSNorm, which has no shift to fold the correction into.",
            "Use norm-correction=none for this model.");
      }
      Matrix gamma = Matrix.zeros(DType.F32, 1, norm.width());
      Matrix beta = Matrix.zeros(DType.F32, 1, norm.width());
      for (int j = 0; j < norm.width(); j++) {
        gamma.set(0, j, fit.scale()[j] * norm.gamma().get(0, j));
        beta.set(0, j, fit.scale()[j] * norm.beta().get(0, j) + fit.shift()[j]);
      }
      return new TransformerBlock(b.attention(), b.mlp(), b.attentionNorm(), new Norm(norm.kind(), gamma, beta,
          norm.eps()), b.placement());
    }
    if (mode != Mode.MEAN) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " norm-correction=" + name(mode)
          + ": a pre-norm block's output passes the residual through unscaled, so only its mean can be corrected.",
          "Use norm-correction=mean for this model.");
    }
    Mlp m = b.mlp();
    Linear down = m.down();
    Matrix bias = Matrix.zeros(DType.F32, 1, down.out());
    for (int j = 0; j < down.out(); j++) {
      bias.set(0, j, (down.bias() == null ? 0 : down.bias().get(0, j)) + fit.shift()[j]);
    }
    return new TransformerBlock(b.attention(), new Mlp(m.up(), m.gate(), new Linear(down.weight(), bias),
        m.activation()), b.attentionNorm(), b.mlpNorm(), b.placement());
  }

  /** Applies {@code y ← a∘y + c} to every row of every output, in place (the states the next block reads). */
  static void apply(Fit fit, List<Matrix> outputs) {
    for (Matrix y : outputs) {
      for (int r = 0; r < y.rows(); r++) {
        for (int j = 0; j < y.cols(); j++) {
          y.set(r, j, (float) (fit.scale()[j] * y.get(r, j) + fit.shift()[j]));
        }
      }
    }
  }

  static String name(Mode m) {
    return m.name().toLowerCase(Locale.ROOT);
  }
}
