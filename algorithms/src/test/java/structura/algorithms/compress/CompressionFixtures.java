package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Shared fixtures of the transformer-compression tests: tiny BERT-like networks (d = 32, 4 heads
 * of width 8, FFN 64, 2 blocks), a variant with exactly redundant heads and neurons, random
 * token data, and plain double-precision loops used as independent references.
 */
final class CompressionFixtures {
  static final int VOCAB = 40;
  static final int HEADS = 4;
  static final int HEAD_DIM = 8;
  static final int D = HEADS * HEAD_DIM;
  static final int FFN = 64;
  static final int BLOCKS = 2;
  /** Neurons {@code FFN − DUPLICATES .. FFN − 1} copy neurons {@code 0 .. DUPLICATES − 1}. */
  static final int DUPLICATES = 16;

  private CompressionFixtures() {}

  /** A random BERT-like encoder with the sizes above. */
  static TransformerNetwork bert(long seed) {
    return RandomNetworks.bert(seed, VOCAB, HEADS, HEAD_DIM, FFN, BLOCKS);
  }

  /**
   * {@link #bert} made exactly redundant in every block: FFN neurons {@code 48..63} get the up
   * weights and biases of neurons {@code 0..15} (identical pre-activations, so identical GELU
   * outputs), and head 1 gets the query, key and value rows and biases of head 0 (identical
   * scores and values, so identical head outputs). The down projection and W_o keep their own
   * (different) columns, so the duplicates do contribute to the output: pruning them without a
   * correction changes the network, pruning them with a least-squares correction does not.
   */
  static TransformerNetwork redundantBert(long seed) {
    TransformerNetwork net = bert(seed);
    for (TransformerBlock b : net.blocks()) {
      Linear up = b.mlp().up();
      for (int j = 0; j < DUPLICATES; j++) {
        copyRow(up, j, FFN - DUPLICATES + j);
      }
      Attention a = b.attention();
      for (int t = 0; t < HEAD_DIM; t++) {
        copyRow(a.query(), t, HEAD_DIM + t);
        copyRow(a.key(), t, HEAD_DIM + t);
        copyRow(a.value(), t, HEAD_DIM + t);
      }
    }
    return net;
  }

  private static void copyRow(Linear l, int from, int to) {
    l.weight().view(to, 0, 1, l.in()).copyFrom(l.weight().view(from, 0, 1, l.in()));
    if (l.bias() != null) {
      l.bias().set(0, to, l.bias().get(0, from));
    }
  }

  /** {@code count} random token sequences with lengths in [minLen, maxLen], ids in [1, VOCAB). */
  static List<int[]> sequences(long seed, int count, int minLen, int maxLen) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] s = new int[rnd.nextInt(minLen, maxLen + 1)];
      for (int t = 0; t < s.length; t++) {
        s[t] = rnd.nextInt(1, VOCAB);
      }
      out.add(s);
    }
    return out;
  }

  /** 64 texts of 6..20 tokens (about 830 tokens) in batches of 16, padded with id 0. */
  static CalibrationData calibration(long seed) {
    return CalibrationData.of(sequences(seed, 64, 6, 20), 16, 0);
  }

  /** A fresh padded batch of {@code count} texts, unlike any calibration batch. */
  static TokenBatch batch(long seed, int count) {
    return TokenBatch.pad(sequences(seed, count, 3, 24).toArray(int[][]::new), 0, 0);
  }

  /** Largest |a − b| over the real (unpadded) token rows of {@code batch}. */
  static double maxRealRowDiff(Matrix a, Matrix b, TokenBatch batch) {
    double m = 0;
    for (int r = 0; r < a.rows(); r++) {
      if (batch.attentionMask()[r] == 0) {
        continue;
      }
      for (int j = 0; j < a.cols(); j++) {
        m = Math.max(m, Math.abs(a.get(r, j) - b.get(r, j)));
      }
    }
    return m;
  }

  /** Largest |a − b| over all entries. */
  static double maxDiff(Matrix a, Matrix b) {
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
      }
    }
    return m;
  }

  // ---- plain double loops --------------------------------------------------------------------

  /** N × n double array of Gaussian entries. */
  static double[][] gaussian(SplittableRandom rnd, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = gaussian(rnd);
      }
    }
    return a;
  }

  static double gaussian(SplittableRandom rnd) {
    // Box-Muller; SplittableRandom has no nextGaussian in every JDK
    double u = rnd.nextDouble(Double.MIN_NORMAL, 1);
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    int k = b.length;
    int n = b[0].length;
    double[][] c = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double x = a[i][p];
        for (int j = 0; j < n; j++) {
          c[i][j] += x * b[p][j];
        }
      }
    }
    return c;
  }

  /** A·Bᵀ. */
  static double[][] multiplyTransposed(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double s = 0;
        for (int p = 0; p < a[0].length; p++) {
          s += a[i][p] * b[j][p];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  /** XᵀX by a naive double loop. */
  static double[][] gram(double[][] x) {
    int n = x[0].length;
    double[][] g = new double[n][n];
    for (double[] row : x) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          g[i][j] += row[i] * row[j];
        }
      }
    }
    return g;
  }

  /** The columns {@code cols} of x. */
  static double[][] columns(double[][] x, int[] cols) {
    double[][] out = new double[x.length][cols.length];
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < cols.length; c++) {
        out[i][c] = x[i][cols[c]];
      }
    }
    return out;
  }

  /**
   * X − Q Qᵀ X with Q an orthonormal basis of the columns of {@code basis} (modified Gram–Schmidt,
   * twice): the residual of projecting X on span(basis), independent of any Cholesky route.
   */
  static double[][] projectOut(double[][] x, double[][] basis) {
    int n = basis.length;
    int k = basis.length == 0 ? 0 : basis[0].length;
    List<double[]> q = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = basis[i][c];
      }
      for (int pass = 0; pass < 2; pass++) {
        for (double[] u : q) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += u[i] * v[i];
          }
          for (int i = 0; i < n; i++) {
            v[i] -= dot * u[i];
          }
        }
      }
      double norm = 0;
      for (double e : v) {
        norm += e * e;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        v[i] /= norm;
      }
      q.add(v);
    }
    double[][] r = new double[n][];
    for (int i = 0; i < n; i++) {
      r[i] = x[i].clone();
    }
    for (int pass = 0; pass < 2; pass++) {
      for (double[] u : q) {
        for (int j = 0; j < x[0].length; j++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += u[i] * r[i][j];
          }
          for (int i = 0; i < n; i++) {
            r[i][j] -= dot * u[i];
          }
        }
      }
    }
    return r;
  }

  static double frobenius2(double[][] a) {
    double s = 0;
    for (double[] row : a) {
      for (double v : row) {
        s += v * v;
      }
    }
    return s;
  }

  static double[][] subtract(double[][] a, double[][] b) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = a[i][j] - b[i][j];
      }
    }
    return c;
  }

  static Matrix f64(double[][] a) {
    Matrix m = Matrix.zeros(DType.F64, a.length, a[0].length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        m.set(i, j, a[i][j]);
      }
    }
    return m;
  }

  /** The F32 matrix of a's entries, and a replaced by those float values (so both are exact copies). */
  static Matrix f32InPlace(double[][] a) {
    Matrix m = Matrix.zeros(DType.F32, a.length, a[0].length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        a[i][j] = (float) a[i][j];
        m.set(i, j, a[i][j]);
      }
    }
    return m;
  }

  static double[][] array(Matrix m) {
    double[][] a = new double[m.rows()][m.cols()];
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        a[i][j] = m.get(i, j);
      }
    }
    return a;
  }
}
