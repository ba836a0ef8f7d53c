package structura.formats;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Embeddings;
import structura.api.nn.Linear;
import structura.api.nn.Norm;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.formats.io.OutputTransaction;
import structura.formats.internal.onnx.OnnxProto.AttributeProto;
import structura.formats.internal.onnx.OnnxProto.GraphProto;
import structura.formats.internal.onnx.OnnxProto.ModelProto;
import structura.formats.internal.onnx.OnnxProto.NodeProto;
import structura.formats.internal.onnx.OnnxProto.OperatorSetIdProto;
import structura.formats.internal.onnx.OnnxProto.TensorProto;
import structura.formats.internal.onnx.OnnxProto.TensorShapeProto;
import structura.formats.internal.onnx.OnnxProto.TypeProto;
import structura.formats.internal.onnx.OnnxProto.ValueInfoProto;

/**
 * Writes a BERT-family {@link TransformerNetwork}, pruned or not, as a standard ONNX graph
 * (opset 17, IR version 8) that ONNX Runtime runs: inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (int64, {@code [batch, sequence]}), output
 * {@code last_hidden_state} (float, {@code [batch, sequence, d]}).
 *
 * <p>The graph is the one HuggingFace exports, with each block's own head count and FFN width:
 * Gather embeddings, LayerNormalization, per block {@code Add(MatMul(x, Wᵀ), b)} projections,
 * Reshape to {@code [0, 0, heads, headDim]} (values: {@code valueDim}) and Transpose for per-head
 * attention, scores multiplied by {@link Attention#scale()} plus the additive mask {@code (1 − mask)·(−3.4028235e38)}, Softmax, and GELU as
 * {@code x·½·(1 + erf(x/√2))}. Initializers keep the HuggingFace names, so
 * {@link OnnxModels#readBert} reads the file back. The file is written to a temporary file and
 * moved into place. Llama-family decoders are written by {@link #writeLlama}.
 *
 * <p>A factored projection ({@link Linear#factored}, {@code W = U·V} of rank k) is written as two
 * MatMuls, {@code MatMul(MatMul(x, Vᵀ), Uᵀ)} (plus the bias Add), with initializers
 * {@code <layer>.weight_v_t} ({@code in × k}) and {@code <layer>.weight_u_t} ({@code k × out}), so
 * ONNX Runtime runs it at the reduced cost; {@link OnnxModels#readBert} recognises the pattern and
 * reads the layer back factored. A Monarch/BTT layer ({@link Linear#blockTensorTrain}) is written
 * as Reshape/Transpose/3-D MatMul sequences (see {@code blockTensorTrain}) and read back likewise.
 *
 * <p>A residual-selected projection ({@link Linear#selected}, the {@code disp} strategy) reads its
 * kept inputs with {@code Gather(x, <layer>.input_index, axis=−1)} (one Gather shared by Q, K and
 * V) and, for the attention output and FFN down projections, writes its kept outputs into the
 * residual with {@code ScatterElements(..., reduction=add)} (opset ≥ 16). {@link OnnxModels#readBert}
 * does not read such graphs back; ONNX Runtime runs them.
 */
public final class OnnxWriter {
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int INT64 = TensorProto.DataType.INT64_VALUE;

  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> inits = new ArrayList<>();
  private final java.util.Set<String> constants = new java.util.HashSet<>();
  private final java.util.Map<String, String> gathers = new java.util.HashMap<>();
  /** Write a selected layer's outputs with a zero-padded MatMul instead of ScatterElements (the benchmark's alternative). */
  private final boolean paddedOutputs;
  private int counter;

  private OnnxWriter() {
    this(false);
  }

  private OnnxWriter(boolean paddedOutputs) {
    this.paddedOutputs = paddedOutputs;
  }

  /**
   * {@link #writeBert} with each residual-selected output projection written as one MatMul with
   * its weight zero-padded to all d outputs plus an Add, instead of ScatterElements: the same
   * function at the output projection's dense cost. Only for measuring which form ONNX Runtime runs
   * faster ({@code DispScatterBenchmark}, docs/performance.md).
   */
  static void writeBertPaddedOutputs(TransformerNetwork network, Path file) {
    save(new OnnxWriter(true).build(network), file);
  }

  /**
   * Writes {@code network}, encoder or decoder, to {@code file}; see {@link #writeBert} and
   * {@link #writeLlama} for the graphs.
   */
  public static void write(TransformerNetwork network, Path file) {
    if (network.family() == TransformerNetwork.Family.LLAMA_DECODER) {
      writeLlama(network, file);
    } else {
      writeBert(network, file);
    }
  }

  /**
   * Writes a BERT-family encoder to {@code file}.
   *
   * @throws InvalidArgumentException if the network is not a BERT-family encoder
   * @throws structura.api.StructuraException {@code OUTPUT_UNWRITABLE} on I/O failure (no partial file is left behind)
   */
  public static void writeBert(TransformerNetwork network, Path file) {
    save(new OnnxWriter().build(network), file);
  }

  /**
   * Writes a Llama-family decoder to {@code file}: the same inputs ({@code token_type_ids} is
   * accepted and unused), outputs {@code last_hidden_state} (after the final RMSNorm) and, with an
   * LM head, {@code logits}. RMSNorm is decomposed (ReduceMean of x², Sqrt, Div), RoPE is computed
   * from {@code Range} positions and per-head inverse-frequency initializers (so pruned rotary
   * frequencies export), grouped-query attention reshapes the queries of a key/value group to
   * {@code [B, kvHeads, group, L, headDim]} so keys and values broadcast without copies, and the
   * mask is {@code Where(causal ∧ attention_mask, 0, −3.4028235e38)}.
   *
   * @throws InvalidArgumentException if the network is not a decoder or uses partial rotary embeddings
   */
  public static void writeLlama(TransformerNetwork network, Path file) {
    save(new OnnxWriter().buildLlama(network), file);
  }

  /** Through {@link OutputTransaction#writeFile}: a temporary beside {@code file}, moved into place when complete. */
  private static void save(ModelProto model, Path file) {
    OutputTransaction.writeFile(file, model::writeTo);
  }

  ModelProto build(TransformerNetwork net) {
    if (net.family() != TransformerNetwork.Family.BERT_ENCODER) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "ONNX export supports BERT-family encoders; got "
          + net.family() + ".", "Write decoders with Safetensors.write.");
    }
    Embeddings e = net.embeddings();
    String x = op("Gather", List.of(init("embeddings.word_embeddings.weight", e.word()), "input_ids"));
    if (e.tokenType() != null) {
      x = op("Add", List.of(x, op("Gather", List.of(init("embeddings.token_type_embeddings.weight", e.tokenType()),
          "token_type_ids"))));
    }
    if (e.position() != null) {
      String len = op("Gather", List.of(op("Shape", List.of("input_ids")), ints("seq_axis", new long[] {1}, true)),
          attrInt("axis", 0));
      String range = op("Range", List.of(ints("zero", new long[] {0}, true), len, ints("one", new long[] {1}, true)));
      x = op("Add", List.of(x, op("Gather", List.of(init("embeddings.position_embeddings.weight", e.position()), range))));
    }
    if (e.norm() != null) {
      x = layerNorm(x, "embeddings.LayerNorm", e.norm());
    }
    String maskF = op("Cast", List.of("attention_mask"), attrInt("to", FLOAT));
    String mask4 = op("Unsqueeze", List.of(maskF, ints("mask_axes", new long[] {1, 2}, false)));
    String inverted = op("Sub", List.of(scalar("one_f", 1f), mask4));
    String maskAdd = op("Mul", List.of(inverted, scalar("mask_min", -Float.MAX_VALUE)));
    int index = 0;
    for (TransformerBlock b : net.blocks()) {
      x = block(index++, b, x, maskAdd);
    }
    nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(x).addOutput("last_hidden_state").build());
    GraphProto g = GraphProto.newBuilder().setName("structura_bert").addAllNode(nodes).addAllInitializer(inits)
        .addInput(io("input_ids", INT64, "batch_size", "sequence_length", null))
        .addInput(io("attention_mask", INT64, "batch_size", "sequence_length", null))
        .addInput(io("token_type_ids", INT64, "batch_size", "sequence_length", null))
        .addOutput(io("last_hidden_state", FLOAT, "batch_size", "sequence_length", (long) net.width()))
        .build();
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("structura").setProducerVersion("0.1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
  }

  ModelProto buildLlama(TransformerNetwork net) {
    if (net.family() != TransformerNetwork.Family.LLAMA_DECODER) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "writeLlama needs a Llama-family decoder; got "
          + net.family() + ".", "Use writeBert for encoders.");
    }
    String x = op("Gather", List.of(init("model.embed_tokens.weight", net.embeddings().word()), "input_ids"));
    String len = op("Gather", List.of(op("Shape", List.of("input_ids")), ints("seq_axis", new long[] {1}, true)), attrInt("axis", 0));
    String pos = op("Range", List.of(ints("zero", new long[] {0}, true), len, ints("one", new long[] {1}, true)));
    String posF = op("Unsqueeze", List.of(op("Cast", List.of(pos), attrInt("to", FLOAT)), ints("pos_axes", new long[] {0, 2}, false)));
    // causal ∧ padding mask as an additive bias [B, 1, 1, L, L] (the middle 1 broadcasts over a GQA group)
    String causal = op("LessOrEqual", List.of(op("Unsqueeze", List.of(pos, ints("axis0", new long[] {0}, false))),
        op("Unsqueeze", List.of(pos, ints("axis1", new long[] {1}, false)))));
    String pad = op("Unsqueeze", List.of(op("Cast", List.of("attention_mask"), attrInt("to", TensorProto.DataType.BOOL_VALUE)),
        ints("pad_axes", new long[] {1, 2}, false)));
    String allowed = op("And", List.of(causal, pad));
    String bias = op("Where", List.of(allowed, scalar("zero_f", 0f), scalar("mask_min", -Float.MAX_VALUE)));
    int index = 0;
    for (TransformerBlock b : net.blocks()) {
      x = llamaBlock(index++, b, x, bias, posF);
    }
    x = rmsNorm(x, "model.norm", net.finalNorm());
    nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(x).addOutput("last_hidden_state").build());
    GraphProto.Builder g = GraphProto.newBuilder().setName("structura_llama").addAllNode(nodes)
        .addInput(io("input_ids", INT64, "batch_size", "sequence_length", null))
        .addInput(io("attention_mask", INT64, "batch_size", "sequence_length", null))
        .addInput(io("token_type_ids", INT64, "batch_size", "sequence_length", null))
        .addOutput(io("last_hidden_state", FLOAT, "batch_size", "sequence_length", (long) net.width()));
    if (net.lmHead() != null) {
      String logits = linear(x, "lm_head", net.lmHead());
      g.addNode(nodes.get(nodes.size() - 1));
      g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(logits).addOutput("logits").build());
      g.addOutput(io("logits", FLOAT, "batch_size", "sequence_length", (long) net.lmHead().out()));
    }
    g.addAllInitializer(inits);
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("structura").setProducerVersion("0.1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
  }

  private String llamaBlock(int index, TransformerBlock b, String x, String bias, String posF) {
    String p = "model.layers." + index + ".";
    Attention a = b.attention();
    if (b.placement() != TransformerBlock.Placement.PRE || b.mlp().gate() == null || b.mlp().activation() != Activation.SILU) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "block " + index
          + " is not a Llama block (pre-norm, SwiGLU).", "Export Llama-family decoders only.");
    }
    int h = a.heads();
    int g = a.kvHeads();
    int group = h / g;
    int dh = a.headDim();
    int dv = a.valueDim();
    String hn = rmsNorm(x, p + "input_layernorm", b.attentionNorm());
    String q = op("Transpose", List.of(op("Reshape", List.of(linear(hn, p + "self_attn.q_proj", a.query()),
        ints(p + "self_attn.q_split", new long[] {0, 0, h, dh}, false)))), attrInts("perm", 0, 2, 1, 3));
    String k = op("Transpose", List.of(op("Reshape", List.of(linear(hn, p + "self_attn.k_proj", a.key()),
        ints(p + "self_attn.k_split", new long[] {0, 0, g, dh}, false)))), attrInts("perm", 0, 2, 1, 3));
    String v = op("Transpose", List.of(op("Reshape", List.of(linear(hn, p + "self_attn.v_proj", a.value()),
        ints(p + "self_attn.v_split", new long[] {0, 0, g, dv}, false)))), attrInts("perm", 0, 2, 1, 3));
    if (a.rotary() != null) {
      q = rope(q, p + "self_attn.rope_q", a, h, group, posF);
      k = rope(k, p + "self_attn.rope_k", a, g, 1, posF);
    }
    // queries of one key/value group side by side: [B, G, group, L, dh]; K and V get a broadcast axis
    String q5 = op("Reshape", List.of(q, ints(p + "self_attn.q_group", new long[] {0, g, group, -1, dh}, false)));
    String kT = op("Unsqueeze", List.of(op("Transpose", List.of(k), attrInts("perm", 0, 1, 3, 2)), ints("axis2", new long[] {2}, false)));
    String v5 = op("Unsqueeze", List.of(v, ints("axis2", new long[] {2}, false)));
    String scores = op("Mul", List.of(op("MatMul", List.of(q5, kT)), scalar(p + "self_attn.scale", (float) a.scale())));
    String bias5 = op("Unsqueeze", List.of(bias, ints("axis2", new long[] {2}, false)));
    String probs = op("Softmax", List.of(op("Add", List.of(scores, bias5))), attrInt("axis", -1));
    String ctx = op("Reshape", List.of(op("MatMul", List.of(probs, v5)), ints(p + "self_attn.heads", new long[] {0, h, -1, dv}, false)));
    String merged = op("Reshape", List.of(op("Transpose", List.of(ctx), attrInts("perm", 0, 2, 1, 3)),
        ints(p + "self_attn.merge", new long[] {0, 0, (long) h * dv}, false)));
    String h1 = a.output().isSelected() ? linearPlus(merged, p + "self_attn.o_proj", a.output(), x)
        : op("Add", List.of(x, linear(merged, p + "self_attn.o_proj", a.output())));
    String m = rmsNorm(h1, p + "post_attention_layernorm", b.mlpNorm());
    String gate = linear(m, p + "mlp.gate_proj", b.mlp().gate());
    String silu = op("Mul", List.of(gate, op("Sigmoid", List.of(gate))));
    String prod = op("Mul", List.of(silu, linear(m, p + "mlp.up_proj", b.mlp().up())));
    Linear down = b.mlp().down();
    return down.isSelected() ? linearPlus(prod, p + "mlp.down_proj", down, h1)
        : op("Add", List.of(h1, linear(prod, p + "mlp.down_proj", down)));
  }

  /** Rotate-half RoPE on x [B, heads, L, dh] with per-head inverse frequencies (head h uses key/value head h / group). */
  private String rope(String x, String name, Attention a, int heads, int group, String posF) {
    int dh = a.headDim();
    int half = dh / 2;
    if (a.rotary().frequencies() == null && a.rotary().dims() != dh) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "partial rotary embeddings (" + a.rotary().dims()
          + " of " + dh + " dims) are not exported.", "Export models whose RoPE covers the whole head.");
    }
    float[] inv = new float[heads * half];
    for (int hh = 0; hh < heads; hh++) {
      for (int j = 0; j < half; j++) {
        inv[hh * half + j] = (float) a.rotary().inverseFrequency(a.rotary().frequency(hh / group, j));
      }
    }
    Matrix invM = Matrix.wrap(inv, 0, heads, half, half);
    String invName = init3(name + ".inv_freq", invM, heads, 1, half);
    String angle = op("Mul", List.of(posF, invName)); // [heads, L, half]
    String cos = op("Cos", List.of(angle));
    String sin = op("Sin", List.of(angle));
    String cosF = op("Concat", List.of(cos, cos), attrInt("axis", -1));
    String sinF = op("Concat", List.of(sin, sin), attrInt("axis", -1));
    String axes = ints("last_axis", new long[] {-1}, false);
    String x1 = op("Slice", List.of(x, ints(name + ".s0", new long[] {0}, false), ints(name + ".s1", new long[] {half}, false), axes));
    String x2 = op("Slice", List.of(x, ints(name + ".s1b", new long[] {half}, false), ints(name + ".s2", new long[] {dh}, false), axes));
    String rot = op("Concat", List.of(op("Neg", List.of(x2)), x1), attrInt("axis", -1));
    return op("Add", List.of(op("Mul", List.of(x, cosF)), op("Mul", List.of(rot, sinF))));
  }

  private String rmsNorm(String x, String name, Norm n) {
    if (n.kind() != Norm.Kind.RMS_NORM) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is " + n.kind() + ".", "Llama uses RMSNorm.");
    }
    String ms = op("ReduceMean", List.of(op("Mul", List.of(x, x))), attrInts("axes", -1), attrInt("keepdims", 1));
    String rms = op("Sqrt", List.of(op("Add", List.of(ms, scalar(name + ".eps", (float) n.eps())))));
    return op("Mul", List.of(op("Div", List.of(x, rms)), init(name + ".weight", n.gamma())));
  }

  private String init3(String name, Matrix m, long d0, long d1, long d2) {
    init(name, m);
    TensorProto t = inits.remove(inits.size() - 1);
    inits.add(t.toBuilder().clearDims().addDims(d0).addDims(d1).addDims(d2).build());
    return name;
  }

  private String block(int index, TransformerBlock b, String x, String maskAdd) {
    String p = "encoder.layer." + index + ".";
    Attention a = b.attention();
    if (a.kvHeads() != a.heads() || a.causal() || a.rotary() != null || b.placement() != TransformerBlock.Placement.POST
        || b.mlp().gate() != null || b.mlp().activation() != Activation.GELU) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "block " + index
          + " is not a BERT block (post-LN, bidirectional, no GQA/RoPE, ungated GELU MLP).", "Export BERT-family networks only.");
    }
    int h = a.heads();
    int dh = a.headDim();
    int dv = a.valueDim();
    String split = ints(p + "attention.self.split_heads", new long[] {0, 0, h, dh}, false);
    String splitV = dv == dh ? split : ints(p + "attention.self.split_value_heads", new long[] {0, 0, h, dv}, false);
    String q = op("Transpose", List.of(op("Reshape", List.of(linear(x, p + "attention.self.query", a.query()), split))),
        attrInts("perm", 0, 2, 1, 3));
    String k = op("Transpose", List.of(op("Reshape", List.of(linear(x, p + "attention.self.key", a.key()), split))),
        attrInts("perm", 0, 2, 3, 1));
    String v = op("Transpose", List.of(op("Reshape", List.of(linear(x, p + "attention.self.value", a.value()), splitV))),
        attrInts("perm", 0, 2, 1, 3));
    String scores = op("Mul", List.of(op("MatMul", List.of(q, k)), scalar(p + "attention.self.scale", (float) a.scale())));
    String probs = op("Softmax", List.of(op("Add", List.of(scores, maskAdd))), attrInt("axis", -1));
    String ctx = op("Transpose", List.of(op("MatMul", List.of(probs, v))), attrInts("perm", 0, 2, 1, 3));
    String merged = op("Reshape", List.of(ctx, ints(p + "attention.self.merge_heads", new long[] {0, 0, (long) h * dv}, false)));
    String attn = linearPlus(merged, p + "attention.output.dense", a.output(), x);
    String hdn = layerNorm(attn, p + "attention.output.LayerNorm", b.attentionNorm());
    String up = linear(hdn, p + "intermediate.dense", b.mlp().up());
    String erf = op("Erf", List.of(op("Div", List.of(up, scalar(p + "intermediate.sqrt2", (float) Math.sqrt(2))))));
    String gelu = op("Mul", List.of(op("Mul", List.of(up, op("Add", List.of(erf, scalar(p + "intermediate.one", 1f))))),
        scalar(p + "intermediate.half", 0.5f)));
    String out = linearPlus(gelu, p + "output.dense", b.mlp().down(), hdn);
    return layerNorm(out, p + "output.LayerNorm", b.mlpNorm());
  }

  /**
   * {@code Add(bias, MatMul(x, Wᵀ))}; a factored layer {@code W = U·V} is
   * {@code Add(bias, MatMul(MatMul(x, Vᵀ), Uᵀ))} with initializers {@code <name>.weight_v_t}
   * ({@code in × k}) and {@code <name>.weight_u_t} ({@code k × out}), so the runtime does
   * {@code k·(in + out)} multiply-accumulates per token.
   */
  private String linear(String x, String name, Linear l) {
    if (l.isSelected()) {
      if (l.selection().outputs() != null) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " writes a subset of its outputs outside a "
            + "residual branch.", "Only the attention output and FFN down projections of a BERT block may write a subset.");
      }
      String mm = op("MatMul", List.of(gathered(x, name, l.selection()), init(name + ".weight_t",
          l.storedWeight().transposeCopy())));
      return l.bias() == null ? mm : op("Add", List.of(init(name + ".bias", l.bias()), mm));
    }
    String mm;
    if (l.btt() != null) {
      mm = blockTensorTrain(x, name, l.btt());
    } else if (l.isFactored()) {
      String t = op("MatMul", List.of(x, init(name + ".weight_v_t", l.factors().v().transposeCopy())));
      mm = op("MatMul", List.of(t, init(name + ".weight_u_t", l.factors().u().transposeCopy())));
    } else {
      mm = op("MatMul", List.of(x, init(name + ".weight_t", l.weight().transposeCopy())));
    }
    return l.bias() == null ? mm : op("Add", List.of(init(name + ".bias", l.bias()), mm));
  }

  /**
   * {@code x·Wᵀ} for a two-core block tensor-train layer ({@link Linear.Btt}: in = m₁·m₂,
   * out = n₁·n₂, rank r) on x {@code [B, L, in]}, as batched block-diagonal 3-D MatMuls:
   * <pre>
   *   Reshape [−1, m₂, m₁] → Transpose [1, 0, 2] → MatMul A  ([m₂, m₁, r·n₁])  → [m₂, N, r·n₁]
   *   Reshape [m₂, −1, r, n₁] → Transpose [3, 1, 0, 2] → Reshape [n₁, −1, m₂·r]  (the permutation)
   *   MatMul B ([n₁, m₂·r, n₂]) → [n₁, N, n₂] → Transpose [1, 2, 0] → Reshape [B, L, n₂·n₁]
   * </pre>
   * with initializers {@code <name>.btt_first} (A, block j₂ = A[j₂]ᵀ) and {@code <name>.btt_second}
   * (B, block i₁ = B[i₁]ᵀ); the final Transpose puts output i₁ + n₁·i₂ in place. The runtime does
   * {@link Linear.Btt#macsPerRow()} multiply-accumulates per token, plus three transposes of the
   * intermediates. {@link OnnxModels#readBert} reads the layer back from the two initializers.
   */
  private String blockTensorTrain(String x, String name, Linear.Btt w) {
    int m1 = w.m1();
    int m2 = w.m2();
    int n1 = w.n1();
    int n2 = w.n2();
    int r = w.rank();
    Matrix a = Matrix.zeros(structura.api.DType.F32, m2 * m1, r * n1);
    for (int j2 = 0; j2 < m2; j2++) {
      a.view(j2 * m1, 0, m1, r * n1).copyFrom(w.first().view(j2 * r * n1, 0, r * n1, m1).transposeCopy());
    }
    Matrix b = Matrix.zeros(structura.api.DType.F32, n1 * m2 * r, n2);
    for (int i1 = 0; i1 < n1; i1++) {
      b.view(i1 * m2 * r, 0, m2 * r, n2).copyFrom(w.second().view(i1 * n2, 0, n2, m2 * r).transposeCopy());
    }
    String leading = op("Shape", List.of(x), attrInt("end", 2));
    String blocks = op("Transpose", List.of(op("Reshape", List.of(x, ints(name + ".btt_split_in", new long[] {-1, m2, m1},
        false)))), attrInts("perm", 1, 0, 2));
    String z = op("MatMul", List.of(blocks, init3(name + ".btt_first", a, m2, m1, (long) r * n1)));
    String split = op("Reshape", List.of(z, ints(name + ".btt_split_mid", new long[] {m2, -1, r, n1}, false)));
    String grouped = op("Reshape", List.of(op("Transpose", List.of(split), attrInts("perm", 3, 1, 0, 2)),
        ints(name + ".btt_group_mid", new long[] {n1, -1, (long) m2 * r}, false)));
    String y = op("MatMul", List.of(grouped, init3(name + ".btt_second", b, n1, (long) m2 * r, n2)));
    String shape = op("Concat", List.of(leading, ints(name + ".btt_out_width", new long[] {(long) n1 * n2}, false)),
        attrInt("axis", 0));
    return op("Reshape", List.of(op("Transpose", List.of(y), attrInts("perm", 1, 2, 0)), shape));
  }

  /**
   * {@code residual + linear(x)}. A selected layer ({@link Linear#selected}, disp) reads its
   * inputs with {@code Gather(x, inputs, axis=−1)} and writes its outputs into the residual with
   * {@code ScatterElements(residual + bias, Expand(outputs), MatMul(·, Wₛᵀ), axis=−1,
   * reduction=add)}, so the runtime does {@code |inputs|·|outputs|} multiply-accumulates per
   * token; any other layer is {@code Add(linear(x), residual)} as HuggingFace writes it.
   */
  private String linearPlus(String x, String name, Linear l, String residual) {
    if (!l.isSelected()) {
      return op("Add", List.of(linear(x, name, l), residual));
    }
    Linear.Selection sel = l.selection();
    String base = l.bias() == null ? residual : op("Add", List.of(residual, init(name + ".bias", l.bias())));
    if (sel.outputs() == null) {
      return op("Add", List.of(base, op("MatMul", List.of(gathered(x, name, sel), init(name + ".weight_t",
          l.storedWeight().transposeCopy())))));
    }
    if (paddedOutputs) {
      int[] outputs = sel.outputs();
      Matrix w = l.storedWeight();
      Matrix full = Matrix.zeros(structura.api.DType.F32, l.out(), w.cols());
      for (int p = 0; p < outputs.length; p++) {
        full.row(outputs[p]).copyFrom(w.row(p));
      }
      String mm = op("MatMul", List.of(gathered(x, name, sel), init(name + ".weight_padded_t", full.transposeCopy())));
      return op("Add", List.of(base, mm));
    }
    String part = op("MatMul", List.of(gathered(x, name, sel), init(name + ".weight_t", l.storedWeight().transposeCopy())));
    String index = op("Expand", List.of(indexInit(name + ".output_index", sel.outputs()), op("Shape", List.of(part))));
    return op("ScatterElements", List.of(base, index, part), attrInt("axis", -1), AttributeProto.newBuilder()
        .setName("reduction").setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("add")).build());
  }

  /** {@code Gather(x, inputs, axis=−1)} of a selection, shared by layers that read the same columns of x; x itself when all are read. */
  private String gathered(String x, String name, Linear.Selection sel) {
    int[] inputs = sel.inputs();
    if (inputs == null) {
      return x;
    }
    String key = x + java.util.Arrays.toString(inputs);
    String hit = gathers.get(key);
    if (hit == null) {
      hit = op("Gather", List.of(x, indexInit(name + ".input_index", inputs)), attrInt("axis", -1));
      gathers.put(key, hit);
    }
    return hit;
  }

  private String indexInit(String name, int[] index) {
    long[] v = new long[index.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = index[i];
    }
    return ints(name, v, false);
  }

  private String layerNorm(String x, String name, Norm n) {
    if (n.kind() != Norm.Kind.LAYER_NORM) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is " + n.kind() + ".", "BERT uses LayerNorm.");
    }
    return op("LayerNormalization", List.of(x, init(name + ".weight", n.gamma()), init(name + ".bias", n.beta())),
        attrInt("axis", -1), AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
            .setF((float) n.eps()).build());
  }

  private String op(String type, List<String> inputs, AttributeProto... attrs) {
    String out = "/" + type + "_" + counter++;
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(out.substring(1)).addAllInput(inputs).addOutput(out);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    nodes.add(n.build());
    return out;
  }

  private String init(String name, Matrix m) {
    ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(m.size() * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        bb.putFloat((float) m.get(i, j));
      }
    }
    bb.flip();
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(bb));
    if (m.rows() == 1 && !name.endsWith("_t")) {
      t.addDims(m.cols()); // biases and norm parameters are 1-D, as in PyTorch
    } else {
      t.addDims(m.rows()).addDims(m.cols());
    }
    inits.add(t.build());
    return name;
  }

  private String ints(String name, long[] values, boolean scalar) {
    if (!constants.add(name)) {
      return name; // shared shape constants are emitted once (initializer names must be unique)
    }
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      bb.putLong(v);
    }
    bb.flip();
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64).setRawData(ByteString.copyFrom(bb));
    if (!scalar) {
      t.addDims(values.length);
    }
    inits.add(t.build());
    return name;
  }

  private String scalar(String name, float v) {
    if (!constants.add(name)) {
      return name;
    }
    ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
    bb.flip();
    inits.add(TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(bb)).build());
    return name;
  }

  private static AttributeProto attrInt(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto attrInts(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  private static ValueInfoProto io(String name, int type, String d0, String d1, Long d2) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(d0))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(d1));
    if (d2 != null) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d2));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
  }
}
