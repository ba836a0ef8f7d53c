package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.Matrix;
import structura.formats.MatrixFiles;
import structura.formats.ModelFiles;
import structura.formats.ModelZoo;
import structura.formats.Safetensors;
import structura.testkit.RandomNetworks;

/** {@code structura activations} on a tiny random BERT: shapes, one row per real token, coded errors that write nothing. */
class ActivationsCommandTest {
  @TempDir
  Path dir;

  private Path model;

  @BeforeEach
  void tinyModel() throws IOException {
    model = dir.resolve("tiny");
    Safetensors.write(RandomNetworks.bert(7, 30522, 4, 8, 64, 2), model);
    Files.copy(ModelZoo.resolve(CompressCommandTest.MODEL).tokenizer().orElseThrow(), model.resolve("tokenizer.json"));
  }

  private CliRun activations(String layer, String kind, Path out) {
    return CliRun.of("--threads", "1", "activations", "--model", model.toString(), "--data", CompressCommandTest.TRAIN,
        "--samples", "6", "--max-length", "16", "--batch-size", "4", "--layer", layer, "--kind", kind, "--out", out.toString());
  }

  private long realTokens() {
    return ModelFiles.tokenize(Path.of(CompressCommandTest.TRAIN), model.resolve("tokenizer.json"), 16, 6).ids().stream()
        .mapToLong(ids -> ids.length).sum();
  }

  @Test
  void ffnAndHiddenHaveOneRowPerRealToken() {
    Path ffn = dir.resolve("ffn.npy");
    CliRun run = activations("1", "ffn", ffn);
    assertEquals(0, run.exit(), run.err());
    Matrix a = MatrixFiles.read(ffn);
    assertEquals(realTokens(), a.rows());
    assertEquals(64, a.cols());
    Path hidden = dir.resolve("hidden.npy");
    assertEquals(0, activations("0", "hidden", hidden).exit());
    Matrix h = MatrixFiles.read(hidden);
    assertEquals(realTokens(), h.rows());
    assertEquals(32, h.cols());
  }

  @Test
  void layerOutOfRangeIsRefusedAndNothingIsWritten() throws IOException {
    Path out = dir.resolve("never.npy");
    CliRun run = activations("2", "ffn", out);
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("STRUCTURA-A001") && run.err().contains("layer 2"), run.err());
    assertFalse(Files.exists(out));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".structura-tmp-")));
    }
  }

  @Test
  void unknownKindIsRefused() {
    CliRun run = activations("0", "attention", dir.resolve("never.npy"));
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--kind attention"), run.err());
  }
}
