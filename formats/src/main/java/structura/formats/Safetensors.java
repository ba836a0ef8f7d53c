package structura.formats;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Embeddings;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.RotaryEmbedding;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.formats.io.OutputTransaction;

/**
 * HuggingFace safetensors directories ({@code config.json} + {@code model.safetensors}, or shards
 * listed in {@code model.safetensors.index.json}) for the
 * BERT ({@code model_type: bert}) and Llama ({@code model_type: llama}) layouts, read and written.
 *
 * <p>The file format: an 8-byte little-endian header length N, N bytes of JSON mapping tensor
 * names to {@code {dtype, shape, data_offsets: [begin, end]}} (offsets relative to the byte after
 * the header), then the data, little-endian and row-major. F32, F16 and BF16 tensors are read
 * (converted to F32); F32 is written. Tensor names are those of HuggingFace {@code BertModel}
 * (optionally prefixed {@code bert.}) and {@code LlamaForCausalLM}. Widths are taken from the
 * tensor shapes, so pruned networks (per-layer head counts and FFN widths) round-trip; the head
 * dimension comes from {@code head_dim} in config.json, or hidden_size / num_attention_heads.
 * A factored (low-rank) projection {@code W = U·V} ({@link Linear#factored}, the output of the
 * {@code svd} method) is stored as {@code <layer>.weight_u} ({@code out × k}) and
 * {@code <layer>.weight_v} ({@code k × in}) in place of {@code <layer>.weight}, with the bias
 * unchanged, and read back factored; HuggingFace's own classes do not load such a file.
 * Writes go to temporary files that are moved into place.
 */
public final class Safetensors {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private Safetensors() {}

  // ---- raw tensors ---------------------------------------------------------------------------

  /**
   * Reads every tensor of a {@code .safetensors} file as F32 matrices: rank-1 tensors as
   * {@code 1 × n}, rank-2 as they are.
   *
   * @throws ModelFormatException if the header is truncated or malformed, a tensor extends past the
   *     end of the file, or a dtype or rank is unsupported (the message names the tensor)
   */
  public static Map<String, Matrix> readTensors(Path file) {
    if (Files.isDirectory(file)) {
      throw new ModelFormatException(file, null, "is a directory, not a .safetensors file.", "Pass the model's directory, "
          + "which holds config.json and model.safetensors.");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new ModelFormatException(file, null, "empty file (0 bytes).", "The file is truncated; copy or save it again.");
      }
      if (size < 8) {
        throw new ModelFormatException(file, null, "file has " + size + " bytes, fewer than the 8-byte header length.",
            "The file is truncated; copy it again.");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > size) {
        throw new ModelFormatException(file, null, "header length " + headerLen + " does not fit a file of " + size + " bytes.",
            "The file is truncated or not safetensors.");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8);
      JsonObject header;
      try {
        JsonElement root = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8));
        if (!root.isJsonObject()) {
          throw new ModelFormatException(file, null, "the JSON header is not an object of tensors.",
              "The file is corrupt or not safetensors; re-save it.");
        }
        header = root.getAsJsonObject();
      } catch (JsonParseException e) {
        throw new ModelFormatException(file.toString(), null, "the JSON header does not parse: " + JsonErrors.describe(e)
            + ".", "The file is corrupt or not safetensors; re-save it.", e);
      }
      long dataStart = 8 + headerLen;
      Map<String, Matrix> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> en : header.entrySet()) {
        if (en.getKey().equals("__metadata__")) {
          continue;
        }
        if (!en.getValue().isJsonObject()) {
          throw new ModelFormatException(file, en.getKey(), "header entry is " + en.getValue() + ", not an object.",
              "The file is corrupt; re-save it.");
        }
        out.put(en.getKey(), tensor(ch, file, en.getKey(), en.getValue().getAsJsonObject(), dataStart, size));
      }
      return out;
    } catch (IOException e) {
      throw new ModelFormatException(file.toString(), null, "cannot read: " + e, "Check the path and its permissions.", e);
    }
  }

  private static Matrix tensor(FileChannel ch, Path file, String name, JsonObject info, long dataStart, long size)
      throws IOException {
    String dtype;
    long[] shape;
    long begin;
    long end;
    try {
      dtype = info.get("dtype").getAsString();
      shape = GSON.fromJson(info.get("shape"), long[].class);
      long[] off = GSON.fromJson(info.get("data_offsets"), long[].class);
      if (shape == null || off.length != 2) {
        throw new IllegalArgumentException("shape and two data_offsets needed");
      }
      begin = off[0];
      end = off[1];
    } catch (RuntimeException e) {
      throw new ModelFormatException(file.toString(), name, "malformed header entry " + abbreviate(info.toString()) + ".",
          "The file is corrupt; re-save it.", e);
    }
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new ModelFormatException(file, name, "dtype " + dtype + " is not supported (F32, F16, BF16 are).",
          "Convert the weights to float32.");
    };
    if (shape.length > 2) {
      throw new ModelFormatException(file, name, "has rank " + shape.length + "; only vectors and matrices are expected.",
          "This layout is not a BERT or Llama checkpoint.");
    }
    long count = 1;
    for (long d : shape) {
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new ModelFormatException(file, name, "shape " + java.util.Arrays.toString(shape) + " has a dimension outside "
            + "[0, 2^31).", "The file is corrupt; re-save it.");
      }
      count = count > Integer.MAX_VALUE ? count : count * d;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(file, name, "shape " + java.util.Arrays.toString(shape) + " has more elements than a "
          + "Java array holds.", "Split the tensor.");
    }
    if (end - begin != count * width || begin < 0 || end < begin || dataStart + end > size) {
      throw new ModelFormatException(file, name, "data_offsets [" + begin + ", " + end + "] for shape "
          + java.util.Arrays.toString(shape) + " of " + dtype + " do not fit (" + count * width + " bytes needed, file has "
          + (size - dataStart) + " data bytes).", "The file is truncated or corrupt; copy it again.");
    }
    ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, bb, dataStart + begin);
    bb.flip();
    float[] data = new float[(int) count];
    for (int i = 0; i < count; i++) {
      data[i] = switch (dtype) {
        case "F32" -> bb.getFloat();
        case "F16" -> Float.float16ToFloat(bb.getShort());
        default -> Float.intBitsToFloat((bb.getShort() & 0xffff) << 16);
      };
    }
    WeightChecks.requireFinite(data, file.toString(), name);
    int cols = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
    int rows = shape.length == 2 ? (int) shape[0] : 1;
    return Matrix.wrap(data, 0, rows, cols, Math.max(1, cols));
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  /** Writes tensors as F32 (1 × n matrices as rank-1 when {@code vectors} names them) to a temp file moved into place. */
  static void writeTensors(Map<String, Matrix> tensors, java.util.Set<String> vectors, Path file) {
    Map<String, Object> header = new TreeMap<>();
    long offset = 0;
    List<Map.Entry<String, Matrix>> sorted = new ArrayList<>(new TreeMap<>(tensors).entrySet());
    for (Map.Entry<String, Matrix> e : sorted) {
      Matrix m = e.getValue();
      long bytes = m.size() * 4;
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", "F32");
      info.put("shape", vectors.contains(e.getKey()) ? new long[] {m.cols()} : new long[] {m.rows(), m.cols()});
      info.put("data_offsets", new long[] {offset, offset + bytes});
      header.put(e.getKey(), info);
      offset += bytes;
    }
    header.put("__metadata__", Map.of("format", "pt"));
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - json.length % 8) % 8; // data starts 8-byte aligned, as the reference writer does
    byte[] padded = java.util.Arrays.copyOf(json, json.length + pad);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    OutputTransaction.writeFile(file, out -> {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
      out.write(padded);
      for (Map.Entry<String, Matrix> e : sorted) {
        Matrix m = e.getValue();
        ByteBuffer bb = ByteBuffer.allocate(m.cols() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < m.rows(); i++) {
          bb.clear();
          for (int j = 0; j < m.cols(); j++) {
            bb.putFloat((float) m.get(i, j));
          }
          out.write(bb.array(), 0, bb.position());
        }
      }
    });
  }

  // ---- networks ------------------------------------------------------------------------------

  /**
   * Reads a HuggingFace directory with {@code config.json} and {@code model.safetensors}.
   *
   * @throws ModelFormatException for an unknown model_type, a missing tensor or a shape mismatch (naming file and tensor)
   */
  public static TransformerNetwork read(Path dir) {
    Path configFile = dir.resolve("config.json");
    Path weights = dir.resolve("model.safetensors");
    ConfigJson config = readConfig(configFile);
    Map<String, Matrix> t;
    Path index = dir.resolve("model.safetensors.index.json");
    if (Files.isRegularFile(weights)) {
      t = readTensors(weights);
    } else if (Files.isRegularFile(index)) {
      t = readSharded(index);
    } else {
      throw new ModelFormatException(weights, null, "not found (nor model.safetensors.index.json).",
          "Save the model with safe_serialization=True.");
    }
    String type = config.string("model_type");
    Reader r = new Reader(config, configFile, t, weights);
    try {
      return switch (type) {
        case "bert" -> r.bert();
        case "llama" -> r.llama();
        default -> throw new ModelFormatException(configFile, "model_type", "model_type '" + type + "' is not supported.",
            "Supported: bert, llama.");
      };
    } catch (InvalidArgumentException e) {
      throw new ModelFormatException(weights.toString(), null, "tensor shapes do not form a network: " + e.getMessage(),
          "Check that config.json belongs to these weights.", e);
    } catch (ModelFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      // a safety net: whatever a corrupt checkpoint provokes is reported against it, coded
      throw new ModelFormatException(weights.toString(), null, "the checkpoint does not form a network: " + e,
          "Check that config.json belongs to these weights; re-save the model.", e);
    }
  }

  /** config.json as an object; empty, malformed or non-object files are coded errors naming it. */
  private static ConfigJson readConfig(Path configFile) {
    String text;
    try {
      text = Files.readString(configFile);
    } catch (IOException e) {
      throw new ModelFormatException(configFile.toString(), null, "cannot read: " + e, "Add a readable config.json.", e);
    }
    if (text.isBlank()) {
      throw new ModelFormatException(configFile, null, "empty file.", "Save the model's config.json again.");
    }
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonObject()) {
        throw new ModelFormatException(configFile, null, "not a JSON object.", "Save the model's config.json again.");
      }
      return new ConfigJson(root.getAsJsonObject(), configFile);
    } catch (JsonParseException e) {
      throw new ModelFormatException(configFile.toString(), null, JsonErrors.describe(e) + ".", "Fix config.json.", e);
    }
  }

  /** Reads the shards listed in the {@code weight_map} of a HuggingFace {@code model.safetensors.index.json}. */
  private static Map<String, Matrix> readSharded(Path index) {
    JsonObject map;
    try {
      map = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
    } catch (IOException e) {
      throw new ModelFormatException(index.toString(), null, "cannot read: " + e, "Check the file's permissions.", e);
    } catch (JsonParseException e) {
      throw new ModelFormatException(index.toString(), null, JsonErrors.describe(e) + ".", "Re-save the model.", e);
    } catch (RuntimeException e) {
      throw new ModelFormatException(index.toString(), "weight_map", "malformed index.", "Re-save the model.", e);
    }
    if (map == null) {
      throw new ModelFormatException(index, "weight_map", "missing.", "Re-save the model.");
    }
    Map<String, Matrix> all = new LinkedHashMap<>();
    java.util.Set<String> shards = new java.util.TreeSet<>();
    for (Map.Entry<String, JsonElement> e : map.entrySet()) {
      if (!(e.getValue() instanceof com.google.gson.JsonPrimitive p && p.isString())
          || Path.of(p.getAsString()).getNameCount() != 1 || p.getAsString().equals("..")) {
        throw new ModelFormatException(index, "weight_map", "entry " + e.getKey() + " is " + e.getValue()
            + "; it must name a shard file in the same directory.", "Re-save the model.");
      }
      shards.add(e.getValue().getAsString());
    }
    for (String shard : shards) {
      Path file = index.resolveSibling(shard);
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException(file, null, "shard listed in " + index.getFileName() + " not found.", "Copy every shard.");
      }
      all.putAll(readTensors(file));
    }
    return all;
  }

  /** Per-layer attention geometry. */
  private record Layer(int heads, int kvHeads, int headDim, int valueDim, double scale, int[][] frequencies) {}

  /** Reads tensors by name for one checkpoint. */
  private record Reader(ConfigJson config, Path configFile, Map<String, Matrix> tensors, Path weights) {
    Matrix get(String name) {
      Matrix m = tensors.get(name);
      if (m == null) {
        throw new ModelFormatException(weights, name, "tensor not found.", "The checkpoint does not follow the "
            + "HuggingFace names for model_type " + config.string("model_type") + ".");
      }
      return m;
    }

    Matrix get(String name, int rows, int cols) {
      Matrix m = get(name);
      if ((rows >= 0 && m.rows() != rows) || (cols >= 0 && m.cols() != cols)) {
        throw new ModelFormatException(weights, name, "shape " + m.rows() + "x" + m.cols() + " but " + (rows < 0 ? "*" : rows)
            + "x" + (cols < 0 ? "*" : cols) + " expected.", "Check that config.json belongs to these weights.");
      }
      return m;
    }


    TransformerNetwork bert() {
      String p = tensors.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
      int d = config.integer("hidden_size", 1);
      int heads = config.integer("num_attention_heads", 1);
      int dh = config.integer("head_dim", 1, Math.max(1, d / heads));
      double eps = config.real("layer_norm_eps", 1e-12, true);
      String act = config.string("hidden_act", "gelu");
      if (!act.equals("gelu")) {
        throw new ModelFormatException(configFile, "hidden_act", "activation '" + act + "' is not supported.", "Use gelu.");
      }
      Embeddings emb = new Embeddings(get(p + "embeddings.word_embeddings.weight", -1, d),
          get(p + "embeddings.position_embeddings.weight", -1, d),
          tensors.containsKey(p + "embeddings.token_type_embeddings.weight") ? get(p + "embeddings.token_type_embeddings.weight", -1, d) : null,
          ln(p + "embeddings.LayerNorm", eps));
      List<TransformerBlock> blocks = new ArrayList<>();
      int layers = config.integer("num_hidden_layers", 0);
      for (int l = 0; l < layers; l++) {
        String b = p + "encoder.layer." + l + ".";
        Linear q = lin(b + "attention.self.query", true);
        Linear v = lin(b + "attention.self.value", true);
        Layer spec = layer(l, layers, q.out() / dh, q.out() / dh, dh, v.out() / Math.max(1, q.out() / dh));
        Attention a = new Attention(spec.heads(), spec.kvHeads(), spec.headDim(), spec.valueDim(), q,
            lin(b + "attention.self.key", true), v, lin(b + "attention.output.dense", true), spec.scale(), false, null);
        Mlp mlp = new Mlp(lin(b + "intermediate.dense", true), null, lin(b + "output.dense", true), Activation.GELU);
        blocks.add(new TransformerBlock(a, mlp, ln(b + "attention.output.LayerNorm", eps), ln(b + "output.LayerNorm", eps),
            TransformerBlock.Placement.POST));
      }
      return new TransformerNetwork(TransformerNetwork.Family.BERT_ENCODER, emb, blocks, null, null,
          Map.of("source", weights.toString(), "format", "safetensors"));
    }

    TransformerNetwork llama() {
      int d = config.integer("hidden_size", 1);
      int heads = config.integer("num_attention_heads", 1);
      config.integer("num_key_value_heads", 1, heads); // validated; the tensor shapes give the per-layer counts
      int dh = config.integer("head_dim", 1, Math.max(1, d / heads));
      double eps = config.real("rms_norm_eps", 1e-6, true);
      double theta = config.real("rope_theta", 10000, true);
      if (config.has("rope_scaling")) {
        throw new ModelFormatException(configFile, "rope_scaling", "rope_scaling is not supported.", "Use an unscaled RoPE model.");
      }
      Matrix embed = get("model.embed_tokens.weight", -1, d);
      List<TransformerBlock> blocks = new ArrayList<>();
      int layers = config.integer("num_hidden_layers", 0);
      RotaryEmbedding rope = new RotaryEmbedding(dh, theta);
      for (int l = 0; l < layers; l++) {
        String b = "model.layers." + l + ".";
        Linear q = lin(b + "self_attn.q_proj", false);
        Linear k = lin(b + "self_attn.k_proj", false);
        Linear v = lin(b + "self_attn.v_proj", false);
        Layer spec = layer(l, layers, q.out() / dh, k.out() / dh, dh, v.out() / Math.max(1, k.out() / dh));
        RotaryEmbedding r = spec.frequencies() == null ? rope : new RotaryEmbedding(rope.dims(), theta, spec.frequencies());
        Attention a = new Attention(spec.heads(), spec.kvHeads(), spec.headDim(), spec.valueDim(), q, k, v,
            lin(b + "self_attn.o_proj", false), spec.scale(), true, r);
        Mlp mlp = new Mlp(lin(b + "mlp.up_proj", false), lin(b + "mlp.gate_proj", false), lin(b + "mlp.down_proj", false),
            Activation.SILU);
        blocks.add(new TransformerBlock(a, mlp, rms(b + "input_layernorm", eps), rms(b + "post_attention_layernorm", eps),
            TransformerBlock.Placement.PRE));
      }
      boolean tied = config.bool("tie_word_embeddings", false);
      Linear head = tensors.containsKey("lm_head.weight") ? new Linear(get("lm_head.weight", -1, d), null)
          : tensors.containsKey("lm_head.weight_u") ? lin("lm_head", false)
          : tied ? new Linear(embed, null) : null;
      return new TransformerNetwork(TransformerNetwork.Family.LLAMA_DECODER, new Embeddings(embed, null, null, null), blocks,
          rms("model.norm", eps), head, Map.of("source", weights.toString(), "format", "safetensors"));
    }

    /**
     * Layer l's attention geometry: from {@code structura_layers} in config.json when present (pruned
     * networks), else the values derived from the HuggingFace config and the tensor shapes.
     */
    Layer layer(int l, int layers, int heads, int kvHeads, int headDim, int valueDim) {
      ConfigJson.LayerGeometry g = config.layer(l, layers);
      if (g == null) {
        return new Layer(heads, kvHeads, headDim, valueDim, 1.0 / Math.sqrt(headDim), null);
      }
      return new Layer(g.heads(), g.kvHeads(), g.headDim(), g.valueDim(), g.scale(), g.rotaryFrequencies());
    }

    /** A linear layer: {@code <name>.weight}, or the factors {@code <name>.weight_u} and {@code <name>.weight_v} of W = U·V. */
    Linear lin(String name, boolean bias) {
      Matrix b = bias ? get(name + ".bias") : tensors.get(name + ".bias");
      if (!tensors.containsKey(name + ".weight") && (tensors.containsKey(name + ".weight_u") || tensors.containsKey(name + ".weight_v"))) {
        Matrix u = get(name + ".weight_u");
        Matrix v = get(name + ".weight_v");
        if (u.cols() != v.rows()) {
          throw new ModelFormatException(weights, name + ".weight_u", "the factors disagree on the rank: U is " + u.rows() + "x"
              + u.cols() + ", V is " + v.rows() + "x" + v.cols() + ".", "Write the model again with Safetensors.write.");
        }
        return Linear.factored(u, v, b);
      }
      return new Linear(get(name + ".weight"), b);
    }

    Norm ln(String name, double eps) {
      return new Norm(Norm.Kind.LAYER_NORM, get(name + ".weight"), get(name + ".bias"), eps);
    }

    Norm rms(String name, double eps) {
      return new Norm(Norm.Kind.RMS_NORM, get(name + ".weight"), null, eps);
    }
  }

  /**
   * Writes {@code network} as {@code config.json} and {@code model.safetensors} in {@code dir}
   * (created if needed). Head dimension and per-layer widths are recoverable from the shapes.
   */
  public static void write(TransformerNetwork net, Path dir) {
    Map<String, Matrix> t = new LinkedHashMap<>();
    java.util.Set<String> vectors = new java.util.HashSet<>();
    Map<String, Object> config = new LinkedHashMap<>();
    TransformerBlock first = net.blocks().isEmpty() ? null : net.blocks().get(0);
    int maxHeads = 0;
    int maxFfn = 0;
    for (TransformerBlock b : net.blocks()) {
      maxHeads = Math.max(maxHeads, b.attention().heads());
      maxFfn = Math.max(maxFfn, b.mlp().width());
    }
    config.put("hidden_size", net.width());
    config.put("num_hidden_layers", net.depth());
    config.put("num_attention_heads", maxHeads);
    config.put("intermediate_size", maxFfn);
    config.put("vocab_size", net.embeddings().vocabulary());
    if (first != null) {
      config.put("head_dim", first.attention().headDim());
    }
    // per-layer geometry for pruned networks (HuggingFace ignores unknown keys; the reader uses them)
    List<Map<String, Object>> layers = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("heads", a.heads());
      m.put("kv_heads", a.kvHeads());
      m.put("head_dim", a.headDim());
      m.put("value_dim", a.valueDim());
      m.put("scale", a.scale());
      m.put("intermediate_size", b.mlp().width());
      if (a.rotary() != null && a.rotary().frequencies() != null) {
        m.put("rotary_frequencies", a.rotary().frequencies());
      }
      layers.add(m);
    }
    config.put("structura_layers", layers);
    if (net.family() == TransformerNetwork.Family.BERT_ENCODER) {
      config.put("model_type", "bert");
      config.put("architectures", List.of("BertModel"));
      config.put("hidden_act", "gelu");
      Embeddings e = net.embeddings();
      config.put("max_position_embeddings", e.position().rows());
      config.put("type_vocab_size", e.tokenType() == null ? 0 : e.tokenType().rows());
      config.put("layer_norm_eps", e.norm().eps());
      t.put("embeddings.word_embeddings.weight", e.word());
      t.put("embeddings.position_embeddings.weight", e.position());
      if (e.tokenType() != null) {
        t.put("embeddings.token_type_embeddings.weight", e.tokenType());
      }
      putNorm(t, vectors, "embeddings.LayerNorm", e.norm());
      for (int l = 0; l < net.depth(); l++) {
        TransformerBlock b = net.blocks().get(l);
        String p = "encoder.layer." + l + ".";
        putLinear(t, vectors, p + "attention.self.query", b.attention().query());
        putLinear(t, vectors, p + "attention.self.key", b.attention().key());
        putLinear(t, vectors, p + "attention.self.value", b.attention().value());
        putLinear(t, vectors, p + "attention.output.dense", b.attention().output());
        putNorm(t, vectors, p + "attention.output.LayerNorm", b.attentionNorm());
        putLinear(t, vectors, p + "intermediate.dense", b.mlp().up());
        putLinear(t, vectors, p + "output.dense", b.mlp().down());
        putNorm(t, vectors, p + "output.LayerNorm", b.mlpNorm());
      }
    } else {
      config.put("model_type", "llama");
      config.put("architectures", List.of("LlamaForCausalLM"));
      config.put("hidden_act", "silu");
      int kv = first == null ? 1 : first.attention().kvHeads();
      config.put("num_key_value_heads", kv);
      config.put("rms_norm_eps", net.finalNorm().eps());
      config.put("rope_theta", first == null || first.attention().rotary() == null ? 10000.0 : first.attention().rotary().theta());
      if (first != null && first.attention().rotary() != null && first.attention().rotary().dims() != first.attention().headDim()) {
        config.put("head_dim", first.attention().rotary().dims()); // the original width fixes the RoPE frequencies
      }
      config.put("tie_word_embeddings", false);
      config.put("max_position_embeddings", 2048);
      t.put("model.embed_tokens.weight", net.embeddings().word());
      for (int l = 0; l < net.depth(); l++) {
        TransformerBlock b = net.blocks().get(l);
        String p = "model.layers." + l + ".";
        putLinear(t, vectors, p + "self_attn.q_proj", b.attention().query());
        putLinear(t, vectors, p + "self_attn.k_proj", b.attention().key());
        putLinear(t, vectors, p + "self_attn.v_proj", b.attention().value());
        putLinear(t, vectors, p + "self_attn.o_proj", b.attention().output());
        putLinear(t, vectors, p + "mlp.gate_proj", b.mlp().gate());
        putLinear(t, vectors, p + "mlp.up_proj", b.mlp().up());
        putLinear(t, vectors, p + "mlp.down_proj", b.mlp().down());
        putNorm(t, vectors, p + "input_layernorm", b.attentionNorm());
        putNorm(t, vectors, p + "post_attention_layernorm", b.mlpNorm());
      }
      putNorm(t, vectors, "model.norm", net.finalNorm());
      if (net.lmHead() != null) {
        putLinear(t, vectors, "lm_head", net.lmHead());
      }
    }
    writeTensors(t, vectors, dir.resolve("model.safetensors"));
    OutputTransaction.writeFile(dir.resolve("config.json"), out -> out.write(GSON.toJson(config).getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code <name>.weight}, or for a factored layer {@code <name>.weight_u} (out × k) and {@code <name>.weight_v} (k × in); {@code <name>.bias}. */
  private static void putLinear(Map<String, Matrix> t, java.util.Set<String> vectors, String name, Linear l) {
    if (l.btt() != null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, name + " is a Monarch/BTT (block tensor-train) layer, "
          + "which the safetensors layout has no names for.", "Write the model as ONNX (--out model.onnx); "
          + "OnnxWriter stores the cores and OnnxModels reads them back.");
    }
    if (l.isSelected()) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.FACTORED_LAYER, name
          + " reads a subset of the residual stream (disp), which the safetensors layout cannot hold.",
          "Write the model as ONNX (--out model.onnx): it carries the Gather and ScatterElements of each block.");
    }
    if (l.isFactored()) {
      t.put(name + ".weight_u", l.factors().u());
      t.put(name + ".weight_v", l.factors().v());
    } else {
      t.put(name + ".weight", l.weight());
    }
    if (l.bias() != null) {
      t.put(name + ".bias", l.bias());
      vectors.add(name + ".bias");
    }
  }

  private static void putNorm(Map<String, Matrix> t, java.util.Set<String> vectors, String name, Norm n) {
    t.put(name + ".weight", n.gamma());
    vectors.add(name + ".weight");
    if (n.beta() != null) {
      t.put(name + ".bias", n.beta());
      vectors.add(name + ".bias");
    }
  }
}
