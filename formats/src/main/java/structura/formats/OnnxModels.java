package structura.formats;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import structura.api.Matrix;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Embeddings;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.formats.internal.onnx.OnnxProto.AttributeProto;
import structura.formats.internal.onnx.OnnxProto.GraphProto;
import structura.formats.internal.onnx.OnnxProto.ModelProto;
import structura.formats.internal.onnx.OnnxProto.NodeProto;
import structura.formats.internal.onnx.OnnxProto.TensorProto;

/**
 * Reads BERT-family encoders from ONNX files as HuggingFace exports them (torch.onnx through
 * optimum or transformers.onnx: all-MiniLM-L6-v2, bge-small-en-v1.5, bert-base and the like) into a
 * {@link TransformerNetwork}, and writes networks back ({@link OnnxWriter}).
 *
 * <p>Matching works on initializer names and graph structure, not on node names: embeddings,
 * biases and LayerNorm parameters are found by their HuggingFace names
 * ({@code [prefix]embeddings.word_embeddings.weight}, {@code [prefix]encoder.layer.N.attention.self.query.bias}, ...);
 * each linear weight, which the exporter stores anonymously ({@code onnx::MatMul_787}, as
 * {@code in × out}), is the second input of the MatMul feeding the Add that consumes the bias (or
 * of a Gemm consuming it); the head count comes from the Reshape of the query projection; the
 * LayerNorm epsilon from the constant added under the square root (or the LayerNormalization
 * attribute); a MatMul whose input is itself a MatMul by an initializer is a factored low-rank
 * layer ({@code MatMul(MatMul(x, Vᵀ), Uᵀ)}, as {@link OnnxWriter} writes {@code svd} output) and
 * is read back as {@link Linear#factored}; the activation must be the erf form of GELU. Any operator outside the BERT pattern
 * fails with a list of all of them. The file is read whole into memory (about 1.5 times its size
 * at peak).
 */
public final class OnnxModels {
  /** Operators that occur in HuggingFace BERT-family exports (opset 11 to 17, decomposed or fused norms). */
  static final Set<String> BERT_OPERATORS = Set.of("Add", "Cast", "Concat", "Constant", "ConstantOfShape", "Div", "Equal",
      "Erf", "Expand", "Gather", "Gemm", "Identity", "LayerNormalization", "MatMul", "Mul", "Pow", "Range", "ReduceMean", "Reshape",
      "Shape", "Slice", "Softmax", "Sqrt", "Squeeze", "Sub", "Transpose", "Unsqueeze", "Where");

  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

  private OnnxModels() {}

  /**
   * Parses an ONNX file into its protobuf model.
   *
   * @throws ModelFormatException if the file is truncated or not an ONNX protobuf
   */
  static ModelProto parse(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new ModelFormatException(file, null, "is a directory, not an .onnx file.", "Pass the .onnx file itself.");
      }
      if (Files.size(file) == 0) {
        throw new ModelFormatException(file, null, "empty file (0 bytes).", "The file is truncated; copy or export it again.");
      }
    } catch (IOException e) {
      throw new ModelFormatException(file.toString(), null, "cannot read: " + e, "Check the path and its permissions.", e);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new ModelFormatException(file.toString(), null, "cannot read: " + e, "Check the path and its permissions.", e);
    }
  }

  static ModelProto parse(InputStream in, String name) throws IOException {
    CodedInputStream cis = CodedInputStream.newInstance(in);
    cis.setSizeLimit(Integer.MAX_VALUE); // models exceed protobuf's default 64 MiB message limit
    cis.setRecursionLimit(200);
    try {
      ModelProto m = ModelProto.parseFrom(cis);
      if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
        throw new ModelFormatException(name, null, "no graph (ir_version " + m.getIrVersion() + "); not an ONNX model?",
            "Pass an .onnx model file.", null);
      }
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFormatException(name, null, "not a valid ONNX protobuf (truncated or corrupt): " + e.getMessage(),
          "Check that the file was copied completely; re-export the model.", e);
    } catch (ModelFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      // protobuf's parser is robust, but a corrupt length can still surface as another exception
      throw new ModelFormatException(name, null, "not a valid ONNX protobuf (truncated or corrupt): " + e,
          "Check that the file was copied completely; re-export the model.", e);
    }
  }

  /**
   * Reads a BERT-family encoder from an ONNX file.
   *
   * @throws ModelFormatException naming the file and the tensor or node when the graph does not match
   */
  public static TransformerNetwork readBert(Path file) {
    return readBert(parse(file), file.toString());
  }

  static TransformerNetwork readBert(ModelProto model, String file) {
    try {
      return new BertMatcher(model.getGraph(), file).match();
    } catch (structura.api.StructuraException e) {
      throw e;
    } catch (RuntimeException e) {
      // a safety net: a corrupt graph the matcher's checks did not foresee (a node short of inputs, ...) is still reported coded
      throw new ModelFormatException(file, null, "the graph is malformed: " + e, "Re-export the model.", e);
    }
  }

  /** Decodes an F32 initializer into a compact {@code rows × cols} matrix (1-D tensors become {@code 1 × n}). */
  static Matrix floats(TensorProto t, String file) {
    List<Long> dims = t.getDimsList();
    long count = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new ModelFormatException(file, t.getName(), "negative dimension " + dims + ".", "Re-export the model.", null);
      }
      count = count > Integer.MAX_VALUE ? count : count * Math.min(d, Integer.MAX_VALUE);
    }
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new ModelFormatException(file, t.getName(), "tensor data is stored outside the model file (external data).",
          "Re-export with all weights inside the .onnx file (models under 2 GB).", null);
    }
    if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      throw new ModelFormatException(file, t.getName(), "has ONNX data type " + t.getDataType() + " but float32 (1) is needed.",
          "Export the model in float32 (not quantized or float16).", null);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(file, t.getName(), "has " + count + " elements, more than a Java array holds.",
          "Split the tensor.", null);
    }
    // checked before allocating: a corrupt shape must not ask for gigabytes
    if (t.hasRawData() && t.getRawData().size() != count * 4) {
      throw new ModelFormatException(file, t.getName(), "raw data has " + t.getRawData().size() + " bytes but shape " + dims
          + " needs " + count * 4 + ".", "The file is corrupt; re-export the model.", null);
    }
    if (!t.hasRawData() && t.getFloatDataCount() != count) {
      throw new ModelFormatException(file, t.getName(), "holds " + t.getFloatDataCount() + " floats but shape " + dims
          + " needs " + count + ".", "The file is corrupt; re-export the model.", null);
    }
    float[] data = new float[(int) count];
    if (t.hasRawData()) {
      ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      bb.asFloatBuffer().get(data);
    } else {
      for (int i = 0; i < count; i++) {
        data[i] = t.getFloatData(i);
      }
    }
    int rows = dims.size() <= 1 ? 1 : (int) (count / dims.get(dims.size() - 1));
    int cols = dims.isEmpty() ? 1 : dims.get(dims.size() - 1).intValue();
    if (dims.size() > 2) {
      throw new ModelFormatException(file, t.getName(), "has rank " + dims.size() + " where a matrix or vector is expected.",
          "Re-export the model.", null);
    }
    return Matrix.wrap(data, 0, rows, cols, Math.max(1, cols));
  }

  /** Integer values of an INT64/INT32 tensor (shape constants). */
  static long[] ints(TensorProto t) {
    if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
      if (t.hasRawData()) {
        ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[bb.remaining() / 8];
        bb.asLongBuffer().get(v);
        return v;
      }
      return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
    if (t.getDataType() == TensorProto.DataType.INT32_VALUE) {
      if (t.hasRawData()) {
        ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[bb.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
          v[i] = bb.getInt();
        }
        return v;
      }
      return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
    }
    return null;
  }

  /** Structural matcher of one BERT graph. */
  private static final class BertMatcher {
    private final GraphProto graph;
    private final String file;
    private final Map<String, TensorProto> init = new HashMap<>();
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private String prefix = "";

    BertMatcher(GraphProto graph, String file) {
      this.graph = graph;
      this.file = file;
      for (TensorProto t : graph.getInitializerList()) {
        init.put(t.getName(), t);
      }
      for (NodeProto n : graph.getNodeList()) {
        for (String o : n.getOutputList()) {
          producer.put(o, n);
        }
        for (String i : n.getInputList()) {
          consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
        }
      }
    }

    TransformerNetwork match() {
      checkOperators();
      checkInterface();
      for (String name : init.keySet()) {
        if (name.endsWith("embeddings.word_embeddings.weight")) {
          prefix = name.substring(0, name.length() - "embeddings.word_embeddings.weight".length());
        }
      }
      Matrix word = tensor("embeddings.word_embeddings.weight");
      Matrix position = tensor("embeddings.position_embeddings.weight");
      Matrix tokenType = init.containsKey(prefix + "embeddings.token_type_embeddings.weight")
          ? tensor("embeddings.token_type_embeddings.weight") : null;
      Embeddings emb;
      try {
        emb = new Embeddings(word, position, tokenType, layerNorm("embeddings.LayerNorm"));
      } catch (structura.api.InvalidArgumentException e) {
        throw new ModelFormatException(file, prefix + "embeddings", "the embedding tensors disagree: " + e.getMessage(),
            "The file is inconsistent; re-export the model.", e);
      }
      TreeMap<Integer, Boolean> layers = new TreeMap<>();
      for (String name : init.keySet()) {
        Matcher m = LAYER.matcher(name);
        if (name.startsWith(prefix) && m.find()) {
          layers.put(Integer.parseInt(m.group(1)), true);
        }
      }
      if (layers.isEmpty() || layers.lastKey() != layers.size() - 1) {
        throw new ModelFormatException(file, prefix + "encoder.layer.*", "found layers " + layers.keySet()
            + ", expected 0..N-1 with HuggingFace BERT names.", "Export a BERT-family model with HuggingFace names.", null);
      }
      if (!graph.getNodeList().stream().anyMatch(n -> n.getOpType().equals("Erf"))) {
        throw new ModelFormatException(file, null, "no Erf node: the MLP activation is not the erf form of GELU.",
            "Only hidden_act=gelu (erf) encoders are supported.", null);
      }
      List<TransformerBlock> blocks = new ArrayList<>();
      for (int l = 0; l < layers.size(); l++) {
        try {
          blocks.add(block(l));
        } catch (structura.api.InvalidArgumentException e) {
          throw new ModelFormatException(file, prefix + "encoder.layer." + l, "the tensors do not form a block: "
              + e.getMessage(), "The file is inconsistent; re-export the model.", e);
        }
      }
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("source", file);
      meta.put("format", "onnx");
      return new TransformerNetwork(TransformerNetwork.Family.BERT_ENCODER, emb, blocks, null, null, meta);
    }

    private TransformerBlock block(int l) {
      {
        String p = "encoder.layer." + l + ".";
        Linear q = linear(p + "attention.self.query");
        Linear k = linear(p + "attention.self.key");
        Linear v = linear(p + "attention.self.value");
        Linear o = linear(p + "attention.output.dense");
        int[] hd = heads(p + "attention.self.query", q.out());
        if (v.out() % hd[0] != 0) {
          throw new ModelFormatException(file, prefix + p + "attention.self.value.bias", "the value projection has " + v.out()
              + " outputs, not a multiple of the " + hd[0] + " heads.", "The file is inconsistent; re-export the model.", null);
        }
        Attention att = new Attention(hd[0], hd[0], hd[1], v.out() / hd[0], q, k, v, o, scale(p + "attention.self.query", hd[1]),
            false, null);
        Mlp mlp = new Mlp(linear(p + "intermediate.dense"), null, linear(p + "output.dense"), Activation.GELU);
        return new TransformerBlock(att, mlp, layerNorm(p + "attention.output.LayerNorm"), layerNorm(p + "output.LayerNorm"),
            TransformerBlock.Placement.POST);
      }
    }

    private void checkOperators() {
      Set<String> unexpected = new TreeSet<>();
      for (NodeProto n : graph.getNodeList()) {
        boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
        if (!standard || !BERT_OPERATORS.contains(n.getOpType())) {
          unexpected.add((standard ? "" : n.getDomain() + ":") + n.getOpType() + " (node '" + n.getName() + "')");
        }
      }
      if (!unexpected.isEmpty()) {
        throw new ModelFormatException(file, null, "the graph is not a BERT-family encoder; unexpected operators: "
            + String.join(", ", unexpected) + ".",
            "Use an unoptimized HuggingFace export (no fused Attention/SkipLayerNorm/quantized ops); supported operators: "
                + new TreeSet<>(BERT_OPERATORS) + ".", null);
      }
    }

    private void checkInterface() {
      Set<String> inputs = new TreeSet<>();
      graph.getInputList().forEach(i -> inputs.add(i.getName()));
      inputs.removeAll(init.keySet());
      if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
        throw new ModelFormatException(file, null, "graph inputs are " + inputs + "; expected input_ids and attention_mask.",
            "Export with the HuggingFace input names.", null);
      }
    }

    private Matrix tensor(String name) {
      TensorProto t = init.get(prefix + name);
      if (t == null) {
        throw new ModelFormatException(file, prefix + name, "initializer not found.",
            "The graph does not follow the HuggingFace BERT naming; export with optimum or transformers.onnx.", null);
      }
      return weights(t, null);
    }

    /**
     * An initializer used as a weight: decoded and checked finite. {@code layer} names the linear
     * layer it belongs to, for the message: exporters often store weights anonymously ({@code onnx::MatMul_787}).
     */
    private Matrix weights(TensorProto t, String layer) {
      Matrix m = floats(t, file);
      WeightChecks.requireFinite(m.f32(), file, t.getName(), layer == null ? null : prefix + layer);
      return m;
    }

    /** Finds the weight of linear {@code name} through the Add (or Gemm) that consumes its bias. */
    private Linear linear(String name) {
      String biasName = prefix + name + ".bias";
      Matrix bias = tensor(name + ".bias");
      if (init.containsKey(prefix + name + ".btt_first")) {
        return blockTensorTrain(name, bias);
      }
      for (NodeProto n : consumers.getOrDefault(biasName, List.of())) {
        if (n.getOpType().equals("Add")) {
          String other = n.getInput(0).equals(biasName) ? n.getInput(1) : n.getInput(0);
          NodeProto mm = producer.get(other);
          if (mm != null && mm.getOpType().equals("MatMul") && init.containsKey(mm.getInput(1))) {
            NodeProto inner = producer.get(mm.getInput(0));
            if (inner != null && inner.getOpType().equals("MatMul") && init.containsKey(inner.getInput(1))) {
              // a factored layer as OnnxWriter writes it: MatMul(MatMul(x, Vᵀ), Uᵀ)
              Matrix vt = weights(init.get(inner.getInput(1)), name); // in x k
              Matrix ut = weights(init.get(mm.getInput(1)), name); // k x out
              checkLinear(name, mm.getInput(1), ut.cols(), bias);
              if (vt.cols() != ut.rows()) {
                throw new ModelFormatException(file, inner.getInput(1), "the factors of " + name + " disagree on the rank: "
                    + vt.rows() + "x" + vt.cols() + " then " + ut.rows() + "x" + ut.cols() + ".",
                    "The file is inconsistent; re-export the model.", null);
              }
              return Linear.factored(ut.transposeCopy(), vt.transposeCopy(), bias);
            }
            Matrix w = weights(init.get(mm.getInput(1)), name); // in x out
            checkLinear(name, mm.getInput(1), w.cols(), bias);
            return new Linear(w.transposeCopy(), bias);
          }
        } else if (n.getOpType().equals("Gemm") && n.getInputCount() == 3 && n.getInput(2).equals(biasName)) {
          TensorProto wt0 = init.get(n.getInput(1));
          if (wt0 == null) {
            continue; // a Gemm whose weight is computed, not stored: not a linear layer of this pattern
          }
          Matrix w = weights(wt0, name);
          boolean transB = attrInt(n, "transB", 0) == 1;
          Matrix wt = transB ? w : w.transposeCopy();
          checkLinear(name, n.getInput(1), wt.rows(), bias);
          return new Linear(wt, bias);
        }
      }
      TensorProto named = init.get(prefix + name + ".weight");
      if (named != null) {
        throw new ModelFormatException(file, prefix + name + ".weight",
            "the weight is an initializer but no MatMul+Add or Gemm consumes it with the bias.", "Re-export the model.", null);
      }
      throw new ModelFormatException(file, biasName, "no Add(MatMul(x, W), bias) or Gemm(x, W, bias) pattern consumes this bias.",
          "Use an unoptimized HuggingFace export.", null);
    }

    /**
     * A Monarch/BTT layer as {@link OnnxWriter} writes it: {@code <name>.btt_first}
     * {@code [m₂, m₁, r·n₁]} (block j₂ = A[j₂]ᵀ) and {@code <name>.btt_second} {@code [n₁, m₂·r, n₂]}
     * (block i₁ = B[i₁]ᵀ).
     */
    private Linear blockTensorTrain(String name, Matrix bias) {
      TensorProto first = init.get(prefix + name + ".btt_first");
      TensorProto second = init.get(prefix + name + ".btt_second");
      if (second == null || first.getDimsCount() != 3 || second.getDimsCount() != 3) {
        throw new ModelFormatException(file, prefix + name + ".btt_first", "a Monarch/BTT layer needs the 3-D initializers "
            + name + ".btt_first and " + name + ".btt_second.", "The file is inconsistent; re-export the model.", null);
      }
      long m2 = first.getDims(0);
      long m1 = first.getDims(1);
      long rn1 = first.getDims(2);
      long n1 = second.getDims(0);
      long m2r = second.getDims(1);
      long n2 = second.getDims(2);
      if (n1 < 1 || m2 < 1 || rn1 % n1 != 0 || m2r % m2 != 0 || rn1 / n1 != m2r / m2 || rn1 / n1 < 1) {
        throw new ModelFormatException(file, prefix + name + ".btt_second", "the BTT cores of " + name + " disagree: "
            + first.getDimsList() + " and " + second.getDimsList() + ".", "The file is inconsistent; re-export the model.", null);
      }
      int r = (int) (rn1 / n1);
      Matrix a = weights(first.toBuilder().clearDims().addDims(m2 * m1).addDims(rn1).build(), name);
      Matrix b = weights(second.toBuilder().clearDims().addDims(n1 * m2r).addDims(n2).build(), name);
      Matrix firstCore = Matrix.zeros(structura.api.DType.F32, (int) (m2 * rn1), (int) m1);
      for (int j2 = 0; j2 < m2; j2++) {
        firstCore.view((int) (j2 * rn1), 0, (int) rn1, (int) m1).copyFrom(a.view((int) (j2 * m1), 0, (int) m1, (int) rn1)
            .transposeCopy());
      }
      Matrix secondCore = Matrix.zeros(structura.api.DType.F32, (int) (n1 * n2), (int) m2r);
      for (int i1 = 0; i1 < n1; i1++) {
        secondCore.view((int) (i1 * n2), 0, (int) n2, (int) m2r).copyFrom(b.view((int) (i1 * m2r), 0, (int) m2r, (int) n2)
            .transposeCopy());
      }
      checkLinear(name, prefix + name + ".btt_second", (int) (n1 * n2), bias);
      return Linear.blockTensorTrain(new Linear.Btt((int) m1, (int) m2, (int) n1, (int) n2, r, firstCore, secondCore), bias);
    }

    private void checkLinear(String name, String weightName, int out, Matrix bias) {
      if (out != bias.cols()) {
        throw new ModelFormatException(file, weightName, "the weight of " + name + " has " + out + " outputs but its bias "
            + bias.cols() + ".", "The file is inconsistent; re-export the model.", null);
      }
    }

    /** {heads, headDim} from the Reshape of the query projection's output. */
    private int[] heads(String query, int width) {
      String addOut = null;
      for (NodeProto n : consumers.getOrDefault(prefix + query + ".bias", List.of())) {
        if (n.getOpType().equals("Add")) {
          addOut = n.getOutput(0);
        }
      }
      for (NodeProto r : consumers.getOrDefault(addOut, List.of())) {
        if (r.getOpType().equals("Reshape")) {
          long[] shape = constantInts(r.getInput(1));
          if (shape != null && shape.length >= 2) {
            long h = shape[shape.length - 2];
            long d = shape[shape.length - 1];
            if (h > 0 && d > 0 && h * d == width) {
              return new int[] {(int) h, (int) d};
            }
          }
        }
      }
      throw new ModelFormatException(file, prefix + query + ".bias", "cannot find the Reshape to (heads, head_dim) after the "
          + "query projection.", "Use an unoptimized HuggingFace export.", null);
    }

    /**
     * The score scale: the constant of the Div (1/c) or Mul (c) applied to the product of the
     * query (Add, Reshape, Transpose) with the keys; {@code 1/√headDim} when the graph scales elsewhere.
     */
    private double scale(String query, int headDim) {
      String t = null;
      for (NodeProto n : consumers.getOrDefault(prefix + query + ".bias", List.of())) {
        if (n.getOpType().equals("Add")) {
          t = n.getOutput(0);
        }
      }
      for (int step = 0; step < 4 && t != null; step++) {
        String next = null;
        for (NodeProto n : consumers.getOrDefault(t, List.of())) {
          switch (n.getOpType()) {
            case "Reshape", "Transpose" -> next = n.getOutput(0);
            case "MatMul" -> {
              for (NodeProto s : consumers.getOrDefault(n.getOutput(0), List.of())) {
                if (s.getOpType().equals("Div") || s.getOpType().equals("Mul")) {
                  Float c = constantFloat(s.getInput(1));
                  if (c != null && c > 0) {
                    return s.getOpType().equals("Div") ? 1.0 / c : c;
                  }
                }
              }
            }
            default -> { }
          }
        }
        t = next;
      }
      return 1.0 / Math.sqrt(headDim);
    }

    /** Integer values of a constant-foldable shape tensor: initializer, Constant, or Concat of those (unknowns as -1). */
    private long[] constantInts(String name) {
      if (init.containsKey(name)) {
        return ints(init.get(name));
      }
      NodeProto p = producer.get(name);
      if (p == null) {
        return null;
      }
      if (p.getOpType().equals("Constant")) {
        for (AttributeProto a : p.getAttributeList()) {
          if (a.getName().equals("value")) {
            return ints(a.getT());
          }
        }
        return null;
      }
      if (p.getOpType().equals("Concat")) {
        List<Long> out = new ArrayList<>();
        for (String in : p.getInputList()) {
          long[] v = constantInts(in);
          if (v == null) {
            out.add(-1L); // a runtime dimension (batch, sequence)
          } else {
            for (long x : v) {
              out.add(x);
            }
          }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
      }
      return null;
    }

    private Norm layerNorm(String name) {
      Matrix gamma = tensor(name + ".weight");
      Matrix beta = tensor(name + ".bias");
      return new Norm(Norm.Kind.LAYER_NORM, gamma, beta, epsilon(prefix + name + ".weight"));
    }

    /** The epsilon: a LayerNormalization attribute, or the constant in Mul(Div(x − μ, Sqrt(Add(var, eps))), gamma). */
    private double epsilon(String gammaName) {
      for (NodeProto n : consumers.getOrDefault(gammaName, List.of())) {
        if (n.getOpType().equals("LayerNormalization")) {
          for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
              return a.getF();
            }
          }
          return 1e-5; // the operator's default
        }
        if (n.getOpType().equals("Mul")) {
          String other = n.getInput(0).equals(gammaName) ? n.getInput(1) : n.getInput(0);
          NodeProto div = producer.get(other);
          NodeProto sqrt = div == null || div.getInputCount() < 2 ? null : producer.get(div.getInput(1));
          NodeProto add = sqrt == null || !sqrt.getOpType().equals("Sqrt") ? null : producer.get(sqrt.getInput(0));
          if (add != null && add.getOpType().equals("Add")) {
            for (String in : add.getInputList()) {
              Float f = constantFloat(in);
              if (f != null) {
                return f;
              }
            }
          }
        }
      }
      throw new ModelFormatException(file, gammaName, "cannot find the LayerNorm epsilon (Add before Sqrt, or a "
          + "LayerNormalization node) for this scale.", "Use an unoptimized HuggingFace export.", null);
    }

    private Float constantFloat(String name) {
      TensorProto t = init.get(name);
      NodeProto p = producer.get(name);
      if (t == null && p != null && p.getOpType().equals("Constant")) {
        for (AttributeProto a : p.getAttributeList()) {
          if (a.getName().equals("value")) {
            t = a.getT();
          }
        }
      }
      if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
        return null;
      }
      Matrix m = floats(t, file);
      return m.size() == 1 ? m.f32()[m.offset()] : null;
    }

    private static long attrInt(NodeProto n, String name, long dflt) {
      for (AttributeProto a : n.getAttributeList()) {
        if (a.getName().equals(name)) {
          return a.getI();
        }
      }
      return dflt;
    }
  }
}
