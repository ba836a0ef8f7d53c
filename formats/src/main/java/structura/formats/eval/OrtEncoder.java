package structura.formats.eval;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import structura.algorithms.nn.SentenceEmbeddings;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;
import structura.formats.ModelFormatException;

/**
 * A BERT-family sentence encoder run in ONNX Runtime (CPU): token batch in, L2-normalised
 * sentence embeddings out. Inputs {@code input_ids}, {@code attention_mask} and, when the graph
 * has it, {@code token_type_ids} (int64, B × L). The output used is {@code last_hidden_state}
 * (or {@code token_embeddings}, or else the first rank-3 output), pooled by mean over real tokens
 * or by the [CLS] row as the reference model does; a rank-2 output (an already pooled
 * {@code sentence_embedding}) is only normalised.
 *
 * <p>The session runs with {@code threads} intra-op threads, one inter-op thread, and thread
 * spinning off: two sessions are timed alternately, and a pool that spins after its run would
 * take cores from the other's.
 */
final class OrtEncoder implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Path file;
  private final OrtSession session;
  private final String output;
  private final boolean pooledOutput;
  private final boolean tokenTypes;
  private final boolean meanPooling;
  private final long staticWidth;

  /**
   * Opens the model.
   *
   * @param meanPooling mean pooling (else the [CLS] row) when the output is per token
   * @throws ModelFormatException if ONNX Runtime cannot load the file or it is not a BERT-style encoder
   */
  OrtEncoder(Path file, int threads, boolean meanPooling) {
    this.file = file;
    this.meanPooling = meanPooling;
    try {
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      opts.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(file.toString(), opts);
    } catch (OrtException e) {
      throw new ModelFormatException(file.toString(), null, "ONNX Runtime cannot load the model: " + firstLine(e),
          "Pass an ONNX file (opset ≤ 23) that ONNX Runtime 1.23 runs, e.g. one written by structura compress or "
              + "optimum-cli export onnx.", e);
    }
    try {
      Set<String> inputs = session.getInputNames();
      if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
        throw notEncoder("its inputs are " + inputs + ", not input_ids and attention_mask");
      }
      tokenTypes = inputs.contains("token_type_ids");
      Map<String, NodeInfo> outs = session.getOutputInfo();
      String chosen = null;
      for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
        if (outs.containsKey(preferred) && rank(outs.get(preferred)) == 3) {
          chosen = preferred;
          break;
        }
      }
      for (var e : outs.entrySet()) {
        if (chosen == null && rank(e.getValue()) == 3) {
          chosen = e.getKey();
        }
      }
      boolean pooled = false;
      if (chosen == null) {
        for (var e : outs.entrySet()) {
          if (chosen == null && rank(e.getValue()) == 2) {
            chosen = e.getKey();
            pooled = true;
          }
        }
      }
      if (chosen == null) {
        throw notEncoder("no output is a B × L × d or B × d float tensor (outputs: " + outs.keySet() + ")");
      }
      output = chosen;
      pooledOutput = pooled;
      long[] shape = ((TensorInfo) outs.get(chosen).getInfo()).getShape();
      staticWidth = shape[shape.length - 1];
    } catch (OrtException e) {
      close();
      throw new ModelFormatException(file.toString(), null, "cannot read the model's inputs and outputs: " + firstLine(e),
          "Pass a BERT-family encoder exported to ONNX.", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private ModelFormatException notEncoder(String why) {
    return new ModelFormatException(file.toString(), null, "not a BERT-style sentence encoder: " + why + ".",
        "Pass a BERT-family encoder exported to ONNX (inputs input_ids, attention_mask[, token_type_ids]; "
            + "output last_hidden_state).", null);
  }

  private static int rank(NodeInfo info) {
    return info.getInfo() instanceof TensorInfo t && t.type == ai.onnxruntime.OnnxJavaType.FLOAT ? t.getShape().length : -1;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  /** The model file. */
  Path file() {
    return file;
  }

  /** The embedding width declared by the graph, or -1 when it is symbolic. */
  long declaredWidth() {
    return staticWidth;
  }

  /** Inputs of one batch, owned by the caller (close them). */
  Inputs inputs(TokenBatch b) {
    long[] shape = {b.batch(), b.length()};
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.inputIds())), shape));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.attentionMask())), shape));
      if (tokenTypes) {
        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.tokenTypeIds())), shape));
      }
      return new Inputs(b, in);
    } catch (OrtException e) {
      in.values().forEach(OnnxTensor::close);
      throw new ModelFormatException(file.toString(), null, "cannot create input tensors: " + firstLine(e), "Report this.", e);
    }
  }

  /** Tensors of one batch. */
  record Inputs(TokenBatch batch, Map<String, OnnxTensor> tensors) implements AutoCloseable {
    @Override
    public void close() {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * L2-normalised sentence embeddings of the batch, {@code B × d}. Cost: one forward pass.
   *
   * @throws ModelFormatException if the run fails or the output has an unexpected shape
   */
  Matrix embed(Inputs in) {
    TokenBatch b = in.batch();
    try (OrtSession.Result r = session.run(in.tensors(), Set.of(output))) {
      OnnxTensor t = (OnnxTensor) r.get(0);
      long[] s = t.getInfo().getShape();
      boolean ok = pooledOutput ? s.length == 2 && s[0] == b.batch() : s.length == 3 && s[0] == b.batch() && s[1] == b.length();
      if (!ok) {
        throw new ModelFormatException(file.toString(), output, "output shape " + java.util.Arrays.toString(s)
            + " does not fit a batch of " + b.batch() + " × " + b.length() + " tokens.", "Pass a BERT-family encoder.", null);
      }
      int d = Math.toIntExact(s[s.length - 1]);
      float[] data = new float[Math.toIntExact((long) t.getInfo().getNumElements())];
      t.getFloatBuffer().get(data);
      if (pooledOutput) {
        Matrix m = Matrix.wrap(data, 0, b.batch(), d, d);
        // a B × 1 sequence of "tokens" that are the pooled rows: mean pooling of one row is that row, normalised
        return SentenceEmbeddings.clsPool(m, TokenBatch.pad(new int[b.batch()][1], 0, 0), true);
      }
      Matrix hidden = Matrix.wrap(data, 0, b.batch() * b.length(), d, d);
      return meanPooling ? SentenceEmbeddings.meanPool(hidden, b, true) : SentenceEmbeddings.clsPool(hidden, b, true);
    } catch (OrtException e) {
      throw new ModelFormatException(file.toString(), null, "ONNX Runtime failed to run the model: " + firstLine(e),
          "Check that it is a BERT-family encoder taking int64 input_ids and attention_mask.", e);
    }
  }

  /** Runs the model once on prepared inputs and returns the wall time in nanoseconds (output discarded). */
  long time(Inputs in) {
    try {
      long t0 = System.nanoTime();
      try (OrtSession.Result r = session.run(in.tensors(), Set.of(output))) {
        return System.nanoTime() - t0;
      }
    } catch (OrtException e) {
      throw new ModelFormatException(file.toString(), null, "ONNX Runtime failed to run the model: " + firstLine(e),
          "Check that it is a BERT-family encoder taking int64 input_ids and attention_mask.", e);
    }
  }

  private static long[] toLong(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  @Override
  public void close() {
    try {
      if (session != null) {
        session.close();
      }
    } catch (OrtException e) {
      // closing frees native memory only; a failure here leaves nothing to fix
    }
  }
}
