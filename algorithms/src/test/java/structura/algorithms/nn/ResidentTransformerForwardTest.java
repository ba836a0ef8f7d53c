package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.ResidentRoutines;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The resident pass on the reference backend's resident routines equals the host pass
 * ({@link TransformerForward} on the reference backend): BERT encoders and Llama-style decoders
 * (GQA, causal, without rotary), padded batches, factored linears, workspace reuse across shapes.
 */
class ResidentTransformerForwardTest {
  static final int[][] SEQS = {{5, 9, 2, 7, 11, 3, 4}, {4, 8}, {1, 2, 3, 4, 6}, {7}};

  private static ResidentRoutines resident() {
    return Compute.reference().backend().resident().orElseThrow();
  }

  private static double maxAbsDiff(Matrix a, Matrix b) {
    assertEquals(a.rows(), b.rows());
    assertEquals(a.cols(), b.cols());
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
      }
    }
    return m;
  }

  private static void assertSameAsHost(TransformerNetwork net, TokenBatch... batches) {
    TransformerForward hostPass = new TransformerForward(Compute.reference(), net);
    try (ResidentTransformerForward pass = new ResidentTransformerForward(resident(), net)) {
      for (TokenBatch batch : batches) {
        Matrix want = hostPass.lastHiddenState(batch);
        Matrix got = pass.lastHiddenState(batch);
        double diff = maxAbsDiff(want, got);
        // same routines in the same order: equal to float rounding (in fact bit for bit on the reference)
        assertTrue(diff <= 1e-6, "resident pass differs from the host pass by " + diff + " for a " + batch.batch() + "x"
            + batch.length() + " batch");
      }
    }
  }

  /** The same network with rotary embeddings removed from every block. */
  static TransformerNetwork withoutRotary(TransformerNetwork net) {
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Attention plain = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), a.query(), a.key(), a.value(), a.output(),
          a.scale(), a.causal(), null);
      blocks.add(new TransformerBlock(plain, b.mlp(), b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  @Test
  void bertEncoderWithPaddingEqualsTheHostPass() {
    TransformerNetwork net = RandomNetworks.bert(11, 30, 3, 4, 20, 2);
    TokenBatch padded = TokenBatch.pad(SEQS, 0, 0);
    int[] types = padded.tokenTypeIds().clone();
    for (int i = 0; i < types.length; i += 3) {
      types[i] = 1;
    }
    TokenBatch withTypes = new TokenBatch(padded.batch(), padded.length(), padded.inputIds(), padded.attentionMask(), types);
    // a second shape, then the first again: the workspace is replaced and rebuilt correctly
    assertSameAsHost(net, withTypes, TokenBatch.pad(new int[][] {{1, 2, 3}}, 0, 0), withTypes);
  }

  @Test
  void llamaDecoderWithGroupedQueryHeadsAndPaddingEqualsTheHostPass() {
    TransformerNetwork net = withoutRotary(RandomNetworks.llama(12, 30, 4, 2, 4, 24, 2));
    assertSameAsHost(net, TokenBatch.pad(SEQS, 0, 0));
    TransformerNetwork mha = withoutRotary(RandomNetworks.llama(13, 30, 4, 4, 4, 24, 2));
    assertSameAsHost(mha, TokenBatch.pad(SEQS, 0, 2));
  }

  @Test
  void factoredLinearsRunAsTwoProducts() {
    TransformerNetwork net = RandomNetworks.bert(14, 30, 2, 4, 16, 2);
    SplittableRandom rnd = new SplittableRandom(14);
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Mlp m = b.mlp();
      Linear up = factored(m.up(), 3, rnd);
      Attention a = b.attention();
      Attention fa = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), factored(a.query(), 2, rnd), a.key(), a.value(),
          a.output(), a.scale(), a.causal(), null);
      blocks.add(new TransformerBlock(fa, new Mlp(up, m.gate(), m.down(), m.activation()), b.attentionNorm(), b.mlpNorm(),
          b.placement()));
    }
    TransformerNetwork f = new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
    assertSameAsHost(f, TokenBatch.pad(SEQS, 0, 0));
  }

  private static Linear factored(Linear l, int rank, SplittableRandom rnd) {
    Matrix u = Matrix.zeros(DType.F32, l.out(), rank);
    Matrix v = Matrix.zeros(DType.F32, rank, l.in());
    for (Matrix m : new Matrix[] {u, v}) {
      for (int i = 0; i < m.rows(); i++) {
        for (int j = 0; j < m.cols(); j++) {
          m.set(i, j, rnd.nextDouble(-0.5, 0.5));
        }
      }
    }
    return Linear.factored(u, v, l.bias());
  }

  @Test
  void rotaryEmbeddingsAreRejectedWithACodeNamingTheHostPass() {
    TransformerNetwork net = RandomNetworks.llama(15, 30, 4, 2, 4, 24, 1);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new ResidentTransformerForward(resident(), net));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("rotary") && e.getMessage().contains("TransformerForward"), e.getMessage());
  }

  @Test
  void tokenIdsOutsideTheVocabularyFailWithOutOfBounds() {
    TransformerNetwork net = RandomNetworks.bert(16, 30, 2, 4, 16, 1);
    try (ResidentTransformerForward pass = new ResidentTransformerForward(resident(), net)) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> pass.lastHiddenState(TokenBatch.pad(new int[][] {{1, 30}}, 0, 0)));
      assertEquals(ErrorCode.OUT_OF_BOUNDS, e.code());
    }
  }
}
