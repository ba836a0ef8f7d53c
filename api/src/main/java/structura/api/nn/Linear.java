package structura.api.nn;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * An affine layer {@code y = x Wᵀ + b} on row vectors x of length {@link #in()}, stored dense,
 * factored, as a block tensor train, or dense over a selection of inputs and outputs.
 *
 * <ul>
 * <li><b>Dense</b> ({@code new Linear(weight, bias)}): W is {@code out × in}, F32, PyTorch layout.
 * Cost per input row {@code out·in} multiply-accumulates; {@code out·in} parameters.</li>
 * <li><b>Factored</b> ({@link #factored}): {@code W = U·V} with U {@code out × k} and V
 * {@code k × in} (F32), applied as two products {@code y = (x Vᵀ) Uᵀ + b}, never formed densely.
 * Cost per row {@code k·(in + out)} multiply-accumulates; {@code k·(in + out)} parameters. This
 * is what low-rank compression (the {@code svd} strategy, SVD-LLM) produces.</li>
 * <li><b>Two-core block tensor train</b> ({@link #blockTensorTrain}, {@link Btt}): W is a
 * Monarch matrix (rank 1) or a BTT of rank r, applied as two batched block-diagonal products with
 * a permutation between them, never formed densely. Cost per row and parameters
 * {@link Btt#macsPerRow()} = {@code r·(n₁·in + m₂·out)}. This is what the {@code monarch} and
 * {@code btt} strategies produce.</li>
 * <li><b>Selected</b> ({@link #selected}): a dense layer that reads only the input columns
 * {@code inputs} of x and writes only the output entries {@code outputs} of y, the rest of y being
 * the bias alone: {@code y = b + scatter_outputs(x[:, inputs] · Wₛᵀ)} with the stored Wₛ
 * {@code |outputs| × |inputs|}. Logically it is the {@code out × in} weight Wₛ padded with zero
 * rows and columns; it costs {@code |outputs|·|inputs|} multiply-accumulates per row. This is
 * what dimension-independent structural pruning (the {@code disp} strategy, DISP-LLM) produces:
 * a block reads and writes its own subset of the residual stream.</li>
 * </ul>
 * All add {@code out} parameters for a bias. Exactly one of {@code weight}, {@code factors} and
 * {@code btt} is present (a selected layer keeps the full-width bias, so the entries it does not
 * write can hold a constant, such as their calibration mean). Code that needs the dense W (head and neuron pruning, magnitude scores, the
 * compression methods that read W) calls {@link #weight()}, which on a factored layer throws
 * {@link InvalidArgumentException} with {@link ErrorCode#FACTORED_LAYER} rather than returning
 * null; check {@link #isFactored()} first where both forms are handled.
 *
 * @param weight W, {@code out × in}, F32, or {@code null} when factored (read it with {@link #weight()})
 * @param bias b as a {@code 1 × out} row, or {@code null} for none (Llama projections)
 * @param factors U and V of a factored layer, or {@code null} when dense
 * @param btt the cores of a two-core block tensor-train layer, or {@code null}
 * @param selection the input and output index maps of a selected layer (with a dense stored weight), or {@code null}
 */
public record Linear(Matrix weight, Matrix bias, Factors factors, Btt btt, Selection selection) {
  /**
   * The index maps of a selected layer: which inputs it reads and which outputs it writes.
   *
   * @param in the logical input width
   * @param inputs the input columns read, strictly increasing in {@code [0, in)}, or {@code null} for all
   * @param out the logical output width
   * @param outputs the output entries written, strictly increasing in {@code [0, out)}, or {@code null} for all
   */
  public record Selection(int in, int[] inputs, int out, int[] outputs) {
    /** Validates widths and that each map is strictly increasing within its width; copies the maps. */
    public Selection {
      Shapes.positive(in, "selection input width");
      Shapes.positive(out, "selection output width");
      inputs = checked(inputs, in, "input");
      outputs = checked(outputs, out, "output");
    }

    /** Number of inputs read. */
    public int inputCount() {
      return inputs == null ? in : inputs.length;
    }

    /** Number of outputs written. */
    public int outputCount() {
      return outputs == null ? out : outputs.length;
    }

    /** The input map (a copy), or {@code null} for all inputs. */
    @Override
    public int[] inputs() {
      return inputs == null ? null : inputs.clone();
    }

    /** The output map (a copy), or {@code null} for all outputs. */
    @Override
    public int[] outputs() {
      return outputs == null ? null : outputs.clone();
    }

    private static int[] checked(int[] index, int width, String what) {
      if (index == null) {
        return null;
      }
      if (index.length == 0) {
        throw Shapes.mismatch("a selected layer has an empty " + what + " map.", "Keep at least one " + what + ".");
      }
      for (int i = 0; i < index.length; i++) {
        if (index[i] < 0 || index[i] >= width || (i > 0 && index[i] <= index[i - 1])) {
          throw Shapes.mismatch("the " + what + " map of a selected layer is not strictly increasing in [0, " + width
              + ") at position " + i + " (" + index[i] + ").", "Pass sorted, distinct indices below the width.");
        }
      }
      return index.clone();
    }
  }

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

  /**
   * A two-core block tensor-train matrix W ({@code out × in}, {@code in = m₁·m₂},
   * {@code out = n₁·n₂}): the c = 2 case of {@code structura.api.operator.BlockTensorTrainOperator},
   * in its storage layout. Input index {@code j = j₁ + m₁·j₂} (the input is m₂ contiguous blocks of
   * width m₁), output index {@code i = i₁ + n₁·i₂} (n₁ interleaved classes of n₂ rows), and
   * <pre>W[i₁ + n₁·i₂, j₁ + m₁·j₂] = Σ_{α&lt;r} B[i₁][i₂, j₂·r + α] · A[j₂][α·n₁ + i₁, j₁].</pre>
   * So the n₂ × m₁ submatrix of W with rows of class i₁ and columns of block j₂ has rank ≤ r.
   * With r = 1 this is a Monarch matrix (Dao et al., ICML 2022) with m₂ blocks in its right
   * factor and n₁ in its left; with n₁ = m₂ = b and r = in/b² (square blocks), Monarch with b blocks.
   *
   * @param m1 input block width m₁
   * @param m2 number of input blocks m₂
   * @param n1 number of output classes n₁
   * @param n2 rows per output class n₂
   * @param rank r ≥ 1
   * @param first A: m₂ blocks of {@code (r·n₁) × m₁} stacked, {@code (m₂·r·n₁) × m₁}, F32; rows α·n₁ + i₁
   * @param second B: n₁ blocks of {@code n₂ × (m₂·r)} stacked, {@code (n₁·n₂) × (m₂·r)}, F32; columns j₂·r + α
   */
  public record Btt(int m1, int m2, int n1, int n2, int rank, Matrix first, Matrix second) {
    /** Validates the dimensions against the cores. */
    public Btt {
      Shapes.positive(m1, "input block width m1");
      Shapes.positive(m2, "input block count m2");
      Shapes.positive(n1, "output class count n1");
      Shapes.positive(n2, "output class size n2");
      Shapes.positive(rank, "rank of a block tensor-train layer");
      Shapes.require(first, "first BTT core", m2 * rank * n1, m1);
      Shapes.require(second, "second BTT core", n1 * n2, m2 * rank);
    }

    /** Input width m₁·m₂. */
    public int in() {
      return m1 * m2;
    }

    /** Output width n₁·n₂. */
    public int out() {
      return n1 * n2;
    }

    /** Multiply-accumulates per input row, equal to the number of core entries: {@code r·(n₁·in + m₂·out)}. */
    public long macsPerRow() {
      return (long) first.rows() * first.cols() + (long) second.rows() * second.cols();
    }
  }

  /**
   * Validates that exactly one of weight, factors and btt is given, that a selection goes with a
   * dense weight of {@code outputCount × inputCount}, and that the bias is a {@code 1 × out} F32 row.
   */
  public Linear {
    int forms = (weight != null ? 1 : 0) + (factors != null ? 1 : 0) + (btt != null ? 1 : 0);
    if (forms != 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, forms == 0
          ? "a linear layer needs a weight or factors." : "a linear layer has more than one of a dense weight, factors and BTT cores.",
          "Use new Linear(weight, bias) for a dense layer, Linear.factored(u, v, bias) for W = U·V or "
              + "Linear.blockTensorTrain(btt, bias) for a Monarch/BTT layer.");
    }
    int out;
    if (selection != null) {
      if (weight == null) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "a selected linear layer needs a dense weight.",
            "Use Linear.selected(weight, bias, selection) with the stored |outputs| x |inputs| weight.");
      }
      Shapes.require(weight, "selected weight", selection.outputCount(), selection.inputCount());
      out = selection.out();
    } else if (weight != null) {
      Shapes.require(weight, "weight", -1, -1);
      out = weight.rows();
    } else if (factors != null) {
      out = factors.u().rows();
    } else {
      out = btt.out();
    }
    if (bias != null) {
      Shapes.require(bias, "bias", 1, out);
    }
  }

  /** A dense layer {@code y = x Wᵀ + b}. */
  public Linear(Matrix weight, Matrix bias) {
    this(weight, bias, null, null, null);
  }

  /** A dense ({@code factors == null}) or factored ({@code weight == null}) layer. */
  public Linear(Matrix weight, Matrix bias, Factors factors) {
    this(weight, bias, factors, null, null);
  }

  /**
   * A two-core block tensor-train (Monarch or BTT) layer {@code y = x Wᵀ + b}, W given by its cores.
   *
   * @param bias {@code 1 × out}, or {@code null}
   */
  public static Linear blockTensorTrain(Btt btt, Matrix bias) {
    return new Linear(null, bias, null, java.util.Objects.requireNonNull(btt, "btt"), null);
  }

  /**
   * A selected layer {@code y = b + scatter_outputs(x[:, inputs] · Wₛᵀ)}.
   *
   * @param stored Wₛ, {@code selection.outputCount() × selection.inputCount()}, F32
   * @param bias {@code 1 × selection.out()}, or {@code null}
   * @param selection which inputs are read and which outputs written
   */
  public static Linear selected(Matrix stored, Matrix bias, Selection selection) {
    return new Linear(stored, bias, null, null, java.util.Objects.requireNonNull(selection, "selection"));
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
    if (btt != null) {
      throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, "this operation needs the dense weight of a linear layer, "
          + "but the layer is a block tensor train (" + out() + " x " + in() + ", rank " + btt.rank() + ", "
          + btt.m2() + " input blocks, " + btt.n1() + " output classes).",
          "Apply it to the uncompressed model; Monarch/BTT layers cannot be pruned by heads or neurons.");
    }
    if (factors != null) {
      throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, "this operation needs the dense weight of a linear layer, "
          + "but the layer is factored (W = U·V, " + out() + " x " + in() + ", rank " + factors.rank() + ").",
          "Apply it to the uncompressed model; low-rank (svd) layers cannot be pruned by heads or neurons.");
    }
    if (selection != null) {
      throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, "this operation needs the dense weight of a linear layer, "
          + "but the layer reads " + selection.inputCount() + " of its " + in() + " inputs and writes "
          + selection.outputCount() + " of its " + out() + " outputs (a disp residual selection).",
          "Apply it to the uncompressed model; read the stored weight of a selected layer with storedWeight().");
    }
    return weight;
  }

  /**
   * The weight as stored: W of a dense layer ({@code out × in}) or Wₛ of a selected one
   * ({@code outputCount × inputCount}).
   *
   * @throws InvalidArgumentException ({@code STRUCTURA-A007}) if the layer is factored or a block tensor train
   */
  public Matrix storedWeight() {
    if (weight == null) {
      return weight(); // throws the factored or block tensor-train error
    }
    return weight;
  }

  /** Whether the layer reads a subset of its inputs or writes a subset of its outputs ({@link #selected}). */
  public boolean isSelected() {
    return selection != null;
  }

  /** Whether W is stored as factors U·V (low rank); false for dense, selected and block tensor-train layers. */
  public boolean isFactored() {
    return factors != null;
  }

  /** Whether W is stored densely and whole; false for factored, selected and block tensor-train layers. */
  public boolean isDense() {
    return weight != null && selection == null;
  }

  /**
   * The rank k of a factored layer, the BTT rank of a block tensor-train layer, {@code min(out, in)}
   * for a dense one, the smaller stored width for a selected one.
   */
  public int rank() {
    return factors != null ? factors.rank() : btt != null ? btt.rank() : Math.min(weight.rows(), weight.cols());
  }

  /** Input width (columns of W, of V, of the BTT, or the logical width of a selection). */
  public int in() {
    return selection != null ? selection.in() : weight != null ? weight.cols() : factors != null ? factors.v().cols() : btt.in();
  }

  /** Output width (rows of W, of U, of the BTT, or the logical width of a selection). */
  public int out() {
    return selection != null ? selection.out() : weight != null ? weight.rows() : factors != null ? factors.u().rows() : btt.out();
  }

  /**
   * Multiply-accumulates per input row: {@code out·in} dense, {@code k·(in + out)} factored,
   * {@link Btt#macsPerRow()} for a block tensor train, {@code outputCount·inputCount} selected (bias
   * additions, gathers and scatters not counted).
   */
  public long macsPerRow() {
    return factors != null ? (long) factors.rank() * (in() + out()) : btt != null ? btt.macsPerRow()
        : (long) weight.rows() * weight.cols();
  }

  /** Number of parameters: {@link #macsPerRow()} (the weight or its factors) plus {@code out} with a bias. */
  public long parameterCount() {
    return macsPerRow() + (bias == null ? 0 : out());
  }
}
