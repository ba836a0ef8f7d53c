package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import structura.algorithms.nn.SentenceEmbeddings;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;

/**
 * The forward pass on the published all-MiniLM-L6-v2 and bge-small-en-v1.5 ONNX models equals
 * ONNX Runtime running the same files, for real sentences of different lengths in one padded
 * batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BertOnnxTest {
  static final List<String> SENTENCES = List.of(
      "The quick brown fox jumps over the lazy dog.",
      "Structured matrices make large neural networks cheaper to run.",
      "Paris is the capital of France.",
      "A man is playing a guitar on the street while people walk by and some of them stop to listen.",
      "Hi");

  ModelZoo.Resolved minilm;
  TransformerNetwork network;
  TokenBatch batch;

  @BeforeAll
  void load() {
    minilm = ModelZoo.resolve("all-minilm-l6-v2");
    network = OnnxModels.readBert(minilm.model());
    try (TextTokenizer tok = TextTokenizer.load(minilm.tokenizer().orElseThrow(), 128)) {
      batch = tok.encode(SENTENCES);
    }
  }

  @Test
  void readsTheMiniLmStructure() {
    assertEquals(TransformerNetwork.Family.BERT_ENCODER, network.family());
    assertEquals(6, network.depth());
    assertEquals(384, network.width());
    assertEquals(12, network.blocks().get(0).attention().heads());
    assertEquals(32, network.blocks().get(0).attention().headDim());
    assertEquals(1536, network.blocks().get(0).mlp().width());
    assertEquals(1e-12, network.blocks().get(0).attentionNorm().eps(), 1e-18);
    // [CLS] = 101 and [SEP] = 102 frame every sentence; the short one is padded
    assertEquals(101, batch.inputIds()[0]);
    assertTrue(batch.validTokens(4) < batch.length());
  }

  @Test
  void lastHiddenStateMatchesOnnxRuntime() throws Exception {
    Matrix ours = new TransformerForward(Compute.reference(), network).lastHiddenState(batch);
    Matrix ort;
    try (OrtRunner runner = new OrtRunner(minilm.model(), 1)) {
      ort = runner.lastHiddenState(batch);
    }
    double diff = OrtRunner.maxAbsDiff(ours, ort);
    assertTrue(diff <= 1e-4, "max |ours - ORT| = " + diff);
    Matrix eo = SentenceEmbeddings.meanPool(ours, batch, true);
    Matrix er = SentenceEmbeddings.meanPool(ort, batch, true);
    assertTrue(OrtRunner.maxAbsDiff(eo, er) <= 1e-5);
    // sanity on semantics: the two unrelated sentences are less similar than a sentence with itself
    double self = 0;
    double cross = 0;
    for (int j = 0; j < eo.cols(); j++) {
      self += eo.get(0, j) * eo.get(0, j);
      cross += eo.get(0, j) * eo.get(2, j);
    }
    assertEquals(1.0, self, 1e-5);
    assertTrue(cross < 0.5, "cosine of unrelated sentences " + cross);
  }

  @Test
  void bgeSmallMatchesOnnxRuntime() throws Exception {
    ModelZoo.Resolved bge = ModelZoo.resolve("bge-small-en-v15");
    TransformerNetwork net = OnnxModels.readBert(bge.model());
    assertEquals(12, net.depth());
    TokenBatch b;
    try (TextTokenizer tok = TextTokenizer.load(bge.tokenizer().orElseThrow(), 128)) {
      b = tok.encode(SENTENCES.subList(0, 3));
    }
    Matrix ours = new TransformerForward(Compute.reference(), net).lastHiddenState(b);
    Matrix ort;
    try (OrtRunner runner = new OrtRunner(bge.model(), 1)) {
      ort = runner.lastHiddenState(b);
    }
    double diff = OrtRunner.maxAbsDiff(ours, ort);
    assertTrue(diff <= 1e-4, "max |ours - ORT| = " + diff);
  }
}
