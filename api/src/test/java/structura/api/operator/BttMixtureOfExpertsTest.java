package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/** The BTT-MoE forward equals Σ_e g_e·W_e·x with each expert's rank-1 BTT built separately. */
class BttMixtureOfExpertsTest {
  private final Compute compute = Compute.reference();
  private final SplittableRandom rnd = new SplittableRandom(7);

  @Test
  void forwardIsTheGateWeightedSumOfTheRankSliceExperts() {
    int[] m = {4, 3};
    int[] n = {2, 5};
    int experts = 4;
    Matrix g1 = random(m[1] * experts * n[0], m[0]);
    Matrix g2 = random(n[0] * n[1], m[1] * experts);
    BlockTensorTrainOperator btt = (BlockTensorTrainOperator) Operators.blockTensorTrain(m, n,
        new int[] {1, experts, 1}, List.of(g1, g2), compute);
    Matrix router = random(experts, btt.cols());
    BttMixtureOfExperts moe = new BttMixtureOfExperts(btt, router, 2);
    Matrix x = random(btt.cols(), 6);
    BttMixtureOfExperts.Result result = moe.forward(x);

    List<Matrix> expertDense = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      expertDense.add(expertSlice(m, n, experts, g1, g2, e).toDense());
    }
    for (int b = 0; b < x.cols(); b++) {
      // the gates: softmax over the two largest logits, plus the floor; exactly two nonzero
      double[] logits = new double[experts];
      for (int e = 0; e < experts; e++) {
        double s = 0;
        for (int j = 0; j < x.rows(); j++) {
          s += router.get(e, j) * x.get(j, b);
        }
        logits[e] = s;
        assertEquals(s, result.logits().get(e, b), 1e-12);
      }
      int first = argmax(logits, -1);
      int second = argmax(logits, first);
      double w1 = 1 / (1 + Math.exp(logits[second] - logits[first]));
      int nonzero = 0;
      for (int e = 0; e < experts; e++) {
        double expected = e == first ? w1 + 1e-6 : e == second ? 1 - w1 + 1e-6 : 0;
        assertEquals(expected, result.gates().get(e, b), 1e-12);
        nonzero += result.gates().get(e, b) != 0 ? 1 : 0;
      }
      assertEquals(2, nonzero);
      for (int i = 0; i < btt.rows(); i++) {
        double y = 0;
        for (int e = 0; e < experts; e++) {
          double wx = 0;
          for (int j = 0; j < x.rows(); j++) {
            wx += expertDense.get(e).get(i, j) * x.get(j, b);
          }
          y += result.gates().get(e, b) * wx;
        }
        assertEquals(y, result.output().get(i, b), 1e-12);
      }
    }
  }

  @Test
  void auxiliaryLossOfUniformRoutingIsOnePlusTheLogitPenalty() {
    // all logits 0 over 4 experts, each expert picked by exactly half of 4 inputs with k = 2:
    // E·Σ (1/4)(1/4) = 1, and logsumexp = log 4 for every input
    Matrix logits = Matrix.zeros(DType.F64, 4, 4);
    Matrix gates = Matrix.zeros(DType.F64, 4, 4);
    int[][] picks = {{0, 1}, {2, 3}, {0, 2}, {1, 3}};
    for (int b = 0; b < 4; b++) {
      for (int e : picks[b]) {
        gates.set(e, b, 0.5);
      }
    }
    assertEquals(1 + 0.1 * Math.log(4) * Math.log(4), BttMixtureOfExperts.auxiliaryLoss(logits, gates), 1e-12);
  }

  /** Expert e: the rank-1 BTT made of rank slice e of both cores. */
  private BlockTensorTrainOperator expertSlice(int[] m, int[] n, int experts, Matrix g1, Matrix g2, int e) {
    Matrix c1 = Matrix.zeros(DType.F64, m[1] * n[0], m[0]);
    for (int j2 = 0; j2 < m[1]; j2++) {
      for (int i1 = 0; i1 < n[0]; i1++) {
        c1.row(j2 * n[0] + i1).copyFrom(g1.row((j2 * experts + e) * n[0] + i1));
      }
    }
    Matrix c2 = Matrix.zeros(DType.F64, n[0] * n[1], m[1]);
    for (int row = 0; row < c2.rows(); row++) {
      for (int j2 = 0; j2 < m[1]; j2++) {
        c2.set(row, j2, g2.get(row, j2 * experts + e));
      }
    }
    return (BlockTensorTrainOperator) Operators.blockTensorTrain(m, n, new int[] {1, 1, 1}, List.of(c1, c2), compute);
  }

  private static int argmax(double[] v, int skip) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (i != skip && (best < 0 || v[i] > v[best])) {
        best = i;
      }
    }
    return best;
  }

  private Matrix random(int rows, int cols) {
    Matrix m = Matrix.zeros(DType.F64, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }
}
