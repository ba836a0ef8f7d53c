package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * {@code structura compress} end to end with the zoo model all-MiniLM-L6-v2 and the committed
 * SpamAssassin subset as calibration texts, and its errors.
 */
class CompressCommandTest {
  static final Path SUBSET = Path.of("src/test/resources/spam-assassin-subset");
  static final String TRAIN = SUBSET.resolve("train.jsonl").toString();
  static final String MODEL = "all-minilm-l6-v2";

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of("--threads", "1", "compress"));
    a.addAll(List.of(args));
    return CliRun.of(a.toArray(String[]::new));
  }

  private static int totalHeads(TransformerNetwork n) {
    return n.blocks().stream().mapToInt(b -> b.attention().heads()).sum();
  }

  private static int totalNeurons(TransformerNetwork n) {
    return n.blocks().stream().mapToInt(b -> b.mlp().width()).sum();
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static void assertFails(CliRun r, String... fragments) {
    assertEquals(ExitCodes.FAILURE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-"), "coded: " + r.err());
    assertTrue(r.err().contains("Fix: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), f + " missing from " + r.err());
    }
  }

  @Test
  void magnitudeToHalfTheMacsWritesASmallerOnnxAndAReport() throws IOException {
    Path out = dir.resolve("small.onnx");
    Path report = dir.resolve("report.json");
    CliRun r = run("--model", MODEL, "--method", "magnitude", "--target", "0.5", "--calibration", TRAIN,
        "--samples", "40", "--max-length", "32", "--out", out.toString(), "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(Files.isRegularFile(out));
    assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")), "the tokenizer is copied beside the model");
    TransformerNetwork original = OnnxModels.readBert(ModelZoo.resolve(MODEL).model());
    TransformerNetwork small = OnnxModels.readBert(out);
    assertEquals(original.depth(), small.depth());
    assertTrue(totalHeads(small) + totalNeurons(small) < totalHeads(original) + totalNeurons(original));
    assertTrue(totalNeurons(small) < totalNeurons(original), totalNeurons(small) + " neurons");
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    double fraction = j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
    assertTrue(fraction <= 0.5 && fraction > 0.3, "MAC fraction " + fraction);
    assertEquals("magnitude", j.get("method").getAsString());
    assertEquals(40, j.get("calibrationTexts").getAsInt());
    assertEquals(original.depth(), j.getAsJsonArray("blocks").size());
    assertTrue(r.out().contains("Wrote " + out.toAbsolutePath().normalize()), r.out());
    assertEquals(Set.of("small.onnx", "small.tokenizer.json", "report.json", "tokenizer.json"), files(),
        "no temporary files are left");
  }

  @Test
  void statOnMiniLmNeedsMoreTokensThanNeurons() {
    // 40 texts of at most 32 tokens are at most 1,280 tokens (1,265 in the subset: one text is shorter),
    // fewer than MiniLM's 1,536 FFN neurons: a coded error
    Path out = dir.resolve("stat.onnx");
    CliRun r = run("--model", MODEL, "--method", "stat", "--keep-heads", "0.5", "--keep-neurons", "0.5",
        "--calibration", TRAIN, "--samples", "40", "--max-length", "32", "--out", out.toString());
    assertFails(r, "STRUCTURA-A006", "1265 tokens in 40 texts", "1536");
    assertFalse(Files.exists(out));
  }

  @Test
  void statWithKeepFractionsOnATinySafetensorsModel() throws IOException {
    // a random 2-block BERT (4 heads of 8, FFN 64) in safetensors form with MiniLM's tokenizer
    Path model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    Files.copy(ModelZoo.resolve(MODEL).tokenizer().orElseThrow(), model.resolve("tokenizer.json"));
    Path out = dir.resolve("tiny-stat");
    Path report = dir.resolve("stat.json");
    CliRun r = run("--model", model.toString(), "--method", "stat", "--keep-heads", "0.5", "--keep-neurons", "0.5",
        "--calibration", TRAIN, "--samples", "40", "--max-length", "32", "--out", out.toString(),
        "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
    TransformerNetwork small = Safetensors.read(out);
    assertEquals(2, small.depth());
    for (TransformerBlock b : small.blocks()) {
      assertEquals(2, b.attention().heads());
      assertEquals(32, b.mlp().width());
    }
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertEquals("stat", j.get("method").getAsString());
    assertEquals(40, j.get("calibrationTexts").getAsInt());
    assertTrue(j.get("macsAfter").getAsDouble() < j.get("macsBefore").getAsDouble());
    for (var b : j.getAsJsonArray("blocks")) {
      double ffnError = b.getAsJsonObject().get("ffnError").getAsDouble();
      assertTrue(ffnError >= 0 && ffnError < 1, "relative FFN error " + ffnError);
    }
    // the input directory is untouched and still loads as the original
    assertEquals(64, Safetensors.read(model).blocks().get(0).mlp().width());
  }

  @Test
  void statWithEmbeddingAllocationAndNormCorrectionMeetsAMacTargetOnATinyModel() throws IOException {
    Path model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    Files.copy(ModelZoo.resolve(MODEL).tokenizer().orElseThrow(), model.resolve("tokenizer.json"));
    Path out = dir.resolve("tiny-stat-levers");
    Path report = dir.resolve("stat-levers.json");
    CliRun r = run("--model", model.toString(), "--method", "stat", "--target", "0.6", "-o", "allocation=embedding",
        "-o", "norm-correction=affine", "-o", "neuron-multiple=8", "--calibration", TRAIN, "--samples", "40",
        "--max-length", "32", "--out", out.toString(), "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.err().contains("embedding allocation round 1") && r.err().contains("output correction"), r.err());
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    double f = j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
    assertTrue(f <= 0.6 + 1e-9 && f > 0.45, "MAC fraction " + f);
    // the output LayerNorm of each block was refitted: it differs from the original's
    TransformerNetwork small = Safetensors.read(out);
    assertTrue(small.blocks().get(1).mlpNorm().beta().get(0, 0) != original.blocks().get(1).mlpNorm().beta().get(0, 0));
    CliRun help = run("--list-methods");
    assertTrue(help.out().contains("allocation") && help.out().contains("norm-correction"), help.out());
  }

  @Test
  void statLowRankAndResidualIdWriteOnnxThatRunsInEval() throws IOException {
    // the random 2-block BERT (4 heads of 8, FFN 64) of the svd test, as safetensors and as ONNX (the eval reference)
    Path model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    Path tokenizer = ModelZoo.resolve(MODEL).tokenizer().orElseThrow();
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    Path reference = dir.resolve("ref/tiny.onnx");
    OnnxWriter.writeBert(original, reference);
    for (String[] option : List.of(new String[] {"low-rank=true", "prune-fraction=0.7"},
        new String[] {"residual-id=true", "prune-fraction=0.7"})) {
      String name = option[0].substring(0, option[0].indexOf('='));
      Path out = dir.resolve(name + "/tiny.onnx");
      Path report = dir.resolve(name + ".json");
      CliRun r = run("--model", model.toString(), "--method", "stat", "--target", "0.5", "-o", option[0], "-o", option[1],
          "-o", "neuron-multiple=8", "--calibration", TRAIN, "--samples", "40", "--max-length", "32", "--out",
          out.toString(), "--report", report.toString());
      assertEquals(ExitCodes.OK, r.exit(), r.err());
      JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
      double fraction = j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
      assertTrue(fraction <= 0.5 + 1e-9 && fraction > 0.35, name + ": MAC fraction " + fraction);
      if (name.equals("low-rank")) { // the ONNX reader does not read selected (residual-subset) layers back, as for disp
        TransformerBlock b = OnnxModels.readBert(out).blocks().get(1);
        assertTrue(b.mlp().down().isFactored(), "factored down projection");
      } else {
        assertTrue(r.err().contains("residual ID: each sublayer reads"), r.err());
      }
      Path evalReport = dir.resolve(name + "-eval.json");
      CliRun ev = CliRun.of("--threads", "1", "eval", "--model", out.toString(), "--reference", reference.toString(),
          "--tokenizer", tokenizer.toString(), "--data", SUBSET.resolve("test.jsonl").toString(), "--train", TRAIN,
          "--max-length", "32", "--latency-iterations", "0", "--report", evalReport.toString());
      assertEquals(ExitCodes.OK, ev.exit(), ev.err());
      double fidelity = JsonParser.parseString(Files.readString(evalReport)).getAsJsonObject()
          .getAsJsonObject("fidelity").get("mean").getAsDouble();
      assertTrue(fidelity > 0.3 && fidelity < 1, name + ": mean cosine to the original " + fidelity);
    }
    CliRun help = run("--list-methods");
    assertTrue(help.out().contains("low-rank") && help.out().contains("residual-id"), help.out());
  }

  @Test
  void svdFactorsTheTinyModelAndTheOnnxRunsInEval() throws IOException {
    // the random 2-block BERT (4 heads of 8, FFN 64) of the stat test, as safetensors and as ONNX (the eval reference)
    Path model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    Path tokenizer = ModelZoo.resolve(MODEL).tokenizer().orElseThrow();
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    Path reference = dir.resolve("ref/tiny.onnx");
    OnnxWriter.writeBert(original, reference);
    Path out = dir.resolve("svd/tiny-svd.onnx");
    Path report = dir.resolve("svd.json");
    CliRun r = run("--model", model.toString(), "--method", "svd", "--target", "0.6", "--calibration", TRAIN,
        "--samples", "40", "--max-length", "32", "--out", out.toString(), "--report", report.toString(),
        "--plot", dir.resolve("svd.png").toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().contains("low-rank layers"), r.out());
    try {
      ChartFiles.check(dir.resolve("svd.png"), "block", "fraction of weight parameters kept", "attention", "FFN");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertTrue(r.err().contains("block 2/2: ranks query"), r.err());
    TransformerNetwork small = OnnxModels.readBert(out);
    for (TransformerBlock b : small.blocks()) {
      assertTrue(b.attention().query().isFactored() && b.attention().output().isFactored() && b.mlp().up().isFactored()
          && b.mlp().down().isFactored());
      assertEquals(4, b.attention().heads());
      assertEquals(64, b.mlp().width());
    }
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertEquals("svd", j.get("method").getAsString());
    double fraction = j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
    assertTrue(fraction <= 0.6 && fraction > 0.4, "MAC fraction " + fraction);
    var ranks = j.getAsJsonArray("blocks").get(1).getAsJsonObject().getAsJsonArray("ranks");
    assertEquals(6, ranks.size());
    JsonObject q = ranks.get(0).getAsJsonObject();
    assertEquals("query", q.get("layer").getAsString());
    assertTrue(q.get("factored").getAsBoolean());
    int k = q.get("rank").getAsInt();
    assertEquals(k, small.blocks().get(1).attention().query().rank());
    assertTrue(k >= 1 && k < 16, "rank " + k);
    double error = q.get("error").getAsDouble();
    assertTrue(error > 0 && error < 1, "relative layer error " + error);
    // the written model runs in ONNX Runtime through eval, against the original
    Path evalReport = dir.resolve("eval.json");
    CliRun ev = CliRun.of("--threads", "1", "eval", "--model", out.toString(), "--reference", reference.toString(),
        "--tokenizer", tokenizer.toString(), "--data", SUBSET.resolve("test.jsonl").toString(), "--train", TRAIN,
        "--max-length", "32", "--latency-iterations", "0", "--report", evalReport.toString());
    assertEquals(ExitCodes.OK, ev.exit(), ev.err());
    double fidelity = JsonParser.parseString(Files.readString(evalReport)).getAsJsonObject().getAsJsonObject("fidelity")
        .get("mean").getAsDouble();
    assertTrue(fidelity > 0.5 && fidelity < 1, "mean cosine to the original " + fidelity);
    // per-block head and neuron fractions do not apply to low rank
    CliRun keep = run("--model", model.toString(), "--method", "svd", "--keep-heads", "0.5", "--calibration", TRAIN,
        "--samples", "40", "--max-length", "32", "--out", dir.resolve("never.onnx").toString());
    assertFails(keep, "STRUCTURA-A001", "--target");
    assertFalse(Files.exists(dir.resolve("never.onnx")));
  }

  @Test
  void monarchAndBttReplaceTheTinyModelsFfnAndTheOnnxRunsInEval() throws IOException {
    // the random 2-block BERT (4 heads of 8, FFN 64) of the svd test
    Path model = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, model);
    Path tokenizer = ModelZoo.resolve(MODEL).tokenizer().orElseThrow();
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    Path reference = dir.resolve("ref/tiny.onnx");
    OnnxWriter.writeBert(original, reference);
    for (String method : List.of("monarch", "btt")) {
      Path out = dir.resolve(method + "/tiny.onnx");
      Path report = dir.resolve(method + ".json");
      CliRun r = run("--model", model.toString(), "--method", method, "--target", "0.7", "--calibration", TRAIN,
          "--samples", "40", "--max-length", "32", "--out", out.toString(), "--report", report.toString(),
          "-o", "attention=true");
      assertEquals(ExitCodes.OK, r.exit(), r.err());
      assertTrue(r.out().contains("Monarch/BTT layers"), r.out());
      assertTrue(r.err().contains("block 2/2: query n1"), r.err());
      TransformerNetwork small = OnnxModels.readBert(out);
      for (TransformerBlock b : small.blocks()) {
        assertTrue(b.mlp().up().btt() != null && b.mlp().down().btt() != null, method);
        assertEquals(4, b.attention().heads());
        assertEquals(64, b.mlp().width());
        if (method.equals("monarch")) {
          assertEquals(1, b.mlp().up().btt().rank());
        }
      }
      JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
      assertEquals(method, j.get("method").getAsString());
      double fraction = j.get("macsAfter").getAsDouble() / j.get("macsBefore").getAsDouble();
      assertTrue(fraction <= 0.7 && fraction > 0.3, method + ": MAC fraction " + fraction);
      var ranks = j.getAsJsonArray("blocks").get(0).getAsJsonObject().getAsJsonArray("ranks");
      JsonObject down = ranks.get(ranks.size() - 1).getAsJsonObject();
      assertEquals("down", down.get("layer").getAsString());
      double error = down.get("error").getAsDouble();
      assertTrue(down.get("factored").getAsBoolean() && error > 0 && error < 1, method + ": relative layer error " + error);
      // the written model runs in ONNX Runtime through eval, against the original
      Path evalReport = dir.resolve(method + "-eval.json");
      CliRun ev = CliRun.of("--threads", "1", "eval", "--model", out.toString(), "--reference", reference.toString(),
          "--tokenizer", tokenizer.toString(), "--data", SUBSET.resolve("test.jsonl").toString(), "--train", TRAIN,
          "--max-length", "32", "--latency-iterations", "0", "--report", evalReport.toString());
      assertEquals(ExitCodes.OK, ev.exit(), ev.err());
      double fidelity = JsonParser.parseString(Files.readString(evalReport)).getAsJsonObject().getAsJsonObject("fidelity")
          .get("mean").getAsDouble();
      assertTrue(fidelity > 0.5 && fidelity < 1, method + ": mean cosine to the original " + fidelity);
    }
    // safetensors has no names for these layers: refused with the remedy
    CliRun dirOut = run("--model", model.toString(), "--method", "monarch", "--target", "0.7", "--calibration", TRAIN,
        "--samples", "40", "--max-length", "32", "--out", dir.resolve("st").toString());
    assertFails(dirOut, "Monarch/BTT", ".onnx");
  }

  @Test
  void impossibleTargetFailsBeforeWritingAnything() throws IOException {
    Path out = dir.resolve("never.onnx");
    CliRun r = run("--model", MODEL, "--method", "magnitude", "--target", "0.001", "--calibration", TRAIN,
        "--samples", "8", "--max-length", "16", "--out", out.toString(), "--report", dir.resolve("r.json").toString());
    assertFails(r, "Use --target");
    assertFalse(Files.exists(out));
    assertEquals(Set.of(), files(), "no model, report, tokenizer or temporary file");
  }

  @Test
  void outputEqualToTheInputModelIsRefused() throws IOException {
    Path model = dir.resolve("m.onnx");
    OnnxWriter.writeBert(RandomNetworks.bert(3, 30522, 2, 4, 16, 1), model);
    byte[] before = Files.readAllBytes(model);
    CliRun r = run("--model", model.toString(), "--method", "magnitude", "--target", "0.5", "--calibration", TRAIN,
        "--out", dir.resolve(".").resolve("m.onnx").toString());
    assertFails(r, "STRUCTURA-O001", "is the input --model");
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the input is untouched");
  }

  @Test
  void emptyCalibrationFileIsACodedError() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "");
    CliRun r = run("--model", MODEL, "--method", "magnitude", "--target", "0.5", "--calibration", empty.toString(),
        "--out", dir.resolve("x.onnx").toString());
    assertFails(r);
    assertFalse(Files.exists(dir.resolve("x.onnx")));
  }

  @Test
  void unknownMethodIsAUsageErrorThatListsTheMethods() {
    CliRun r = run("--model", MODEL, "--method", "bogus", "--target", "0.5", "--calibration", TRAIN,
        "--out", dir.resolve("x.onnx").toString());
    assertEquals(ExitCodes.USAGE, r.exit(), r.out() + r.err());
    for (String f : List.of("STRUCTURA-", "bogus", "stat", "id-prune", "modegpt", "magnitude")) {
      assertTrue(r.err().contains(f), f + " missing from " + r.err());
    }
  }

  @Test
  void unknownMethodOptionIsAUsageErrorNamingTheKeyAndTheAllowedKeys() {
    CliRun r = run("--model", MODEL, "--method", "stat", "--target", "0.5", "--calibration", TRAIN,
        "-o", "sketch-rowz=64", "--out", dir.resolve("x.onnx").toString());
    assertEquals(ExitCodes.USAGE, r.exit(), r.out() + r.err());
    for (String f : List.of("STRUCTURA-A001", "sketch-rowz", "allocation-samples", "intercept", "neuron-multiple", "seed",
        "sketch", "allocation", "norm-correction")) {
      assertTrue(r.err().contains(f), f + " missing from " + r.err());
    }
    assertFalse(Files.exists(dir.resolve("x.onnx")));
  }

  @Test
  void badMethodOptionValueIsAUsageErrorNamingTheKey() {
    CliRun r = run("--model", MODEL, "--method", "magnitude", "--target", "0.5", "--calibration", TRAIN,
        "-o", "neuron-multiple=zero", "--out", dir.resolve("x.onnx").toString());
    assertEquals(ExitCodes.USAGE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("neuron-multiple=zero"), r.err());
    assertFalse(Files.exists(dir.resolve("x.onnx")));
  }

  @Test
  void badBudgetValuesAreUsageErrors() {
    for (List<String> budget : List.of(List.of("--target", "1.5"), List.of("--target", "-0.2"), List.of("--keep-heads", "2"),
        List.of("--target", "0.5", "--target-kind", "flops"), List.of("--target", "half"))) {
      List<String> a = new ArrayList<>(List.of("--model", MODEL, "--method", "magnitude", "--calibration", TRAIN,
          "--out", dir.resolve("x.onnx").toString()));
      a.addAll(budget);
      CliRun r = run(a.toArray(String[]::new));
      assertEquals(ExitCodes.USAGE, r.exit(), budget + ": " + r.err());
      assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
  }

  @Test
  void listMethodsNamesEveryMethod() {
    CliRun r = run("--list-methods");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    for (String m : List.of("stat", "id-prune", "modegpt", "magnitude", "svd", "monarch", "btt", "disp", "cur")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m + " ")), m + " missing from " + r.out());
    }
    assertTrue(r.out().contains("Monarch: Expressive Structured Matrices") && r.out().contains("Compute Better Spent"), r.out());
  }
}
