package structura.formats;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;

/** Runs an ONNX encoder in ONNX Runtime (the independent reference) on a token batch. */
final class OrtRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtRunner(Path model, int threads) throws OrtException {
    OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    opts.setIntraOpNumThreads(threads);
    opts.setInterOpNumThreads(1);
    session = env.createSession(model.toString(), opts);
  }

  /** last_hidden_state as a {@code B·L × d} matrix. */
  Matrix lastHiddenState(TokenBatch b) throws OrtException {
    return output(b, "last_hidden_state");
  }

  /** A decoder's logits as a {@code B·L × vocab} matrix. */
  Matrix logits(TokenBatch b) throws OrtException {
    return output(b, "logits");
  }

  /** The named {@code batch × length × width} output as a {@code B·L × width} matrix. */
  Matrix output(TokenBatch b, String name) throws OrtException {
    long[] shape = {b.batch(), b.length()};
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.inputIds())), shape));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.attentionMask())), shape));
      if (session.getInputNames().contains("token_type_ids")) {
        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(toLong(b.tokenTypeIds())), shape));
      }
      try (OrtSession.Result r = session.run(in, java.util.Set.of(name))) {
        OnnxTensor t = (OnnxTensor) r.get(0);
        long[] s = t.getInfo().getShape();
        float[] data = new float[Math.toIntExact(s[0] * s[1] * s[2])];
        t.getFloatBuffer().get(data);
        return Matrix.wrap(data, 0, (int) (s[0] * s[1]), (int) s[2], (int) s[2]);
      }
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

  static double maxAbsDiff(Matrix a, Matrix b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw new AssertionError("shapes differ: " + a.rows() + "x" + a.cols() + " vs " + b.rows() + "x" + b.cols());
    }
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        double d = Math.abs(a.get(i, j) - b.get(i, j));
        m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
      }
    }
    return m;
  }

  static Matrix f32(Matrix m) {
    return m.dtype() == DType.F32 ? m : m.toDType(DType.F32);
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
