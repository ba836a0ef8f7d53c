package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.nn.TransformerNetwork;
import structura.formats.Safetensors;

/**
 * Decoders end to end through the CLI on the llama-tiny fixture (random weights, GQA, RoPE; its
 * character-level tokenizer.json and Moby-Dick passages): {@code structura compress} with stat, svd
 * and modegpt from safetensors to safetensors and to ONNX, then {@code structura perplexity} of the
 * compressed model beside the original and beside ONNX Runtime's run of the export.
 */
class DecoderEndToEndTest {
  static final Path LLAMA = Path.of("../formats/src/test/resources/fixtures/llama-tiny");
  static final Path CORPUS = LLAMA.resolve("corpus.txt");

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of("--threads", "1", "--backend", "java"));
    a.addAll(List.of(args));
    return CliRun.of(a.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"stat", "svd", "modegpt"})
  void compressesEvaluatesAndExportsTheFixtureDecoder(String method) throws Exception {
    Path st = dir.resolve(method);
    Path onnx = dir.resolve(method + ".onnx");
    Path compressReport = dir.resolve(method + "-compress.json");
    for (Path out : List.of(st, onnx)) {
      CliRun c = run("compress", "--model", LLAMA.toString(), "--method", method, "--target", "0.6", "--calibration",
          CORPUS.toString(), "--samples", "16", "--max-length", "48", "--out", out.toString(), "--report",
          out == st ? compressReport.toString() : dir.resolve(method + "-onnx.json").toString());
      assertEquals(ExitCodes.OK, c.exit(), c.out() + c.err());
    }
    JsonObject cr = JsonParser.parseString(Files.readString(compressReport)).getAsJsonObject();
    assertTrue(cr.get("macsAfter").getAsDouble() <= 0.6 * cr.get("macsBefore").getAsDouble() + 1e-6, cr.toString());
    TransformerNetwork original = Safetensors.read(LLAMA);
    TransformerNetwork small = Safetensors.read(st);
    assertTrue(small.parameterCount() < original.parameterCount(), "parameters " + small.parameterCount());
    assertEquals(TransformerNetwork.Family.LLAMA_DECODER, small.family());

    Path report = dir.resolve(method + "-perplexity.json");
    // the texts after the 16 used for calibration
    CliRun p = run("perplexity", "--model", st.toString(), "--reference", LLAMA.toString(), "--onnx", onnx.toString(),
        "--data", CORPUS.toString(), "--skip", "16", "--max-length", "48", "--report", report.toString());
    assertEquals(ExitCodes.OK, p.exit(), p.out() + p.err());
    JsonObject r = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertEquals(8, r.get("texts").getAsInt());
    double ours = r.getAsJsonObject("model").get("perplexity").getAsDouble();
    double ort = r.getAsJsonObject("onnx").get("perplexity").getAsDouble();
    double reference = r.getAsJsonObject("reference").get("perplexity").getAsDouble();
    assertTrue(r.getAsJsonObject("onnx").get("maxLogitDifference").getAsDouble() <= 1e-4, r.toString());
    assertEquals(ours, ort, 1e-5 * ours, r.toString());
    // a random 61-token model: near-uniform predictions, so both are near 61 and the compressed one differs
    assertTrue(reference > 20 && reference < 200 && ours > 20 && ours < 200 && ours != reference, r.toString());
    assertTrue(p.out().contains("onnxruntime"), p.out());
  }
}
