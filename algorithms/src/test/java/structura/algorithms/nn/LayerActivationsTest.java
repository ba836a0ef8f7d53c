package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The stacked activations against the same quantities computed through the forward pass's own
 * entry points (the last hidden state; the step-by-step block API), padding rows left out.
 */
class LayerActivationsTest {
  private static final TransformerNetwork NET = RandomNetworks.bert(3, 20, 3, 4, 16, 2);
  private static final List<TokenBatch> BATCHES = List.of(
      TokenBatch.pad(new int[][] {{5, 9, 2, 7, 11, 3}, {4, 8}}, 0, 0), TokenBatch.pad(new int[][] {{1, 2, 3, 4}}, 0, 0));

  /** The real-token rows of per-batch {@code B·L × w} matrices, stacked in batch, sequence, token order. */
  private static Matrix realRows(List<Matrix> perBatch) {
    List<double[]> rows = new ArrayList<>();
    for (int b = 0; b < BATCHES.size(); b++) {
      TokenBatch batch = BATCHES.get(b);
      for (int s = 0; s < batch.batch(); s++) {
        for (int t = 0; t < batch.validTokens(s); t++) {
          Matrix m = perBatch.get(b);
          double[] row = new double[m.cols()];
          for (int j = 0; j < row.length; j++) {
            row[j] = m.get(s * batch.length() + t, j);
          }
          rows.add(row);
        }
      }
    }
    Matrix out = Matrix.zeros(DType.F64, rows.size(), rows.get(0).length);
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < rows.get(i).length; j++) {
        out.set(i, j, rows.get(i)[j]);
      }
    }
    return out;
  }

  private static void assertClose(Matrix expected, Matrix actual) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cols(), actual.cols());
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        assertEquals(expected.get(i, j), actual.get(i, j), 1e-6, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void hiddenStatesOfTheLastBlockAreTheLastHiddenStateOfRealTokens() {
    TransformerForward forward = new TransformerForward(Compute.reference(), NET);
    List<Matrix> last = new ArrayList<>();
    for (TokenBatch b : BATCHES) {
      last.add(forward.lastHiddenState(b));
    }
    Matrix hidden = LayerActivations.collect(forward, BATCHES, 1, LayerActivations.Kind.HIDDEN, null);
    assertEquals(DType.F32, hidden.dtype());
    assertEquals(6 + 2 + 4, hidden.rows());
    assertClose(realRows(last), hidden);
  }

  @Test
  void ffnActivationsAreTheDownProjectionInputOfRealTokens() {
    TransformerForward forward = new TransformerForward(Compute.reference(), NET);
    List<Matrix> ffn = new ArrayList<>();
    for (TokenBatch b : BATCHES) {
      Matrix x = forward.embeddings(b);
      Matrix heads = forward.attentionHeads(0, x, b, null);
      TransformerForward.MlpInput in = forward.mlpInput(0, x, heads);
      ffn.add(forward.ffnActivations(0, in.input(), b, null));
    }
    List<Integer> progress = new ArrayList<>();
    Matrix act = LayerActivations.collect(forward, BATCHES, 0, LayerActivations.Kind.FFN,
        (done, total, rows) -> progress.add(done));
    assertEquals(16, act.cols());
    assertClose(realRows(ffn), act);
    assertEquals(List.of(1, 2), progress);
  }

  @Test
  void layerOutOfRangeIsACodedError() {
    TransformerForward forward = new TransformerForward(Compute.reference(), NET);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> LayerActivations.collect(forward, BATCHES, 2, LayerActivations.Kind.HIDDEN, null));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }
}
