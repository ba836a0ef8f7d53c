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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.formats.ModelZoo;
import structura.formats.OnnxWriter;
import structura.testkit.RandomNetworks;

/**
 * {@code structura eval} end to end on the committed SpamAssassin subset (40 train, 20 test texts)
 * with the zoo model all-MiniLM-L6-v2, and its errors.
 */
class EvalCommandTest {
  static final Path SUBSET = Path.of("src/test/resources/spam-assassin-subset");

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("eval", "--threads", "1"));
    a.addAll(List.of(extra));
    if (!a.contains("--latency-iterations")) {
      a.addAll(List.of("--latency-iterations", "0"));   // timing is tested once, in the first test
    }
    return a.toArray(String[]::new);
  }

  @Test
  void modelAgainstItselfHasPerfectFidelityEqualProbesAndALatencyReport() throws IOException {
    Path report = dir.resolve("out/eval.json");
    CliRun r = run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2",
        "--data", SUBSET.resolve("test.jsonl").toString(), "--train", SUBSET.resolve("train.jsonl").toString(),
        "--latency-iterations", "2", "--latency-batch", "2", "--latency-length", "16", "--report", report.toString()));
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    JsonObject fid = j.getAsJsonObject("fidelity");
    assertEquals(20, fid.get("texts").getAsInt());
    assertEquals(1.0, fid.get("mean").getAsDouble(), 1e-5);
    assertEquals(1.0, fid.get("min").getAsDouble(), 1e-5);
    assertEquals(1.0, fid.get("p5").getAsDouble(), 1e-5);
    JsonObject geometry = j.getAsJsonObject("geometry");
    assertEquals(10, geometry.get("k").getAsInt());
    assertEquals(1.0, geometry.get("overlap").getAsDouble(), 0, "the same embeddings keep every neighbour");
    assertEquals(190, geometry.get("pairs").getAsLong(), "20 test texts: 20·19/2 pairs");
    assertEquals(1.0, geometry.get("spearman").getAsDouble(), 1e-12);
    JsonObject probe = j.getAsJsonObject("probe");
    double ref = probe.getAsJsonObject("reference").get("accuracy").getAsDouble();
    assertEquals(ref, probe.getAsJsonObject("compressed").get("accuracy").getAsDouble());
    assertEquals(0.0, probe.get("differencePoints").getAsDouble());
    // the model against itself: the reference's probe sees identical embeddings
    assertEquals(ref, probe.get("transferAccuracy").getAsDouble());
    assertEquals(1.0, probe.get("agreement").getAsDouble());
    assertEquals(probe.getAsJsonObject("reference").get("c").getAsDouble(),
        probe.getAsJsonObject("compressed").get("c").getAsDouble(), "same embeddings, same cross-validated C");
    assertTrue(ref >= 0.8, "MiniLM embeddings separate ham from spam linearly; probe accuracy " + ref);
    assertTrue(probe.getAsJsonObject("reference").get("converged").getAsBoolean());
    assertEquals(384, j.getAsJsonObject("reference").get("width").getAsInt());
    assertEquals(40, j.getAsJsonObject("train").get("texts").getAsInt());
    JsonObject lat = j.getAsJsonObject("latency");
    assertEquals(2, lat.get("batch").getAsInt());
    assertEquals(16, lat.get("length").getAsInt());
    assertEquals(2, lat.getAsJsonObject("reference").getAsJsonArray("seconds").size());
    assertTrue(lat.get("speedupMean").getAsDouble() > 0);
    assertTrue(r.out().contains("mean 1.000000"), r.out());
    assertTrue(r.out().contains("10 nearest neighbours (cosine, among the test texts) kept: 1.0000"), r.out());
    assertTrue(r.out().contains("probe accuracy, test"), r.out());
    assertTrue(r.err().contains("eval: test split: embedded 20/20 texts with the reference"), r.err());
    try (Stream<Path> files = Files.list(report.getParent())) {
      assertEquals(List.of(report), files.toList(), "no temporary file is left beside the report");
    }
  }

  @Test
  void oneFileIsSplitByTheHashAndLimitIsStratified() throws IOException {
    Path all = dir.resolve("all.jsonl");
    // the subset's train and test texts come from the data script's hash split, so splitting their union gives them back
    Files.writeString(all, Files.readString(SUBSET.resolve("train.jsonl")) + Files.readString(SUBSET.resolve("test.jsonl")));
    Path report = dir.resolve("eval.json");
    CliRun r = run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data", all.toString(),
        "--limit", "12", "--max-length", "32", "--report", report.toString()));
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertEquals(12, j.getAsJsonObject("train").get("texts").getAsInt());
    assertEquals(6, j.getAsJsonObject("train").getAsJsonObject("labels").get("spam").getAsInt());
    assertEquals(12, j.getAsJsonObject("test").get("texts").getAsInt());
    assertTrue(j.get("latency") == null || j.get("latency").isJsonNull());
  }

  private void assertFails(CliRun r, String code, String... fragments) {
    assertEquals(ExitCodes.FAILURE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains(code), r.err());
    assertTrue(r.err().contains("Fix: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), f + " missing from " + r.err());
    }
  }

  @Test
  void badDataIsACodedError() throws IOException {
    String train = SUBSET.resolve("train.jsonl").toString();
    assertFails(run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data",
        dir.resolve("absent.jsonl").toString(), "--train", train)), "STRUCTURA-F002", "no such file");
    Path unlabeled = Files.writeString(dir.resolve("u.jsonl"), "{\"text\": \"a\"}\n{\"text\": \"b\", \"label\": \"ham\"}\n");
    assertFails(run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data", unlabeled.toString(),
        "--train", train)), "STRUCTURA-F002", "1 of 2 texts have no label");
    Path plain = Files.writeString(dir.resolve("p.txt"), "just text\n");
    assertFails(run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data", plain.toString(),
        "--train", train)), "STRUCTURA-F002", "the file is unlabeled");
    Path oneClass = Files.writeString(dir.resolve("one.jsonl"), "{\"text\": \"a\", \"label\": \"ham\"}\n{\"text\": \"b\", \"label\": \"ham\"}\n");
    assertFails(run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data",
        SUBSET.resolve("test.jsonl").toString(), "--train", oneClass.toString())), "STRUCTURA-F002", "single class");
    Path broken = Files.writeString(dir.resolve("b.jsonl"), "{\"text\": \"a\", \"label\": \"ham\"}\n{\"text\": \n");
    assertFails(run(args("--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--data", broken.toString(),
        "--train", train)), "STRUCTURA-F002", "line 2");
  }

  @Test
  void badModelsAreCodedErrors() throws IOException {
    String[] data = {"--data", SUBSET.resolve("test.jsonl").toString(), "--train", SUBSET.resolve("train.jsonl").toString()};
    Path narrow = dir.resolve("narrow.onnx");
    OnnxWriter.writeBert(RandomNetworks.bert(5, 30522, 2, 4, 16, 1), narrow);   // 8 wide, 64 positions
    List<String> a = new ArrayList<>(List.of("--model", narrow.toString(), "--reference", "all-minilm-l6-v2", "--max-length", "32"));
    a.addAll(List.of(data));
    assertFails(run(args(a.toArray(String[]::new))), "STRUCTURA-A002", "8 wide", "384");
    Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "not a model");
    a.set(1, garbage.toString());
    assertFails(run(args(a.toArray(String[]::new))), "STRUCTURA-F001", "ONNX Runtime cannot load the model");
    a.set(1, dir.resolve("absent.onnx").toString());
    assertFails(run(args(a.toArray(String[]::new))), "STRUCTURA-F001");
  }

  @Test
  void badNumbersAreUsageErrorsAndHelpWorks() {
    String[] common = {"--model", "m", "--reference", "r", "--data", "d.jsonl"};
    List<String> a = new ArrayList<>(List.of(common));
    a.addAll(List.of("--limit", "1"));
    assertEquals(ExitCodes.USAGE, run(args(a.toArray(String[]::new))).exit());
    for (String[] bad : new String[][] {{"--max-length", "1"}, {"--probe-c", "0"}, {"--probe-c", "often"}, {"--latency-batch", "0"},
        {"--latency-iterations", "-1"}, {"--batch-size", "0"}, {"--pooling", "max"}}) {
      List<String> b = new ArrayList<>(List.of(common));
      b.addAll(List.of(bad));
      CliRun r = run(args(b.toArray(String[]::new)));
      assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", bad));
      assertTrue(r.err().contains(bad[0]), r.err());
    }
    assertEquals(ExitCodes.USAGE, run("--threads", "0", "eval", "--model", "m", "--reference", "r", "--data", "d.jsonl").exit());
    CliRun help = run("eval", "--help");
    assertEquals(ExitCodes.OK, help.exit());
    assertTrue(help.out().contains("--latency-batch"), help.out());
  }

  @Test
  void theReferenceCacheEmbedsTheOriginalOnceAndGivesTheSameReport() throws Exception {
    Path cache = dir.resolve("cache");
    String[] common = {"--model", "all-minilm-l6-v2", "--reference", "all-minilm-l6-v2", "--probe-c", "1",
        "--data", SUBSET.resolve("test.jsonl").toString(), "--train", SUBSET.resolve("train.jsonl").toString(),
        "--reference-cache", cache.toString()};
    List<JsonObject> reports = new ArrayList<>();
    List<String> errs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path report = dir.resolve("run" + i + ".json");
      List<String> a = new ArrayList<>(List.of(common));
      a.addAll(List.of("--report", report.toString()));
      CliRun r = run(args(a.toArray(String[]::new)));
      assertEquals(ExitCodes.OK, r.exit(), r.err());
      reports.add(JsonParser.parseString(Files.readString(report)).getAsJsonObject());
      errs.add(r.err());
    }
    assertTrue(errs.get(0).contains("test split: embedded 20/20 texts with the reference"), errs.get(0));
    assertFalse(errs.get(1).contains("with the reference"), "second run: from the cache\n" + errs.get(1));
    assertTrue(errs.get(1).contains("the reference's embeddings of 20 texts from"), errs.get(1));
    try (Stream<Path> files = Files.list(cache)) {
      assertEquals(2, files.filter(f -> f.toString().endsWith(".f32")).count(), "one entry per split, no temporary file");
    }
    for (String part : new String[] {"fidelity", "geometry", "probe"}) {
      assertEquals(reports.get(0).get(part), reports.get(1).get(part), part);
    }
  }

  @Test
  void aReferenceGivenByPathIsPooledAsTheUserSaysAndResultsReadsTheReportWithoutLatency() throws Exception {
    // the zoo's MiniLM by path: a path carries no pooling of its own, so auto would take mean
    Path reference = ModelZoo.resolve("all-minilm-l6-v2").model();
    Path tokenizer = ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow();
    Path report = dir.resolve("m-0.5.eval.json");
    CliRun r = run(args("--model", "all-minilm-l6-v2", "--reference", reference.toString(), "--tokenizer", tokenizer.toString(),
        "--pooling", "cls", "--data", SUBSET.resolve("test.jsonl").toString(), "--train", SUBSET.resolve("train.jsonl").toString(),
        "--report", report.toString()));
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().contains("cls pooling"), r.out());
    String text = Files.readString(report);
    assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
    JsonObject j = CompressOutputsTest.strictJson(report);
    assertEquals("cls", j.get("pooling").getAsString());
    assertEquals("cls", j.getAsJsonObject("options").get("pooling").getAsString());
    assertTrue(j.get("latency").isJsonNull(), "--latency-iterations 0: no latency");
    assertEquals(1.0, j.getAsJsonObject("fidelity").get("mean").getAsDouble(), 1e-5);
    assertFalse(j.getAsJsonObject("tool").get("version").getAsString().isBlank());
    JsonObject referenceInput = j.getAsJsonArray("inputs").get(1).getAsJsonObject();
    assertEquals("--reference", referenceInput.get("option").getAsString());
    assertEquals(CompressOutputsTest.sha256(reference), referenceInput.get("sha256").getAsString());

    // results tabulates it beside a compress report, the latency column marked as not measured
    Files.writeString(dir.resolve("m-0.5.compress.json"), """
        {"method": "m", "macsBefore": 1000, "macsAfter": 500, "blockParametersBefore": 200, "blockParametersAfter": 100,
         "stageSeconds": {"total": 3.0}}
        """);
    CliRun results = run("results", "--dir", dir.toString());
    assertEquals(ExitCodes.OK, results.exit(), results.err());
    assertTrue(results.out().contains("| m | 0.50 | 0.500 | 0.500 | 1.0000 |"), results.out());
    assertTrue(results.out().contains("| not measured | - | 3.0 |"), results.out());
  }
}
