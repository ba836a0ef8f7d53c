package structura.api.nn;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * An affine layer {@code y = x Wᵀ + b} on row vectors x of length {@link #in()}, stored either
 * dense or factored.
 *
 * <ul>
 * <li><b>Dense</b> ({@code new Linear(weight, bias)}): W is {@code out × in}, F32, PyTorch layout.
 * Cost per input row {@code out·in} multiply-accumulates; {@code out·in} parameters.</li>
 * <li><b>Factored</b> ({@link #factored}): {@code W = U·V} with U {@code out × k} and V
 * {@code k × in} (F32), applied as two products {@code y = (x Vᵀ) Uᵀ + b}, never formed densely.
 * Cost per row {@code k·(in + out)} multiply-accumulates; {@code k·(in + out)} parameters. This
 * is what low-rank compression (the {@code svd} strategy, SVD-LLM) produces.</li>
 * </ul>
 * Both add {@code out} parameters for a bias. Exactly one of {@code weight} and {@code factors}
 * is present. Code that needs the dense W (head and neuron pruning, magnitude scores, the
 * compression methods that read W) calls {@link #weight()}, which on a factored layer throws
 * {@link InvalidArgumentException} with {@link ErrorCode#FACTORED_LAYER} rather than returning
 * null; check {@link #isFactored()} first where both forms are handled.
 *
 * @param weight W, {@code out × in}, F32, or {@code null} when factored (read it with {@link #weight()})
 * @param bias b as a {@code 1 × out} row, or {@code null} for none (Llama projections)
 * @param factors U and V of a factored layer, or {@code null} when dense
 */
public record Linear(Matrix weight, Matrix bias, Factors factors) {
  /**
   * The factors of {@code W = U·V}.
   *
   * @param u U, {@code out × k}, F32
   * @param v V, {@code k × in}, F32
   */
  public record Factors(Matrix u, Matrix v) {
    /** Validates that U and V are F32 and agree on k ≥ 1. */
    public Factors {
      Shapes.require(u, "factor U", -1, -1);
      Shapes.require(v, "factor V", u.cols(), -1);
      Shapes.positive(u.cols(), "rank of a factored layer");
    }

    /** The rank k (columns of U, rows of V). */
    public int rank() {
      return u.cols();
    }
  }

  /** Validates that exactly one of weight and factors is given and that the bias is a {@code 1 × out} F32 row. */
  public Linear {
    if ((weight == null) == (factors == null)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, weight == null
          ? "a linear layer needs a weight or factors." : "a linear layer has both a dense weight and factors.",
          "Use new Linear(weight, bias) for a dense layer or Linear.factored(u, v, bias) for W = U·V.");
    }
    int out;
    if (weight != null) {
      Shapes.require(weight, "weight", -1, -1);
      out = weight.rows();
    } else {
      out = factors.u().rows();
    }
    if (bias != null) {
      Shapes.require(bias, "bias", 1, out);
    }
  }

  /** A dense layer {@code y = x Wᵀ + b}. */
  public Linear(Matrix weight, Matrix bias) {
    this(weight, bias, null);
  }

  /**
   * A factored layer {@code y = (x Vᵀ) Uᵀ + b}, i.e. {@code W = U·V}.
   *
   * @param u {@code out × k}, F32
   * @param v {@code k × in}, F32
   * @param bias {@code 1 × out}, or {@code null}
   */
  public static Linear factored(Matrix u, Matrix v, Matrix bias) {
    return new Linear(null, bias, new Factors(u, v));
  }

  /**
   * The dense weight W ({@code out × in}).
   *
   * @throws InvalidArgumentException ({@code STRUCTURA-A007}) if the layer is factored: W is not
   *     stored, and operations that need it do not apply to low-rank layers
   */
  @Override
  public Matrix weight() {
    if (factors != null) {
      throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, "this operation needs the dense weight of a linear layer, "
          + "but the layer is factored (W = U·V, " + out() + " x " + in() + ", rank " + factors.rank() + ").",
          "Apply it to the uncompressed model; low-rank (svd) layers cannot be pruned by heads or neurons.");
    }
    return weight;
  }

  /** Whether W is stored as factors U·V rather than densely. */
  public boolean isFactored() {
    return factors != null;
  }

  /** The rank k of a factored layer, or {@code min(out, in)} for a dense one. */
  public int rank() {
    return factors != null ? factors.rank() : Math.min(out(), in());
  }

  /** Input width (columns of W, or of V). */
  public int in() {
    return weight != null ? weight.cols() : factors.v().cols();
  }

  /** Output width (rows of W, or of U). */
  public int out() {
    return weight != null ? weight.rows() : factors.u().rows();
  }

  /**
   * Multiply-accumulates per input row: {@code out·in} dense, {@code k·(in + out)} factored
   * (bias additions not counted).
   */
  public long macsPerRow() {
    return factors != null ? (long) factors.rank() * (in() + out()) : (long) out() * in();
  }

  /** Number of parameters: {@link #macsPerRow()} (the weight or its factors) plus {@code out} with a bias. */
  public long parameterCount() {
    return macsPerRow() + (bias == null ? 0 : out());
  }
}
