package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.formats.ModelZoo;
import structura.formats.OnnxModels;
import structura.formats.OnnxWriter;
import structura.formats.Safetensors;
import structura.testkit.RandomNetworks;

/**
 * {@code structura compress --method disp} and {@code --method cur} end to end on the tiny model
 * (a random 2-block BERT, 4 heads of 8, FFN 64, in safetensors form with MiniLM's tokenizer): the
 * written ONNX runs in ONNX Runtime through {@code structura eval} against the original.
 */
class CompressDispCurTest {
  static final Path SUBSET = CompressCommandTest.SUBSET;
  static final String TRAIN = CompressCommandTest.TRAIN;

  @TempDir
  Path dir;
  Path model;
  Path tokenizer;
  Path reference;

  @BeforeEach
  void tinyModel() throws IOException {
    model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    tokenizer = ModelZoo.resolve(CompressCommandTest.MODEL).tokenizer().orElseThrow();
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    reference = dir.resolve("ref/tiny.onnx");
    OnnxWriter.writeBert(original, reference);
  }

  private CliRun compress(String method, String target, Path out, Path report) {
    return CliRun.of("--threads", "1", "compress", "--model", model.toString(), "--method", method, "--target", target,
        "--calibration", TRAIN, "--samples", "40", "--max-length", "32", "--out", out.toString(), "--report",
        report.toString());
  }

  /** Mean cosine of the compressed model's embeddings to the original's, both run in ONNX Runtime by eval. */
  private double fidelity(Path onnx) throws IOException {
    Path evalReport = dir.resolve(onnx.getFileName() + ".eval.json");
    CliRun ev = CliRun.of("--threads", "1", "eval", "--model", onnx.toString(), "--reference", reference.toString(),
        "--tokenizer", tokenizer.toString(), "--data", SUBSET.resolve("test.jsonl").toString(), "--train", TRAIN,
        "--max-length", "32", "--latency-iterations", "0", "--report", evalReport.toString());
    assertEquals(ExitCodes.OK, ev.exit(), ev.err());
    return JsonParser.parseString(Files.readString(evalReport)).getAsJsonObject().getAsJsonObject("fidelity")
        .get("mean").getAsDouble();
  }

  private static double macFraction(Path report) throws IOException {
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    return j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
  }

  @Test
  void dispWritesAnOnnxWithGatherAndScatterThatEvalRuns() throws IOException {
    Path out = dir.resolve("disp/tiny-disp.onnx");
    Path report = dir.resolve("disp.json");
    CliRun r = compress("disp", "0.6", out, report);
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.err().contains("block 2/2: reads"), r.err());
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertEquals("disp", j.get("method").getAsString());
    assertTrue(j.get("citation").getAsString().contains("DISP-LLM"), j.toString());
    double fraction = macFraction(report);
    assertTrue(fraction <= 0.6 && fraction > 0.45, "MAC fraction " + fraction);
    // the op types are plain strings in the protobuf
    String bytes = new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(bytes.contains("ScatterElements") && bytes.contains("input_index"), "index-add and gather nodes");
    double fidelity = fidelity(out);
    assertTrue(fidelity > 0.3 && fidelity < 1, "mean cosine to the original " + fidelity);
    // safetensors cannot hold the selections: a coded error, and nothing is written
    Path dirOut = dir.resolve("disp-st");
    CliRun st = compress("disp", "0.6", dirOut, dir.resolve("never.json"));
    assertEquals(ExitCodes.FAILURE, st.exit(), st.err());
    assertTrue(st.err().contains("STRUCTURA-A007") && st.err().contains("ONNX"), st.err());
    assertFalse(Files.exists(dirOut));
    assertFalse(Files.exists(dir.resolve("never.json")));
  }

  @Test
  void curFactorsTheChosenLayersAndEvalRunsTheOnnx() throws IOException {
    Path out = dir.resolve("cur/tiny-cur.onnx");
    Path report = dir.resolve("cur.json");
    CliRun r = CliRun.of("--threads", "1", "compress", "--model", model.toString(), "--method", "cur", "--target", "0.6",
        "-o", "layers=query,key,value,output,up,down", "--calibration", TRAIN, "--samples", "40", "--max-length", "32",
        "--out", out.toString(), "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.err().contains("block 2/2: CUR ranks"), r.err());
    assertTrue(r.out().contains("low-rank layers"), r.out());
    double fraction = macFraction(report);
    assertTrue(fraction <= 0.6 && fraction > 0.4, "MAC fraction " + fraction);
    TransformerNetwork small = OnnxModels.readBert(out);
    for (TransformerBlock b : small.blocks()) {
      assertTrue(b.attention().query().isFactored() && b.mlp().down().isFactored());
      assertEquals(4, b.attention().heads());
      assertEquals(64, b.mlp().width());
    }
    double fidelity = fidelity(out);
    assertTrue(fidelity > 0.3 && fidelity < 1, "mean cosine to the original " + fidelity);
    // only the named layers are decomposed
    Path upOnly = dir.resolve("cur/tiny-up.onnx");
    CliRun u = CliRun.of("--threads", "1", "compress", "--model", model.toString(), "--method", "cur", "--target", "0.9",
        "-o", "layers=up", "--calibration", TRAIN, "--samples", "40", "--max-length", "32", "--out", upOnly.toString());
    assertEquals(ExitCodes.OK, u.exit(), u.err());
    TransformerBlock b0 = OnnxModels.readBert(upOnly).blocks().get(0);
    assertTrue(b0.mlp().up().isFactored());
    assertFalse(b0.mlp().down().isFactored() || b0.attention().query().isFactored());
  }

  @Test
  void listMethodsCitesBothPapers() {
    CliRun r = CliRun.of("compress", "--list-methods");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("disp ")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cur ")), r.out());
    assertTrue(r.out().contains("DISP-LLM: Dimension-Independent Structural Pruning for Large Language Models"), r.out());
    assertTrue(r.out().contains("CURing Large Models: Compression via CUR Decomposition"), r.out());
    assertTrue(r.out().contains("-o layers=..."), r.out());
  }
}
