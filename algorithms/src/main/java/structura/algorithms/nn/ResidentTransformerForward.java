package structura.algorithms.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.ResidentRoutines;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Embeddings;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The F32 forward pass of a {@link TransformerNetwork} with every matrix on the device
 * ({@link ResidentRoutines}): the weights are uploaded once, in the constructor, and a batch
 * costs one upload of its attention mask and one download of the last hidden state, whatever the
 * depth. It computes what {@link TransformerForward#lastHiddenState(TokenBatch)} computes, in the
 * same order of operations, so on the reference backend's resident routines the two agree bit for
 * bit; on a device they agree within the routines' conformance tolerances.
 *
 * <p>Per batch of {@code B} sequences of length {@code L} ({@code n = B·L} rows of width d):
 * embeddings are row gathers (word, then token type, then position, accumulated) and a norm; each
 * linear layer is one GEMM {@code Y = X·Wᵀ} plus {@link ResidentRoutines#addRowVector} for the
 * bias (a factored layer {@code W = U·V} is two GEMMs through the rank-r intermediate); attention
 * computes the scores of all {@code B·heads} (sequence, head) pairs in one
 * {@link ResidentRoutines#gemmBatched} into a {@code B·heads·L × L} buffer, one
 * {@link ResidentRoutines#attentionSoftmax} with the padding mask ({@code −Float.MAX_VALUE} for
 * padded keys) and the causal triangle for decoders, and one more {@code gemmBatched} for
 * {@code P·V} written side by side into the context rows; grouped-query heads read the key/value
 * head {@code h / (heads/kvHeads)}. Residuals are {@code axpy}s. Costs are those of
 * {@link TransformerForward}; device memory is the weights plus a workspace of about
 * {@code n·(4d + q + 2kv + 2f) + B·heads·L²} floats, allocated on the first batch of a shape and
 * reused while the shape stays the same.
 *
 * <p>Supported: BERT-style post-norm encoders (GELU MLP, LayerNorm) and pre-norm decoders
 * (RMSNorm, SwiGLU, causal, grouped-query heads) without rotary embeddings; dense and factored
 * linears. Rotary embeddings, ReLU, gated GELU/ReLU MLPs and block tensor-train (Monarch/BTT)
 * linears have no resident operation: the
 * constructor rejects them with {@code STRUCTURA-A001}, naming {@link TransformerForward} as the
 * pass that runs them. Not thread-safe (one thread drives the device queue). Close it to free the
 * device memory; the network is not modified.
 */
public final class ResidentTransformerForward implements AutoCloseable {
  private final ResidentRoutines device;
  private final TransformerNetwork network;
  private final List<DeviceBuffer> weights = new ArrayList<>();
  private final DeviceEmbeddings embeddings;
  private final List<DeviceBlock> blocks = new ArrayList<>();
  private final DeviceNorm finalNorm;
  private Workspace workspace;
  private boolean closed;

  private record DeviceLinear(DeviceBuffer weight, DeviceBuffer u, DeviceBuffer v, DeviceBuffer bias, int out, int in, int rank) {}

  private record DeviceNorm(Norm.Kind kind, DeviceBuffer gamma, DeviceBuffer beta, double eps) {}

  private record DeviceEmbeddings(DeviceBuffer word, int words, DeviceBuffer position, int positions, DeviceBuffer type, int types,
      DeviceNorm norm) {}

  private record DeviceBlock(TransformerBlock block, DeviceLinear q, DeviceLinear k, DeviceLinear v, DeviceLinear o,
      DeviceLinear up, DeviceLinear gate, DeviceLinear down, DeviceNorm attentionNorm, DeviceNorm mlpNorm) {}

  /**
   * Validates the network and uploads its weights.
   *
   * @param device the resident routines every step runs on (for example {@code compute.backend().resident()})
   * @param network the network, not modified
   * @throws InvalidArgumentException {@code STRUCTURA-A001} when the network needs an operation with no resident form (rotary
   *     embeddings, ReLU, gated GELU/ReLU)
   */
  public ResidentTransformerForward(ResidentRoutines device, TransformerNetwork network) {
    this.device = Objects.requireNonNull(device, "device");
    this.network = Objects.requireNonNull(network, "network");
    int index = 0;
    for (TransformerBlock b : network.blocks()) {
      requireSupported(index++, b);
    }
    try {
      Embeddings e = network.embeddings();
      embeddings = new DeviceEmbeddings(upload(e.word()), e.word().rows(),
          e.position() == null ? null : upload(e.position()), e.position() == null ? 0 : e.position().rows(),
          e.tokenType() == null ? null : upload(e.tokenType()), e.tokenType() == null ? 0 : e.tokenType().rows(),
          e.norm() == null ? null : upload(e.norm()));
      for (TransformerBlock b : network.blocks()) {
        Attention a = b.attention();
        Mlp m = b.mlp();
        blocks.add(new DeviceBlock(b, upload(a.query()), upload(a.key()), upload(a.value()), upload(a.output()),
            upload(m.up()), m.gate() == null ? null : upload(m.gate()), upload(m.down()), upload(b.attentionNorm()),
            upload(b.mlpNorm())));
      }
      finalNorm = network.finalNorm() == null ? null : upload(network.finalNorm());
    } catch (RuntimeException ex) {
      close();
      throw ex;
    }
  }

  /**
   * The resident pass on the backend of {@code compute}.
   *
   * @throws structura.api.StructuraException {@code STRUCTURA-B003} when the backend has no resident routines
   */
  public static ResidentTransformerForward on(Compute compute, TransformerNetwork network) {
    ResidentRoutines r = compute.backend().resident().orElseThrow(() -> new structura.api.StructuraException(
        ErrorCode.ROUTINE_MISSING_STRICT, "backend '" + compute.backendId() + "' has no device-resident routines.",
        "Use TransformerForward (host arrays) on this backend, or a backend with Backend.resident() (java, cuda)."));
    return new ResidentTransformerForward(r, network);
  }

  /** The network this pass runs. */
  public TransformerNetwork network() {
    return network;
  }

  private static void requireSupported(int index, TransformerBlock b) {
    Attention a = b.attention();
    if (a.rotary() != null) {
      throw unsupported("block " + index + " uses rotary position embeddings");
    }
    Mlp m = b.mlp();
    if (m.activation() == Activation.RELU || (m.gate() != null && m.activation() != Activation.SILU)) {
      throw unsupported("block " + index + "'s MLP uses " + (m.gate() == null ? "" : "gated ") + m.activation());
    }
    for (Linear l : Pruning.linearLayers(b)) {
      if (l != null && l.btt() != null) {
        throw unsupported("block " + index + " has a Monarch/BTT (block tensor-train) projection");
      }
    }
  }

  private static InvalidArgumentException unsupported(String what) {
    return new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
        "ResidentTransformerForward: " + what + ", which has no device-resident operation.",
        "Run this network with TransformerForward (host arrays); the resident pass covers BERT-style encoders and "
            + "RMSNorm/SwiGLU decoders without rotary embeddings.");
  }

  // ---- uploads -------------------------------------------------------------------------------

  private DeviceBuffer upload(Matrix m) {
    Matrix c = m.isCompact() && m.offset() == 0 && m.f32().length == m.rows() * m.cols() ? m : m.copy();
    float[] a = c.f32();
    DeviceBuffer b = device.allocate(DType.F32, (long) m.rows() * m.cols());
    weights.add(b);
    device.upload(a, c.offset(), b, 0, m.rows() * m.cols());
    return b;
  }

  private DeviceLinear upload(Linear l) {
    DeviceBuffer bias = l.bias() == null ? null : upload(l.bias());
    if (l.isFactored()) {
      Linear.Factors f = l.factors();
      return new DeviceLinear(null, upload(f.u()), upload(f.v()), bias, l.out(), l.in(), f.rank());
    }
    return new DeviceLinear(upload(l.weight()), null, null, bias, l.out(), l.in(), 0);
  }

  private DeviceNorm upload(Norm n) {
    return new DeviceNorm(n.kind(), upload(n.gamma()), n.beta() == null ? null : upload(n.beta()), n.eps());
  }

  // ---- the pass ------------------------------------------------------------------------------

  /**
   * Runs the network on {@code batch} and downloads the last hidden state: a new
   * {@code B·L × d} matrix, row {@code b·L + t} for token t of sequence b (after the final norm of
   * a decoder that has one), as {@link TransformerForward#lastHiddenState(TokenBatch)}.
   *
   * @throws InvalidArgumentException {@code STRUCTURA-A005} if a token id or type is outside its table,
   *     {@code STRUCTURA-A002} if L exceeds the position table
   */
  public Matrix lastHiddenState(TokenBatch batch) {
    if (closed) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "ResidentTransformerForward is closed.",
          "Create a new one; close() freed its device memory.");
    }
    int len = batch.length();
    int n = batch.batch() * len;
    int d = network.width();
    if (embeddings.position() != null && len > embeddings.positions()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "sequence length " + len + " exceeds the " + embeddings.positions() + " position embeddings.",
          "Truncate the input to at most " + embeddings.positions() + " tokens.");
    }
    if (n == 0) {
      return Matrix.zeros(DType.F32, 0, d);
    }
    Workspace w = workspace(batch.batch(), len);
    embed(batch, w);
    for (DeviceBlock b : blocks) {
      block(b, batch, w);
    }
    if (finalNorm != null) {
      norm(finalNorm, n, w.x);
    }
    float[] out = new float[n * d];
    device.download(w.x, 0, out, 0, n * d);
    return Matrix.wrap(out, n, d);
  }

  private void embed(TokenBatch batch, Workspace w) {
    int n = batch.batch() * batch.length();
    int d = network.width();
    // word + token type + position, accumulated in the order of the host pass
    device.gatherRows(d, embeddings.word(), 0, d, embeddings.words(), batch.inputIds(), w.x, 0, d, false);
    if (embeddings.type() != null) {
      device.gatherRows(d, embeddings.type(), 0, d, embeddings.types(), batch.tokenTypeIds(), w.x, 0, d, true);
    }
    if (embeddings.position() != null) {
      device.gatherRows(d, embeddings.position(), 0, d, embeddings.positions(), w.positions, w.x, 0, d, true);
    }
    if (embeddings.norm() != null) {
      norm(embeddings.norm(), n, w.x);
    }
    float[] mask = new float[n];
    int[] am = batch.attentionMask();
    for (int i = 0; i < n; i++) {
      // the most negative float for padded keys, as HuggingFace and the host pass use
      mask[i] = am[i] == 1 ? 0f : -Float.MAX_VALUE;
    }
    device.upload(mask, 0, w.mask, 0, n);
  }

  /** One block; the hidden state stays in {@code w.x}. */
  private void block(DeviceBlock db, TokenBatch batch, Workspace w) {
    int len = batch.length();
    int n = batch.batch() * len;
    int d = network.width();
    boolean pre = db.block().placement() == TransformerBlock.Placement.PRE;
    DeviceBuffer attnIn = w.x;
    if (pre) {
      device.copy(w.x, 0, w.normed, 0, (long) n * d);
      norm(db.attentionNorm(), n, w.normed);
      attnIn = w.normed;
    }
    attention(db, attnIn, batch, w);
    linear(db.o(), w.ctx, n, w.attn, w);
    device.axpy(n * d, 1.0, w.x, 0, w.attn, 0);   // attn ← x + attn (the residual)
    DeviceBuffer mlpIn = w.attn;
    if (pre) {
      device.copy(w.attn, 0, w.normed, 0, (long) n * d);
      norm(db.mlpNorm(), n, w.normed);
      mlpIn = w.normed;
    } else {
      norm(db.attentionNorm(), n, w.attn);
    }
    Mlp mlp = db.block().mlp();
    int f = mlp.width();
    linear(db.up(), mlpIn, n, w.up, w);
    DeviceBuffer act = w.up;
    if (db.gate() != null) {
      linear(db.gate(), mlpIn, n, w.gate, w);
      device.swiglu(n, f, w.gate, 0, f, w.up, 0, f);
      act = w.gate;
    } else if (mlp.activation() == Activation.GELU) {
      device.gelu(n, f, w.up, 0, f);
    } else {
      device.silu(n, f, w.up, 0, f);
    }
    linear(db.down(), act, n, w.x, w);
    device.axpy(n * d, 1.0, w.attn, 0, w.x, 0);   // x ← h + mlp
    if (!pre) {
      norm(db.mlpNorm(), n, w.x);
    }
  }

  /** The per-head outputs of attention into {@code w.ctx} ({@code n × heads·valueDim}). */
  private void attention(DeviceBlock db, DeviceBuffer x, TokenBatch batch, Workspace w) {
    Attention a = db.block().attention();
    int len = batch.length();
    int bs = batch.batch();
    int n = bs * len;
    int heads = a.heads();
    int group = heads / a.kvHeads();
    int dh = a.headDim();
    int dv = a.valueDim();
    int qw = heads * dh;
    int kw = a.kvHeads() * dh;
    int vw = a.kvHeads() * dv;
    int cw = heads * dv;
    linear(db.q(), x, n, w.q, w);
    linear(db.k(), x, n, w.k, w);
    linear(db.v(), x, n, w.v, w);
    int pairs = bs * heads;
    long[] qOff = new long[pairs];
    long[] kOff = new long[pairs];
    long[] vOff = new long[pairs];
    long[] sOff = new long[pairs];
    long[] cOff = new long[pairs];
    for (int b = 0; b < bs; b++) {
      for (int h = 0; h < heads; h++) {
        int p = b * heads + h;
        int g = h / group;
        long row0 = (long) b * len;
        qOff[p] = row0 * qw + (long) h * dh;
        kOff[p] = row0 * kw + (long) g * dh;
        vOff[p] = row0 * vw + (long) g * dv;
        sOff[p] = (long) p * len * len;
        cOff[p] = row0 * cw + (long) h * dv;
      }
    }
    // S = Q_h K_gᵀ for every (sequence, head), then the scaled, masked softmax, then O_h = P_h V_g
    device.gemmBatched(false, true, len, len, dh, 1.0, w.q, qOff, qw, w.k, kOff, kw, 0.0, w.scores, sOff, len);
    device.attentionSoftmax(bs, heads, len, len, a.scale(), w.scores, 0, w.mask, 0, a.causal());
    device.gemmBatched(false, false, len, dv, len, 1.0, w.scores, sOff, len, w.v, vOff, vw, 0.0, w.ctx, cOff, cw);
  }

  /**
   * {@code Y = X·Wᵀ + b} into {@code y} ({@code n × out}, compact): one GEMM, then the bias on every
   * row; a factored layer goes through {@code T = X·Vᵀ} (n × rank) and {@code Y = T·Uᵀ}.
   */
  private void linear(DeviceLinear l, DeviceBuffer x, int n, DeviceBuffer y, Workspace w) {
    if (l.weight() != null) {
      device.gemm(false, true, n, l.out(), l.in(), 1.0, x, 0, l.in(), l.weight(), 0, l.in(), 0.0, y, 0, l.out());
    } else {
      device.gemm(false, true, n, l.rank(), l.in(), 1.0, x, 0, l.in(), l.v(), 0, l.in(), 0.0, w.mid, 0, l.rank());
      device.gemm(false, true, n, l.out(), l.rank(), 1.0, w.mid, 0, l.rank(), l.u(), 0, l.rank(), 0.0, y, 0, l.out());
    }
    if (l.bias() != null) {
      device.addRowVector(n, l.out(), l.bias(), 0, y, 0, l.out());
    }
  }

  private void norm(DeviceNorm nrm, int n, DeviceBuffer x) {
    int d = network.width();
    if (nrm.kind() == Norm.Kind.LAYER_NORM) {
      device.layerNorm(n, d, x, 0, d, nrm.gamma(), 0, nrm.beta(), 0, nrm.eps());
    } else {
      device.rmsNorm(n, d, x, 0, d, nrm.gamma(), 0, nrm.eps());
    }
  }

  // ---- workspace -----------------------------------------------------------------------------

  /** The activation buffers of one batch shape. */
  private final class Workspace implements AutoCloseable {
    final int batch;
    final int length;
    final int[] positions;
    final List<DeviceBuffer> all = new ArrayList<>();
    final DeviceBuffer x;
    final DeviceBuffer attn;
    final DeviceBuffer normed;
    final DeviceBuffer q;
    final DeviceBuffer k;
    final DeviceBuffer v;
    final DeviceBuffer ctx;
    final DeviceBuffer scores;
    final DeviceBuffer up;
    final DeviceBuffer gate;
    final DeviceBuffer mid;
    final DeviceBuffer mask;

    Workspace(int batch, int length) {
      this.batch = batch;
      this.length = length;
      long n = (long) batch * length;
      positions = new int[(int) n];
      for (int i = 0; i < n; i++) {
        positions[i] = i % length;
      }
      int d = network.width();
      int qw = 1;
      int kw = 1;
      int vw = 1;
      int cw = 1;
      int f = 1;
      int rank = 1;
      long pairs = 1;
      for (TransformerBlock b : network.blocks()) {
        Attention a = b.attention();
        qw = Math.max(qw, a.heads() * a.headDim());
        kw = Math.max(kw, a.kvHeads() * a.headDim());
        vw = Math.max(vw, a.kvHeads() * a.valueDim());
        cw = Math.max(cw, a.heads() * a.valueDim());
        f = Math.max(f, b.mlp().width());
        pairs = Math.max(pairs, (long) batch * a.heads());
        for (Linear l : new Linear[] {a.query(), a.key(), a.value(), a.output(), b.mlp().up(), b.mlp().gate(), b.mlp().down()}) {
          if (l != null && l.isFactored()) {
            rank = Math.max(rank, l.factors().rank());
          }
        }
      }
      try {
        x = alloc(n * d);
        attn = alloc(n * d);
        normed = alloc(n * d);
        q = alloc(n * qw);
        k = alloc(n * kw);
        v = alloc(n * vw);
        ctx = alloc(n * cw);
        scores = alloc(pairs * length * length);
        up = alloc(n * f);
        gate = alloc(n * f);
        mid = alloc(n * rank);
        mask = alloc(n);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    private DeviceBuffer alloc(long length) {
      DeviceBuffer b = device.allocate(DType.F32, length);
      all.add(b);
      return b;
    }

    @Override
    public void close() {
      for (DeviceBuffer b : all) {
        b.close();
      }
      all.clear();
    }
  }

  private Workspace workspace(int batch, int length) {
    if (workspace != null && workspace.batch == batch && workspace.length == length) {
      return workspace;
    }
    if (workspace != null) {
      workspace.close();
      workspace = null;
    }
    workspace = new Workspace(batch, length);
    return workspace;
  }

  /** Frees the weights and the workspace on the device; closing twice does nothing. */
  @Override
  public void close() {
    closed = true;
    if (workspace != null) {
      workspace.close();
      workspace = null;
    }
    for (DeviceBuffer b : weights) {
      b.close();
    }
    weights.clear();
  }
}
