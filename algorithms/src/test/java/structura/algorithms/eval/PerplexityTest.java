package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * {@link Perplexity} on logits with known answers (the NumPy reference of a real decoder is in
 * formats' DecoderPerplexityTest): uniform logits give the vocabulary size; only positions whose
 * token and next token are real count; large logits do not overflow; the forward-pass entry equals
 * the sum over batches of its logits.
 */
class PerplexityTest {
  @Test
  void uniformLogitsGiveTheVocabularySize() {
    TokenBatch b = TokenBatch.pad(new int[][] {{1, 2, 3, 4}, {5, 6}}, 0, 0);
    Perplexity.Result r = Perplexity.ofLogits(Matrix.zeros(DType.F32, 8, 7), b);
    assertEquals(3 + 1, r.positions());
    assertEquals(7, r.perplexity(), 1e-12);
  }

  @Test
  void countsOnlyRealNextTokensWithTheirLogSoftmax() {
    // one sequence of 3 real tokens and one padding slot; vocab 3
    TokenBatch b = new TokenBatch(1, 4, new int[] {0, 2, 1, 2}, new int[] {1, 1, 1, 0}, new int[4]);
    Matrix z = Matrix.zeros(DType.F64, 4, 3);
    double[][] rows = {{1, 2, 3}, {0.5, -1, 0}, {9, 9, 9}, {100, -100, 0}};
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        z.set(i, j, rows[i][j]);
      }
    }
    double want = -(logSoftmax(rows[0], 2) + logSoftmax(rows[1], 1));
    Perplexity.Result r = Perplexity.ofLogits(z, b);
    assertEquals(2, r.positions());
    assertEquals(want, r.totalNll(), 1e-12);
    assertEquals(Math.exp(want / 2), r.perplexity(), 1e-12);
  }

  @Test
  void largeLogitsDoNotOverflow() {
    TokenBatch b = new TokenBatch(1, 2, new int[] {0, 1}, new int[] {1, 1}, new int[2]);
    Matrix z = Matrix.zeros(DType.F32, 2, 2);
    z.set(0, 0, 3e4);
    z.set(0, 1, 3e4 - 1);
    assertEquals(-logSoftmax(new double[] {1, 0}, 1), Perplexity.ofLogits(z, b).meanNll(), 1e-12);
  }

  @Test
  void rejectsBadInput() {
    TokenBatch b = new TokenBatch(1, 2, new int[] {0, 5}, new int[] {1, 1}, new int[2]);
    assertThrows(InvalidArgumentException.class, () -> Perplexity.ofLogits(Matrix.zeros(DType.F32, 2, 3), b));
    assertThrows(InvalidArgumentException.class, () -> Perplexity.ofLogits(Matrix.zeros(DType.F32, 3, 6), b));
    Matrix nan = Matrix.zeros(DType.F32, 2, 6);
    nan.set(0, 4, Float.NaN);
    assertThrows(StructuraException.class, () -> Perplexity.ofLogits(nan, b));
  }

  @Test
  void forwardPassEntrySumsTheBatchesLogits() {
    TransformerNetwork net = RandomNetworks.llama(7, 30, 4, 2, 4, 24, 2);
    TransformerForward f = new TransformerForward(Compute.reference(), net);
    List<TokenBatch> batches = List.of(TokenBatch.pad(new int[][] {{1, 2, 3, 29}, {4, 5}}, 0, 0),
        TokenBatch.pad(new int[][] {{7, 8, 9}}, 0, 0));
    Perplexity.Result r = Perplexity.of(f, batches);
    Perplexity.Result sum = Perplexity.ofLogits(f.logits(batches.get(0)), batches.get(0))
        .plus(Perplexity.ofLogits(f.logits(batches.get(1)), batches.get(1)));
    assertEquals(3 + 1 + 2, r.positions());
    assertEquals(sum.totalNll(), r.totalNll(), 0);
    assertThrows(InvalidArgumentException.class, () -> Perplexity.of(f, List.of(TokenBatch.pad(new int[][] {{1}}, 0, 0))));
  }

  private static double logSoftmax(double[] z, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double s = 0;
    for (double v : z) {
      s += Math.exp(v - max);
    }
    return z[k] - max - Math.log(s);
  }
}
