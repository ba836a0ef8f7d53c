package structura.formats.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;
import structura.formats.ModelFormatException;

/**
 * A causal language model run in ONNX Runtime (CPU): a token batch in, its {@code logits} out
 * ({@code B·L × vocab}, row {@code b·L + t}), the independent check of our forward pass and the
 * input of {@link structura.algorithms.eval.Perplexity#ofLogits}. The graph takes int64
 * {@code input_ids} and {@code attention_mask} ({@code B × L}, right padding) and has a float
 * {@code logits} output ({@code B × L × vocab}), as {@link structura.formats.OnnxWriter} writes a
 * decoder with an LM head. Cost: one ONNX Runtime run per batch. Not thread-safe; close it to free
 * the native session.
 */
public final class OrtDecoder implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Path file;
  private final OrtSession session;

  /**
   * Opens the model with {@code threads} intra-op threads.
   *
   * @throws ModelFormatException if ONNX Runtime cannot load it, or it has no {@code logits} output
   */
  public OrtDecoder(Path file, int threads) {
    this.file = file;
    try {
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setIntraOpNumThreads(Math.max(1, threads));
      opts.setInterOpNumThreads(1);
      session = env.createSession(file.toString(), opts);
    } catch (OrtException e) {
      throw new ModelFormatException(file.toString(), null, "ONNX Runtime cannot load the model: " + firstLine(e),
          "Pass an ONNX decoder written by structura compress --out model.onnx.", e);
    }
    if (!session.getOutputNames().contains("logits") || !session.getInputNames().contains("input_ids")
        || !session.getInputNames().contains("attention_mask")) {
      Set<String> outs = session.getOutputNames();
      Set<String> ins = session.getInputNames();
      close();
      throw new ModelFormatException(file.toString(), null, "not a causal language model: inputs " + ins + ", outputs " + outs
          + "; needs input_ids and attention_mask in and logits out.", "Pass a decoder with an LM head exported to ONNX.", null);
    }
  }

  /**
   * The logits of the batch, {@code B·L × vocab} (F32).
   *
   * @throws ModelFormatException if the run fails or the output shape does not fit the batch
   */
  public Matrix logits(TokenBatch b) {
    long[] shape = {b.batch(), b.length()};
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.inputIds())), shape));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.attentionMask())), shape));
      try (OrtSession.Result r = session.run(in, Set.of("logits"))) {
        OnnxTensor t = (OnnxTensor) r.get(0);
        long[] s = t.getInfo().getShape();
        if (s.length != 3 || s[0] != b.batch() || s[1] != b.length()) {
          throw new ModelFormatException(file.toString(), "logits", "output shape " + java.util.Arrays.toString(s)
              + " does not fit a batch of " + b.batch() + " × " + b.length() + " tokens.", "Pass a decoder with an LM head.", null);
        }
        int vocab = Math.toIntExact(s[2]);
        float[] data = new float[Math.toIntExact(s[0] * s[1] * s[2])];
        t.getFloatBuffer().get(data);
        return Matrix.wrap(data, 0, b.batch() * b.length(), vocab, vocab);
      }
    } catch (OrtException e) {
      throw new ModelFormatException(file.toString(), null, "ONNX Runtime failed to run the model: " + firstLine(e),
          "Check that it is a decoder taking int64 input_ids and attention_mask.", e);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private static long[] toLong(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // closing frees native memory only; a failure here leaves nothing to fix
    }
  }
}
