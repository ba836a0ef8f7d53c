package structura.algorithms.nn;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Embeddings;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.RotaryEmbedding;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The F32 forward pass of a {@link TransformerNetwork} (BERT encoder or Llama decoder) on a
 * {@link Compute} backend. The batch is flattened to {@code n = B·L} rows of width d.
 *
 * <p>Per block: the Q/K/V/O and MLP projections are single GEMMs over all n rows
 * ({@code Y = X Wᵀ} with the bias pre-loaded into Y and {@code beta = 1}, except where a fused
 * elementwise routine takes the bias: the GELU FFN's up projection is a bias-free GEMM followed by
 * {@link Compute#biasGelu}, and in post-norm (BERT) blocks the output and down projections are
 * bias-free GEMMs followed by {@link Compute#addLayerNorm} (bias, residual and LayerNorm in one
 * pass); Q, K and V are one
 * GEMM against their stacked weights ({@code FusedProjection}, built once per block on first use,
 * when all three are dense, of equal input width and either all with or all without bias;
 * bit-identical to three products on the vector and reference backends); attention is one
 * {@link Compute#attention} call over the batch, which writes {@code O_h = softmax(S_h) V_g} side
 * by side within the rows of the context matrix (fused per sequence and head on the vector
 * backend; elsewhere per sequence two strided batched GEMMs around the softmax, the same bits);
 * grouped-query heads share their key/value head. Softmax (with the scale
 * {@code 1/√headDim} and an additive mask of {@code −Float.MAX_VALUE} for padded keys, plus the
 * causal triangle for decoders; the scale is {@link Attention#scale()}), GELU, SwiGLU and the norms go through the backend's elementwise
 * routines; embeddings gathering, biases and rotary embeddings are plain loops (O(n·d)).
 *
 * <p>Positions are {@code 0 .. L−1} in every sequence (right padding), as HuggingFace does when no
 * position ids are given. Cost per block about {@code 2n·d·(q + 2kv + q) + 2n·d·f·(2 or 3)} flops for
 * the projections plus {@code 4·B·L²·q} for attention (q = heads·headDim, kv = kvHeads·headDim).
 * Memory: a few {@code n × max(d, q, f)} buffers (and, on a backend without fused attention, one
 * {@code heads × L × L} score block per attention call); a pass
 * without a hook allocates them once and reuses them in every block ({@code ForwardWorkspace}),
 * a pass with a hook (and the per-block methods) allocates them per block. The stacked Q/K/V
 * weights are a copy ({@code (q + 2kv)·d} floats per block, only when at most
 * {@code FUSED_QKV_MAX_ELEMENTS} = 2²⁴).
 * Factored (low-rank) projections, {@code W = U·V}, run as two GEMMs through the rank-k
 * intermediate ({@link Linear#factored}); selected projections ({@link Linear#selected}, disp)
 * gather their input columns, run one GEMM with the stored weight and scatter into the bias row.
 * Thread-safe if the backend is: instances hold no per-call state (the stacked weights are
 * derived from the network and published atomically). Nothing passed in is modified.
 */
public final class TransformerForward {
  /**
   * Largest fused Q/K/V weight (elements) this pass builds per block; above it the three
   * projections stay separate GEMMs, so a large decoder's attention weights are not duplicated.
   */
  static final long FUSED_QKV_MAX_ELEMENTS = 1L << 24;

  private final Compute compute;
  private final TransformerNetwork network;
  /** Per block, the stacked {@code [W_q; W_k; W_v]} weight and bias (built on first use), or null. */
  private final AtomicReferenceArray<FusedProjection> fusedQkv;

  /**
   * @param compute the backend every product and elementwise routine runs on
   * @param network the network, shared and not modified
   */
  public TransformerForward(Compute compute, TransformerNetwork network) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.network = Objects.requireNonNull(network, "network");
    this.fusedQkv = new AtomicReferenceArray<>(network.blocks().size());
  }

  /** The network this pass runs. */
  public TransformerNetwork network() {
    return network;
  }

  /** The last hidden state ({@code B·L × d}, row {@code b·L + t}) without hooks. */
  public Matrix lastHiddenState(TokenBatch batch) {
    return lastHiddenState(batch, null);
  }

  /**
   * Runs the network and returns the last hidden state, {@code B·L × d} with row {@code b·L + t}
   * for token t of sequence b (after the final norm for decoders that have one).
   *
   * @param hook receives block inputs, per-head attention outputs and FFN activations; may be null
   * @throws InvalidArgumentException if a token id or token type is out of range, or L exceeds the position table
   */
  public Matrix lastHiddenState(TokenBatch batch, ActivationHook hook) {
    Matrix x = embed(batch);
    // without a hook nothing outside sees the intermediate matrices: one set of buffers serves every block
    ForwardWorkspace ws = hook == null ? new ForwardWorkspace() : null;
    int blockIndex = 0;
    for (TransformerBlock block : network.blocks()) {
      x = block(blockIndex++, block, x, batch, hook, ws);
    }
    if (network.finalNorm() != null) {
      norm(network.finalNorm(), x);
    }
    return x;
  }

  /**
   * The tail of {@link #lastHiddenState}: runs blocks {@code from .. depth−1} on {@code x} (the
   * input of block {@code from}, {@code B·L × d}) and then the final norm, if any. A new matrix;
   * {@code x} is not modified. Cost: the blocks' share of a forward pass.
   */
  public Matrix lastHiddenStateFrom(int from, Matrix x, TokenBatch batch) {
    java.util.Objects.checkIndex(from, network.blocks().size() + 1);
    Matrix h = x.copy();
    for (int i = from; i < network.blocks().size(); i++) {
      h = block(i, h, batch, null);
    }
    if (network.finalNorm() != null) {
      norm(network.finalNorm(), h);
    }
    return h;
  }

  /** Logits {@code B·L × vocab} of a decoder with an LM head: last hidden state times the head. */
  public Matrix logits(TokenBatch batch) {
    Linear head = network.lmHead();
    if (head == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "the network has no LM head.",
          "Use lastHiddenState, or load a decoder with lm_head.weight.");
    }
    return linear(head, lastHiddenState(batch, null));
  }

  /**
   * The input of block 0: token, type and position embeddings summed and normed, a new
   * {@code B·L × d} matrix. With {@link #block} this runs the network one block at a time, which
   * calibration uses to keep the hidden states of many batches between blocks.
   *
   * @throws InvalidArgumentException if a token id or token type is out of range, or L exceeds the position table
   */
  public Matrix embeddings(TokenBatch batch) {
    return embed(batch);
  }

  /**
   * Runs block {@code index} on its input rows {@code x} ({@code B·L × d}, as returned by
   * {@link #embeddings} or a previous call) and returns its output as a new matrix. {@code x} is
   * not modified. {@code lastHiddenState} equals folding this over all blocks (plus the final
   * norm, if any).
   *
   * @param hook receives the activations of this block; may be null
   */
  public Matrix block(int index, Matrix x, TokenBatch batch, ActivationHook hook) {
    java.util.Objects.checkIndex(index, network.blocks().size());
    if (x.rows() != batch.batch() * batch.length() || x.cols() != network.width()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "block input is " + x.rows() + "x" + x.cols()
          + " but the batch has " + batch.batch() * batch.length() + " rows of width " + network.width() + ".",
          "Pass the embeddings or the output of the previous block for the same batch.");
    }
    return block(index, network.blocks().get(index), x, batch, hook, null);
  }

  /**
   * The per-head attention outputs of block {@code index} on its input rows {@code x}: a new
   * {@code B·L × heads·valueDim} matrix in the layout of {@link ActivationHook#attentionHeads}
   * (the input of the output projection). The hook receives the attention input, queries, keys,
   * values and head outputs. With {@link #mlpInput}, {@link #ffnActivations} and
   * {@link #finishBlock} this splits {@link #block} into the steps sequential calibration prunes
   * between. {@code x} is not modified.
   */
  public Matrix attentionHeads(int index, Matrix x, TokenBatch batch, ActivationHook hook) {
    TransformerBlock block = network.blocks().get(index);
    Matrix attnIn = x;
    if (block.placement() == TransformerBlock.Placement.PRE) {
      attnIn = x.copy();
      norm(block.attentionNorm(), attnIn);
    }
    return heads(index, block.attention(), attnIn, batch, hook, null);
  }

  /**
   * The residual stream after the attention sublayer and the MLP's input.
   *
   * @param residual {@code x + attention(x)} (normed, for post-norm blocks)
   * @param input what the MLP reads: the same matrix (post-norm) or its normed copy (pre-norm)
   */
  public record MlpInput(Matrix residual, Matrix input) {}

  /**
   * Applies block {@code index}'s output projection to {@code heads} (the per-head outputs of its
   * heads), adds the residual {@code x}, and norms as the block's placement says. Nothing passed
   * in is modified.
   */
  public MlpInput mlpInput(int index, Matrix x, Matrix heads) {
    TransformerBlock block = network.blocks().get(index);
    Attention a = block.attention();
    if (heads.rows() != x.rows() || heads.cols() != a.heads() * a.valueDim()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "mlpInput: x has " + x.rows() + " rows, heads are "
          + heads.rows() + "x" + heads.cols() + ", block " + index + " has " + a.heads() + " heads of width "
          + a.valueDim() + ".", "Pass the per-head outputs of this block's heads for the same rows as x.");
    }
    if (block.placement() == TransformerBlock.Placement.PRE) {
      Matrix h = projectAddNorm(a.output(), heads, x, null, null);
      Matrix in = h.copy();
      norm(block.mlpNorm(), in);
      return new MlpInput(h, in);
    }
    Matrix h = projectAddNorm(a.output(), heads, x, block.attentionNorm(), null);
    return new MlpInput(h, h);
  }

  /** Block {@code index}'s FFN intermediate activations on its MLP input (hook: MLP input, FFN intermediate); a new matrix. */
  public Matrix ffnActivations(int index, Matrix mlpInput, TokenBatch batch, ActivationHook hook) {
    return mlpActivations(index, network.blocks().get(index).mlp(), mlpInput, batch, hook, null);
  }

  /**
   * The block output from its MLP input and FFN activations: down projection, residual, and the
   * second norm of a post-norm block; a new matrix. Nothing passed in is modified.
   */
  public Matrix finishBlock(int index, MlpInput in, Matrix activations) {
    TransformerBlock block = network.blocks().get(index);
    return projectAddNorm(block.mlp().down(), activations, in.residual(),
        block.placement() == TransformerBlock.Placement.POST ? block.mlpNorm() : null, null);
  }

  // ---- embeddings ----------------------------------------------------------------------------

  private Matrix embed(TokenBatch batch) {
    Embeddings e = network.embeddings();
    int d = e.width();
    int n = batch.batch() * batch.length();
    if (e.position() != null && batch.length() > e.position().rows()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "sequence length " + batch.length() + " exceeds the " + e.position().rows() + " position embeddings.",
          "Truncate the input to at most " + e.position().rows() + " tokens.");
    }
    float[] out = new float[n * d];
    for (int r = 0; r < n; r++) {
      int id = batch.inputIds()[r];
      addRow(e.word(), id, "token id", out, r * d, true);
      if (e.tokenType() != null) {
        addRow(e.tokenType(), batch.tokenTypeIds()[r], "token type id", out, r * d, false);
      }
      if (e.position() != null) {
        addRow(e.position(), r % batch.length(), "position", out, r * d, false);
      }
    }
    Matrix x = Matrix.wrap(out, 0, n, d, d);
    if (e.norm() != null) {
      norm(e.norm(), x);
    }
    return x;
  }

  private static void addRow(Matrix table, int row, String what, float[] out, int off, boolean first) {
    if (row < 0 || row >= table.rows()) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          what + " " + row + " is outside the embedding table of " + table.rows() + " rows.",
          "Use the tokenizer that belongs to this model.");
    }
    float[] t = table.f32();
    int src = table.index(row, 0);
    int d = table.cols();
    if (first) {
      System.arraycopy(t, src, out, off, d);
    } else {
      // summed in the order word + type + position, as the HuggingFace graph adds them
      for (int j = 0; j < d; j++) {
        out[off + j] += t[src + j];
      }
    }
  }

  // ---- blocks --------------------------------------------------------------------------------

  /**
   * One block. With a workspace (hook-free passes) every intermediate lives in its buffers and the
   * output in {@link ForwardWorkspace.Role#BLOCK_OUT}, which may be {@code x} itself: x is last
   * read by the attention residual, before the MLP writes the output.
   */
  private Matrix block(int index, TransformerBlock block, Matrix x, TokenBatch batch, ActivationHook hook,
      ForwardWorkspace ws) {
    if (hook != null) {
      emit(hook, batch, x, (s, m) -> hook.blockInput(index, s, m));
    }
    boolean pre = block.placement() == TransformerBlock.Placement.PRE;
    Matrix attnIn = x;
    if (pre) {
      attnIn = normedCopy(block.attentionNorm(), x, ws);
    }
    Attention a = block.attention();
    // h = x + attention(x), normed after a post-norm block
    Matrix h = projectAddNorm(a.output(), heads(index, a, attnIn, batch, hook, ws), x, pre ? null : block.attentionNorm(),
        buffer(ws, ForwardWorkspace.Role.ATTENTION_OUT, x.rows(), a.output().out()));
    Matrix mlpIn = h;
    if (pre) {
      mlpIn = normedCopy(block.mlpNorm(), h, ws);
    }
    // the block output h + mlp(h), normed after a post-norm block
    Matrix mlp = projectAddNorm(block.mlp().down(), mlpActivations(index, block.mlp(), mlpIn, batch, hook, ws), h,
        pre ? null : block.mlpNorm(), buffer(ws, ForwardWorkspace.Role.BLOCK_OUT, x.rows(), block.mlp().down().out()));
    if (hook != null) {
      emit(hook, batch, mlp, (s, m) -> hook.blockOutput(index, s, m));
    }
    return mlp;
  }

  /**
   * {@code norm(X Wᵀ + b + residual)} for layer l on input x, or without the norm when {@code n} is
   * null; into y (or a new matrix when y is null). With a LayerNorm the bias, the residual and the
   * norm are one fused pass after a bias-free GEMM (the same bits as the bias pre-loaded into the
   * GEMM when the depth is within one GEMM block, as for MiniLM's output projection; otherwise the
   * bias is added after the whole sum instead of before, a last-bit difference); otherwise the
   * bias is pre-loaded, then the residual axpy and the norm.
   */
  private Matrix projectAddNorm(Linear l, Matrix x, Matrix residual, Norm n, Matrix y) {
    if (n != null && n.kind() == Norm.Kind.LAYER_NORM) {
      boolean fuseBias = biasFusable(l);
      Matrix out = fuseBias ? linearWithoutBias(l, x, y) : linear(l, x, y);
      compute.addLayerNorm(out, fuseBias ? l.bias() : null, residual, n.gamma(), n.beta(), n.eps());
      return out;
    }
    Matrix out = linear(l, x, y);
    compute.axpy(1.0, residual, out);
    if (n != null) {
      norm(n, out);
    }
    return out;
  }

  /** A normed copy of x, in the workspace's NORMED buffer when there is one. */
  private Matrix normedCopy(Norm n, Matrix x, ForwardWorkspace ws) {
    Matrix c;
    if (ws == null) {
      c = x.copy();
    } else {
      c = ws.matrix(ForwardWorkspace.Role.NORMED, x.rows(), x.cols());
      c.copyFrom(x);
    }
    norm(n, c);
    return c;
  }

  /** The workspace's matrix for {@code role}, or null (the callee allocates) without a workspace. */
  private static Matrix buffer(ForwardWorkspace ws, ForwardWorkspace.Role role, int rows, int cols) {
    return ws == null ? null : ws.matrix(role, rows, cols);
  }

  /** Block {@code index}'s stacked Q/K/V projection, built on first use; null when it cannot be fused. */
  private FusedProjection fusedQkv(int index, Attention a) {
    FusedProjection f = fusedQkv.get(index);
    if (f == null) {
      f = FusedProjection.of(FUSED_QKV_MAX_ELEMENTS, a.query(), a.key(), a.value());
      if (f == null) {
        f = NOT_FUSABLE;
      }
      fusedQkv.compareAndSet(index, null, f);
    }
    return f == NOT_FUSABLE ? null : f;
  }

  /** Marks a block whose Q/K/V projections stay separate. */
  private static final FusedProjection NOT_FUSABLE = new FusedProjection(null, null, new int[0]);

  /** The per-head outputs (context rows) of attention {@code a} on x, before the output projection. */
  private Matrix heads(int index, Attention a, Matrix x, TokenBatch batch, ActivationHook hook, ForwardWorkspace ws) {
    int heads = a.heads();
    int kvHeads = a.kvHeads();
    int dh = a.headDim();
    int dv = a.valueDim();
    int group = heads / kvHeads;
    int len = batch.length();
    if (hook != null) {
      emit(hook, batch, x, (s, m) -> hook.attentionInput(index, s, m));
    }
    int n = x.rows();
    Matrix q;
    Matrix k;
    Matrix v;
    FusedProjection qkv = fusedQkv(index, a);
    if (qkv != null) {
      // one GEMM of width q + 2·kv; Q, K and V are its column blocks (views with ld = that width)
      Matrix all = project(qkv.weight(), qkv.bias(), x,
          buffer(ws, ForwardWorkspace.Role.QKV, n, qkv.offsets()[3]));
      q = qkv.part(all, 0);
      k = qkv.part(all, 1);
      v = qkv.part(all, 2);
    } else {
      q = linear(a.query(), x, buffer(ws, ForwardWorkspace.Role.QUERY, n, a.query().out()));
      k = linear(a.key(), x, buffer(ws, ForwardWorkspace.Role.KEY, n, a.key().out()));
      v = linear(a.value(), x, buffer(ws, ForwardWorkspace.Role.VALUE, n, a.value().out()));
    }
    if (hook != null) {
      emit(hook, batch, q, (s, m) -> hook.queries(index, s, m));
      emit(hook, batch, k, (s, m) -> hook.keys(index, s, m));
      emit(hook, batch, v, (s, m) -> hook.values(index, s, m));
    }
    if (a.rotary() != null) {
      rotate(a.rotary(), q, heads, group, dh, len);
      rotate(a.rotary(), k, kvHeads, 1, dh, len);
    }
    // every element of ctx is written by the attention routine
    Matrix ctx = ws == null ? Matrix.zeros(DType.F32, n, heads * dv) : ws.matrix(ForwardWorkspace.Role.CONTEXT, n, heads * dv);
    if (n > 0) {
      // per (sequence, head): softmax(scale·Q_h K_gᵀ + mask) V_g into head h's columns of ctx, fused
      // on backends that have it, else composed from batched GEMMs and the row softmax (same bits)
      compute.attention(batch.batch(), heads, kvHeads, a.scale(), a.causal(), q, k, v, keyMask(batch, ws), ctx);
    }
    if (hook != null) {
      emit(hook, batch, ctx, (s, m) -> hook.attentionHeads(index, s, m));
    }
    return ctx;
  }

  /**
   * The additive key mask of the batch ({@code B × L}): 0 for real tokens, the most negative float
   * for padding, as HuggingFace uses (exp underflows to 0 and a fully masked row stays finite).
   */
  private static Matrix keyMask(TokenBatch batch, ForwardWorkspace ws) {
    int n = batch.batch() * batch.length();
    float[] mask = ws == null ? new float[n] : ws.mask(n);
    int[] am = batch.attentionMask();
    for (int r = 0; r < n; r++) {
      mask[r] = am[r] == 1 ? 0f : -Float.MAX_VALUE;
    }
    return Matrix.wrap(mask, 0, batch.batch(), batch.length(), batch.length());
  }

  /**
   * Rotary embedding in the rotate-half layout, positions 0..L−1 per sequence; head h uses the
   * frequencies of key/value head {@code h / group}.
   */
  private static void rotate(RotaryEmbedding r, Matrix m, int heads, int group, int dh, int len) {
    float[] a = m.f32();
    for (int h = 0; h < heads; h++) {
      int g = h / group;
      int half = r.pairs(g);
      float[] inv = new float[half];
      for (int j = 0; j < half; j++) {
        // inv_freq is float32 in HuggingFace; angles are rounded to float as there
        inv[j] = (float) r.inverseFrequency(r.frequency(g, j));
      }
      for (int row = 0; row < m.rows(); row++) {
        float pos = row % len;
        int base = m.index(row, h * dh);
        for (int j = 0; j < half; j++) {
          float angle = pos * inv[j];
          float cos = (float) Math.cos(angle);
          float sin = (float) Math.sin(angle);
          float x1 = a[base + j];
          float x2 = a[base + j + half];
          a[base + j] = x1 * cos - x2 * sin;
          a[base + j + half] = x2 * cos + x1 * sin;
        }
      }
    }
  }

  /** The FFN's intermediate activations (the input of the down projection). */
  private Matrix mlpActivations(int index, Mlp mlp, Matrix x, TokenBatch batch, ActivationHook hook, ForwardWorkspace ws) {
    if (hook != null) {
      emit(hook, batch, x, (s, m) -> hook.mlpInput(index, s, m));
    }
    Matrix upBuffer = buffer(ws, ForwardWorkspace.Role.UP, x.rows(), mlp.up().out());
    Matrix act;
    if (mlp.gate() != null) {
      Matrix up = linear(mlp.up(), x, upBuffer);
      act = linear(mlp.gate(), x, buffer(ws, ForwardWorkspace.Role.GATE, x.rows(), mlp.gate().out()));
      switch (mlp.activation()) {
        case SILU -> compute.swiglu(act, up);
        case GELU -> {
          compute.gelu(act);
          multiplyInPlace(act, up);
        }
        case RELU -> {
          relu(act);
          multiplyInPlace(act, up);
        }
      }
    } else if (mlp.activation() == Activation.GELU && biasFusable(mlp.up())) {
      // X Wᵀ without the bias, then bias + GELU in one pass (on the vector backend the same bits as
      // pre-loading the bias, as long as the depth fits one GEMM block: d = 384 for MiniLM)
      act = linearWithoutBias(mlp.up(), x, upBuffer);
      compute.biasGelu(act, mlp.up().bias());
    } else {
      act = linear(mlp.up(), x, upBuffer);
      switch (mlp.activation()) {
        case GELU -> compute.gelu(act);
        case SILU -> compute.silu(act);
        case RELU -> relu(act);
      }
    }
    if (hook != null) {
      emit(hook, batch, act, (s, m) -> hook.ffnIntermediate(index, s, m));
    }
    return act;
  }

  private static void relu(Matrix m) {
    float[] a = m.f32();
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.max(0f, a[i]);
    }
  }

  private static void multiplyInPlace(Matrix a, Matrix b) {
    float[] x = a.f32();
    float[] y = b.f32();
    for (int i = 0; i < x.length; i++) {
      x[i] *= y[i];
    }
  }

  /**
   * {@code Y = X Wᵀ + b}: the bias is written into Y first, then one GEMM with beta = 1. A factored
   * layer ({@code W = U·V}) is two GEMMs, {@code T = X Vᵀ} (n × k) then {@code Y = T Uᵀ + b}, at
   * {@code n·k·(in + out)} multiply-accumulates; W is never formed. A block tensor-train layer goes
   * through {@link BlockTensorTrainRows}, then the bias is added.
   */
  private Matrix linear(Linear l, Matrix x) {
    return linear(l, x, null);
  }

  /** As {@link #linear(Linear, Matrix)}, into {@code y} ({@code n × out}, overwritten) when not null. */
  private Matrix linear(Linear l, Matrix x, Matrix y) {
    if (l.isSelected()) {
      Matrix t = selectedLinear(l, x);
      if (y == null) {
        return t;
      }
      y.copyFrom(t);
      return y;
    }
    if (l.btt() != null) {
      int n = x.rows();
      int out = l.out();
      Matrix t = BlockTensorTrainRows.apply(compute, l.btt(), x);
      if (l.bias() != null) {
        float[] ts = t.f32();
        float[] bias = l.bias().f32();
        int off = l.bias().offset();
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < out; c++) {
            ts[r * out + c] += bias[off + c];
          }
        }
      }
      if (y == null) {
        return t;
      }
      y.copyFrom(t);
      return y;
    }
    if (l.isFactored()) {
      return project(l.factors().u(), l.bias(), factoredInput(l, x), y);
    }
    return project(l.weight(), l.bias(), x, y);
  }

  /** Whether {@link #linearWithoutBias} applies: a dense or factored layer with a bias. */
  private static boolean biasFusable(Linear l) {
    return l.bias() != null && !l.isSelected() && l.btt() == null;
  }

  /** {@code Y = X Wᵀ} of a dense or factored layer, without its bias, into y (or a new matrix). */
  private Matrix linearWithoutBias(Linear l, Matrix x, Matrix y) {
    if (l.isFactored()) {
      return project(l.factors().u(), null, factoredInput(l, x), y);
    }
    return project(l.weight(), null, x, y);
  }

  /** The rank-k intermediate {@code T = X Vᵀ} ({@code n × k}) of a factored layer {@code W = U·V}. */
  private Matrix factoredInput(Linear l, Matrix x) {
    Linear.Factors f = l.factors();
    Matrix t = Matrix.zeros(DType.F32, x.rows(), f.rank());
    compute.gemm(Transpose.N, Transpose.T, 1.0, x, f.v(), 0.0, t);
    return t;
  }

  /** {@code Y = X Wᵀ + b} (b may be null) into y, or into a new matrix when y is null. */
  private Matrix project(Matrix w, Matrix b, Matrix x, Matrix y) {
    int n = x.rows();
    int out = w.rows();
    Matrix ym = y != null ? y : Matrix.wrap(new float[n * out], 0, n, out, Math.max(1, out));
    if (b != null && out > 0) {
      float[] bias = b.f32();
      int off = b.offset();
      float[] dst = ym.f32();
      for (int r = 0; r < n; r++) {
        System.arraycopy(bias, off, dst, ym.index(r, 0), out);
      }
    }
    // beta = 0 overwrites whatever a reused buffer held
    compute.gemm(Transpose.N, Transpose.T, 1.0, x, w, b == null ? 0.0 : 1.0, ym);
    return ym;
  }

  /**
   * A selected layer ({@link Linear#selected}): gathers the read columns of x ({@code n × k_in}),
   * one GEMM with the stored weight ({@code n × k_out}), and adds it into the written columns of
   * a matrix filled with the bias (zero without one). Cost {@code n·k_in·k_out} MACs plus
   * {@code O(n·(k_in + out))} copies.
   */
  private Matrix selectedLinear(Linear l, Matrix x) {
    Linear.Selection sel = l.selection();
    int n = x.rows();
    int[] inputs = sel.inputs();
    Matrix xs = x;
    if (inputs != null) {
      xs = Matrix.zeros(DType.F32, n, inputs.length);
      float[] dst = xs.f32();
      float[] src = x.f32();
      for (int r = 0; r < n; r++) {
        int base = x.index(r, 0);
        for (int j = 0; j < inputs.length; j++) {
          dst[r * inputs.length + j] = src[base + inputs[j]];
        }
      }
    }
    int[] outputs = sel.outputs();
    int written = sel.outputCount();
    Matrix part = Matrix.zeros(DType.F32, n, written);
    compute.gemm(Transpose.N, Transpose.T, 1.0, xs, l.storedWeight(), 0.0, part);
    int out = l.out();
    float[] y = new float[n * out];
    if (l.bias() != null) {
      float[] bias = l.bias().f32();
      int off = l.bias().offset();
      for (int r = 0; r < n; r++) {
        System.arraycopy(bias, off, y, r * out, out);
      }
    }
    float[] p = part.f32();
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < written; j++) {
        y[r * out + (outputs == null ? j : outputs[j])] += p[r * written + j];
      }
    }
    return Matrix.wrap(y, 0, n, out, Math.max(1, out));
  }

  private void norm(Norm n, Matrix x) {
    if (n.kind() == Norm.Kind.LAYER_NORM) {
      compute.layerNorm(x, n.gamma(), n.beta(), n.eps());
    } else {
      compute.rmsNorm(x, n.gamma(), n.eps());
    }
  }

  // ---- hooks ---------------------------------------------------------------------------------

  private interface Sink {
    void accept(int sequence, Matrix rows);
  }

  /** Passes each sequence's rows: a view when its real tokens are contiguous, else a gathered copy. */
  private static void emit(ActivationHook hook, TokenBatch batch, Matrix m, Sink sink) {
    int len = batch.length();
    int[] am = batch.attentionMask();
    for (int b = 0; b < batch.batch(); b++) {
      if (!hook.realTokensOnly()) {
        sink.accept(b, m.view(b * len, 0, len, m.cols()));
        continue;
      }
      int first = -1;
      int last = -1;
      int count = 0;
      for (int t = 0; t < len; t++) {
        if (am[b * len + t] == 1) {
          first = first < 0 ? t : first;
          last = t;
          count++;
        }
      }
      if (count == 0) {
        sink.accept(b, m.view(b * len, 0, 0, m.cols()));
      } else if (last - first + 1 == count) {
        sink.accept(b, m.view(b * len + first, 0, count, m.cols()));
      } else {
        Matrix g = Matrix.zeros(DType.F32, count, m.cols());
        int r = 0;
        for (int t = 0; t < len; t++) {
          if (am[b * len + t] == 1) {
            g.view(r++, 0, 1, m.cols()).copyFrom(m.view(b * len + t, 0, 1, m.cols()));
          }
        }
        sink.accept(b, g);
      }
    }
  }
}
