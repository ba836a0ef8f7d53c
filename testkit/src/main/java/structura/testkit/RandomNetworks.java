package structura.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import structura.api.DType;
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

/**
 * Small seeded random transformer networks for tests: BERT-style encoders and Llama-style
 * decoders with chosen widths. Weights are uniform in ±{@code 1/√fan_in}, norm scales near 1, so
 * activations stay O(1) through the blocks.
 */
public final class RandomNetworks {
  private RandomNetworks() {}

  /** A BERT-style encoder: {@code layers} post-LN blocks, GELU MLP of width {@code ffn}, 64 positions, 2 token types. */
  public static TransformerNetwork bert(long seed, int vocab, int heads, int headDim, int ffn, int layers) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int d = heads * headDim;
    List<TransformerBlock> blocks = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Attention a = new Attention(heads, heads, headDim, linear(rnd, d, d, true), linear(rnd, d, d, true),
          linear(rnd, d, d, true), linear(rnd, d, d, true), false, null);
      Mlp mlp = new Mlp(linear(rnd, ffn, d, true), null, linear(rnd, d, ffn, true), Activation.GELU);
      blocks.add(new TransformerBlock(a, mlp, layerNorm(rnd, d), layerNorm(rnd, d), TransformerBlock.Placement.POST));
    }
    Embeddings e = new Embeddings(uniform(rnd, vocab, d, 1), uniform(rnd, 64, d, 1), uniform(rnd, 2, d, 1), layerNorm(rnd, d));
    return new TransformerNetwork(TransformerNetwork.Family.BERT_ENCODER, e, blocks, null, null, Map.of("source", "random"));
  }

  /** A Llama-style decoder: pre-norm RMSNorm, RoPE, SwiGLU of width {@code ffn}, GQA with {@code kvHeads}. */
  public static TransformerNetwork llama(long seed, int vocab, int heads, int kvHeads, int headDim, int ffn, int layers) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int d = heads * headDim;
    List<TransformerBlock> blocks = new ArrayList<>();
    RotaryEmbedding rope = new RotaryEmbedding(headDim, 10000);
    for (int l = 0; l < layers; l++) {
      Attention a = new Attention(heads, kvHeads, headDim, linear(rnd, d, d, false), linear(rnd, kvHeads * headDim, d, false),
          linear(rnd, kvHeads * headDim, d, false), linear(rnd, d, d, false), true, rope);
      Mlp mlp = new Mlp(linear(rnd, ffn, d, false), linear(rnd, ffn, d, false), linear(rnd, d, ffn, false), Activation.SILU);
      blocks.add(new TransformerBlock(a, mlp, rms(rnd, d), rms(rnd, d), TransformerBlock.Placement.PRE));
    }
    return new TransformerNetwork(TransformerNetwork.Family.LLAMA_DECODER, new Embeddings(uniform(rnd, vocab, d, 1), null, null, null),
        blocks, rms(rnd, d), linear(rnd, vocab, d, false), Map.of("source", "random"));
  }

  private static Linear linear(SplittableRandom rnd, int out, int in, boolean bias) {
    double s = 1 / Math.sqrt(in);
    return new Linear(uniform(rnd, out, in, s), bias ? uniform(rnd, 1, out, s) : null);
  }

  private static Norm layerNorm(SplittableRandom rnd, int d) {
    return new Norm(Norm.Kind.LAYER_NORM, around1(rnd, d), uniform(rnd, 1, d, 0.1), 1e-12);
  }

  private static Norm rms(SplittableRandom rnd, int d) {
    return new Norm(Norm.Kind.RMS_NORM, around1(rnd, d), null, 1e-6);
  }

  private static Matrix around1(SplittableRandom rnd, int d) {
    Matrix m = uniform(rnd, 1, d, 0.1);
    for (int j = 0; j < d; j++) {
      m.set(0, j, 1 + m.get(0, j));
    }
    return m;
  }

  private static Matrix uniform(SplittableRandom rnd, int rows, int cols, double scale) {
    Matrix m = Matrix.zeros(DType.F32, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-scale, scale));
      }
    }
    return m;
  }
}
