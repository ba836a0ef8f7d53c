package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Linear;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The hook-free forward pass reuses one set of buffers across blocks, and every pass stacks Q, K
 * and V into one GEMM; the first must leave the result bit-identical to the pass with a hook
 * (fresh matrices per block), the second equal to three separate products, also when a call follows a larger one (stale, oversized buffers) and for grouped-query
 * attention (Q wider than K and V).
 */
class TransformerForwardWorkspaceTest {

  private static void sameAsBlockByBlock(TransformerNetwork net) {
    TransformerForward fwd = new TransformerForward(Compute.reference(), net);
    TokenBatch big = TokenBatch.pad(new int[][] {{5, 9, 2, 7, 11, 3, 8}, {4, 8}, {1, 2, 3, 4}}, 0, 0);
    TokenBatch small = TokenBatch.pad(new int[][] {{6, 1, 3}, {2, 2}}, 0, 0);
    for (TokenBatch b : new TokenBatch[] {big, small, big}) {
      // with a hook (one that observes nothing) every block allocates fresh matrices
      Matrix expected = fwd.lastHiddenState(b, new ActivationHook() {});
      Matrix actual = fwd.lastHiddenState(b);
      assertEquals(expected.rows(), actual.rows());
      assertArrayEquals(expected.copy().f32(), actual.copy().f32());
    }
  }

  @Test
  void encoderWithWorkspaceEqualsBlockByBlock() {
    sameAsBlockByBlock(RandomNetworks.bert(3, 20, 3, 4, 16, 3));
  }

  @Test
  void groupedQueryDecoderWithWorkspaceEqualsBlockByBlock() {
    sameAsBlockByBlock(RandomNetworks.llama(4, 20, 4, 2, 4, 24, 3));
  }

  private static Matrix random(Random r, int rows, int cols) {
    Matrix m = Matrix.zeros(DType.F32, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, r.nextGaussian());
      }
    }
    return m;
  }

  @Test
  void stackedProjectionEqualsSeparateProducts() {
    Random r = new Random(11);
    int in = 7;
    Linear[] parts = {new Linear(random(r, 5, in), random(r, 1, 5)), new Linear(random(r, 3, in), random(r, 1, 3)),
        new Linear(random(r, 3, in), random(r, 1, 3))};
    FusedProjection f = FusedProjection.of(1L << 20, parts);
    assertNotNull(f);
    assertArrayEquals(new int[] {0, 5, 8, 11}, f.offsets());
    Matrix x = random(r, 9, in);
    Compute c = Compute.reference();
    Matrix all = Matrix.zeros(DType.F32, 9, 11);
    for (int i = 0; i < 9; i++) {
      all.view(i, 0, 1, 11).copyFrom(f.bias());
    }
    c.gemm(Transpose.N, Transpose.T, 1.0, x, f.weight(), 1.0, all);
    for (int p = 0; p < parts.length; p++) {
      Matrix y = Matrix.zeros(DType.F32, 9, parts[p].out());
      for (int i = 0; i < 9; i++) {
        y.view(i, 0, 1, parts[p].out()).copyFrom(parts[p].bias());
      }
      c.gemm(Transpose.N, Transpose.T, 1.0, x, parts[p].weight(), 1.0, y);
      assertArrayEquals(y.f32(), f.part(all, p).copy().f32(), "part " + p);
    }
  }

  @Test
  void projectionsThatCannotBeOneProductAreNotStacked() {
    Random r = new Random(12);
    Linear withBias = new Linear(random(r, 4, 6), random(r, 1, 4));
    Linear noBias = new Linear(random(r, 4, 6), null);
    Linear otherWidth = new Linear(random(r, 4, 5), random(r, 1, 4));
    Linear factored = Linear.factored(random(r, 4, 2), random(r, 2, 6), random(r, 1, 4));
    assertNull(FusedProjection.of(1L << 20, withBias, noBias));
    assertNull(FusedProjection.of(1L << 20, withBias, otherWidth));
    assertNull(FusedProjection.of(1L << 20, withBias, factored));
    assertNull(FusedProjection.of(8 * 6 - 1, withBias, withBias), "over the size limit");
    assertNotNull(FusedProjection.of(8 * 6, withBias, withBias));
  }
}
