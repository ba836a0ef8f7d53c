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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.nn.TransformerNetwork;
import structura.formats.ModelZoo;
import structura.formats.OnnxWriter;
import structura.formats.Safetensors;
import structura.testkit.FileTreeSnapshot;
import structura.testkit.RandomNetworks;

/**
 * Issue 19 end to end: no command deletes or overwrites a file it did not create, outputs are
 * checked against inputs and each other before any work, a failed run commits nothing and leaves
 * no temporaries, and bad input (NaN weights, config.json types, --threads, a directory as
 * calibration, an empty model) ends in a coded error. Every file lives in a temporary folder, the
 * inputs too, so a regression could only damage copies; after each refused run the whole folder
 * is compared with a snapshot taken before it.
 */
class OutputSafetyTest {
  static final Path SUBSET = Path.of("src/test/resources/spam-assassin-subset");

  @TempDir
  Path dir;

  Path stModel;
  Path onnxModel;
  Path tokenizer;
  Path calibration;
  Path train;
  Path test;
  Path sentinels;
  Map<String, String> before;

  @BeforeEach
  void inputs() throws IOException {
    Path tok = ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow();
    TransformerNetwork tiny = RandomNetworks.bert(7, 30522, 2, 4, 16, 1);
    stModel = dir.resolve("models/tiny");
    Safetensors.write(tiny, stModel);
    Files.copy(tok, stModel.resolve("tokenizer.json"));
    onnxModel = dir.resolve("onnx/tiny.onnx");
    OnnxWriter.writeBert(tiny, onnxModel);
    tokenizer = Files.copy(tok, dir.resolve("onnx/tokenizer.json"));
    calibration = Files.copy(SUBSET.resolve("train.jsonl"), Files.createDirectories(dir.resolve("data")).resolve("calibration.jsonl"));
    train = calibration;
    test = Files.copy(SUBSET.resolve("test.jsonl"), dir.resolve("data/test.jsonl"));
    sentinels = Files.createDirectories(dir.resolve("sentinels/nested"));
    Files.writeString(sentinels.resolve("c.txt"), "nested sentinel");
    sentinels = sentinels.getParent();
    Files.writeString(sentinels.resolve("a.txt"), "sentinel a");
    Files.write(sentinels.resolve("b.bin"), new byte[] {0, 1, 2, 3});
    Files.writeString(sentinels.resolve(".hidden"), "hidden sentinel");
    before = FileTreeSnapshot.of(dir);
  }

  private static CliRun run(String command, List<String> args) {
    List<String> a = new ArrayList<>(List.of("--threads", "1", command));
    a.addAll(args);
    return CliRun.of(a.toArray(String[]::new));
  }

  private List<String> compress(String... extra) {
    List<String> a = new ArrayList<>(List.of("--model", stModel.toString(), "--method", "magnitude", "--keep-heads", "0.5",
        "--samples", "8", "--max-length", "16"));
    List<String> more = Arrays.asList(extra);
    if (!more.contains("--keep-neurons")) {
      a.addAll(List.of("--keep-neurons", "0.5"));
    }
    if (!more.contains("--calibration")) {
      a.addAll(List.of("--calibration", calibration.toString()));
    }
    a.addAll(more);
    return a;
  }

  /** Exit 2, a coded message with its fix and the fragments, no stack trace, and the folder exactly as before. */
  private void refused(CliRun r, String... fragments) {
    assertEquals(ExitCodes.FAILURE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-"), r.err());
    assertTrue(r.err().contains("Fix: "), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), f + " missing from " + r.err());
    }
    assertEquals(before, FileTreeSnapshot.of(dir), "every pre-existing file unchanged, nothing new, no temporaries");
  }

  @Test
  void outAtTheParentOfTheInputModelIsRefusedAndNothingIsDeleted() {
    refused(run("compress", compress("--out", stModel.getParent().toString())), "STRUCTURA-O001", "--out",
        "contains the input --model");
    refused(run("compress", compress("--out", dir.toString(), "--force")), "STRUCTURA-O001", "contains the input");
    refused(run("compress", compress("--out", stModel.resolve("../tiny/.").toString())), "STRUCTURA-O001",
        "is the input --model");
  }

  @Test
  void outAtTheWorkingDirectoryIsRefused() {
    // `cd somedir && structura compress ... --out .` wiped the folder; here "." is the cli module folder
    Path cwd = Path.of("").toAbsolutePath();
    CliRun r = run("compress", compress("--out", "."));
    assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
    assertTrue(r.err().contains("STRUCTURA-O002") && r.err().contains("not a previous Structura output"), r.err());
    assertFalse(Files.exists(cwd.resolve(".structura-output")));
    assertTrue(Files.isRegularFile(cwd.resolve("pom.xml")));
  }

  @Test
  void reportAndPlotMayBeNoInputAndNoOtherOutput() {
    Path out = dir.resolve("out/small");
    refused(run("compress", compress("--out", out.toString(), "--report", out.toString())), "--report", "is the output --out");
    refused(run("compress", compress("--out", out.toString(), "--report", stModel.resolve("model.safetensors").toString())),
        "--report", "lies inside the input --model");
    refused(run("compress", compress("--out", out.toString(), "--report", calibration.toString(), "--force")),
        "--report", "is the input --calibration");
    refused(run("compress", compress("--out", out.toString(), "--plot", out.resolve("plot.png").toString())),
        "--plot", "lies inside the output --out");
    refused(run("compress", compress("--out", out.toString(), "--report", dir.resolve("r.json").toString(),
        "--plot", dir.resolve("data/../r.json").toString())), "--plot", "is the output --report");
  }

  @Test
  void anUnwritableReportFailsBeforeTheWorkAndTheExistingOutputSurvives() throws IOException {
    Path out = dir.resolve("out/small");
    CliRun first = run("compress", compress("--out", out.toString()));
    assertEquals(ExitCodes.OK, first.exit(), first.err());
    before = FileTreeSnapshot.of(dir);
    CliRun r = run("compress", compress("--out", out.toString(), "--force", "--report",
        sentinels.resolve("a.txt/report.json").toString()));
    refused(r, "STRUCTURA-O003", "--report", "is a file, not a directory");
    assertFalse(r.out().contains("Wrote"), r.out());
    assertFalse(r.err().contains("Compressing"), "checked before any work: " + r.err());
    if (Files.isDirectory(Path.of("/proc/self"))) {
      refused(run("compress", compress("--out", out.toString(), "--force", "--plot", "/proc/self/widths.png")),
          "STRUCTURA-O003", "cannot create files in /proc");
    }
  }

  @Test
  void existingOutputsAreReplacedOnlyWhenTheyAreOursAndForced() throws IOException {
    refused(run("compress", compress("--out", sentinels.toString())), "STRUCTURA-O002", "not a previous Structura output");
    refused(run("compress", compress("--out", sentinels.toString(), "--force")), "STRUCTURA-O002");
    Path out = dir.resolve("out/small");
    Path report = dir.resolve("out/report.json");
    CliRun first = run("compress", compress("--out", out.toString(), "--report", report.toString()));
    assertEquals(ExitCodes.OK, first.exit(), first.err());
    assertTrue(Files.isRegularFile(out.resolve(".structura-output")));
    Files.writeString(out.resolve("README.md"), "the user's notes in our output folder");
    before = FileTreeSnapshot.of(dir);
    refused(run("compress", compress("--out", out.toString(), "--report", report.toString())), "STRUCTURA-O002", "--force");
    CliRun forced = run("compress", compress("--out", out.toString(), "--report", report.toString(), "--force",
        "--keep-neurons", "0.75"));
    assertEquals(ExitCodes.OK, forced.exit(), forced.err());
    assertEquals("the user's notes in our output folder", Files.readString(out.resolve("README.md")));
    JsonObject j = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertTrue(j.get("budget").getAsString().contains("0.75"), "the second run's report: " + j.get("budget"));
    assertEquals(List.of(), FileTreeSnapshot.named(dir, ".structura-tmp-"));
    Map<String, String> after = FileTreeSnapshot.of(dir);
    before.forEach((k, v) -> {
      if (!k.startsWith("out")) {
        assertEquals(v, after.get(k), k + " is not an output and must be unchanged");
      }
    });
  }

  @Test
  void nonFiniteWeightsStopMagnitudePruningNamingTheTensor() throws IOException {
    TransformerNetwork bad = RandomNetworks.bert(8, 30522, 2, 4, 16, 1);
    bad.blocks().get(0).mlp().up().weight().set(1, 1, Float.NaN);
    Path st = dir.resolve("bad-st");
    Safetensors.write(bad, st);
    Path onnx = dir.resolve("bad.onnx");
    OnnxWriter.writeBert(bad, onnx);
    before = FileTreeSnapshot.of(dir);
    for (Path model : List.of(st, onnx)) {
      List<String> a = compress("--out", dir.resolve("never.onnx").toString(), "--tokenizer", tokenizer.toString());
      a.set(1, model.toString());
      refused(run("compress", a), "STRUCTURA-F001", "encoder.layer.0.intermediate.dense", "non-finite");
    }
  }

  @Test
  void configJsonTypesAreCheckedNamingTheKey() throws IOException {
    Path config = stModel.resolve("config.json");
    Files.writeString(config, Files.readString(config).replaceFirst("\"num_hidden_layers\": 1", "\"num_hidden_layers\": 6.5"));
    before = FileTreeSnapshot.of(dir);
    refused(run("compress", compress("--out", dir.resolve("o").toString())), "STRUCTURA-F001", config.toString(),
        "'num_hidden_layers' is 6.5");
  }

  @Test
  void smallerGaps() throws IOException {
    refused(run("compress", compress("--out", dir.resolve("o.onnx").toString(), "--calibration", dir.resolve("data").toString())),
        "STRUCTURA-F002", "is a directory");
    Path empty = Files.createFile(dir.resolve("onnx/empty.onnx"));
    before = FileTreeSnapshot.of(dir);
    List<String> a = compress("--out", dir.resolve("o.onnx").toString());
    a.set(1, empty.toString());
    refused(run("compress", a), "STRUCTURA-F001", "empty file");
  }

  @Test
  void threadsHaveAnUpperBound() {
    for (List<String> command : List.of(List.of("compress"), List.of("backends"),
        List.of("eval", "--model", "m.onnx", "--reference", "r.onnx", "--data", "d.jsonl"))) {
      List<String> a = new ArrayList<>(List.of("--threads", "100000"));
      a.addAll(command);
      CliRun r = CliRun.of(a.toArray(String[]::new));
      assertEquals(ExitCodes.FAILURE, r.exit(), command + ": " + r.err());
      assertTrue(r.err().contains("STRUCTURA-C001") && r.err().contains("at most 1024"), r.err());
      assertFalse(r.err().contains("OutOfMemoryError"), r.err());
    }
  }

  private List<String> eval(String... extra) {
    List<String> a = new ArrayList<>(List.of("--model", onnxModel.toString(), "--reference", onnxModel.toString(),
        "--tokenizer", tokenizer.toString(), "--data", test.toString(), "--train", train.toString(), "--limit", "10",
        "--max-length", "32", "--latency-iterations", "0"));
    a.addAll(Arrays.asList(extra));
    return a;
  }

  @Test
  void evalReportMayBeNoInput() {
    refused(run("eval", eval("--report", onnxModel.toString())), "STRUCTURA-O001", "is the input --model");
    refused(run("eval", eval("--report", test.toString(), "--force")), "STRUCTURA-O001", "is the input --data");
    refused(run("eval", eval("--report", train.toString())), "STRUCTURA-O001", "is the input");
  }

  @Test
  void aNanFoundDuringEvalNamesTheModel() throws IOException {
    TransformerNetwork bad = RandomNetworks.bert(7, 30522, 2, 4, 16, 1);
    bad.blocks().get(0).mlp().up().bias().set(0, 3, Float.NaN); // read unchecked by ONNX Runtime, not by our reader
    Path badOnnx = dir.resolve("onnx/nan.onnx");
    OnnxWriter.writeBert(bad, badOnnx);
    before = FileTreeSnapshot.of(dir);
    List<String> a = eval("--report", dir.resolve("eval.json").toString());
    a.set(1, badOnnx.toString());
    refused(run("eval", a), "STRUCTURA-A006", "--model " + badOnnx, "non-finite embedding");
  }

  /**
   * Every command, every output option, pointed at a folder of sentinels, at each input and at each
   * other output, with and without --force: each run is refused and leaves the folder as it was.
   */
  @Test
  void noCommandDeletesAFileItDidNotCreate() throws IOException {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("stat-0.5.compress.json"), "{}");
    Files.writeString(results.resolve("stat-0.5.eval.json"), "{}");
    before = FileTreeSnapshot.of(dir);
    Path fresh = dir.resolve("fresh/out.onnx");

    Map<String, Path> compressInputs = new LinkedHashMap<>();
    compressInputs.put("--model", stModel);
    compressInputs.put("--calibration", calibration);
    compressInputs.put("--tokenizer", tokenizer);
    List<String> compressOutputs = List.of("--out", "--report", "--plot");
    int runs = 0;
    for (String option : compressOutputs) {
      List<Path> targets = new ArrayList<>(List.of(sentinels, sentinels.resolve("a.txt")));
      targets.addAll(compressInputs.values());
      targets.add(stModel.resolve("model.safetensors"));
      for (Path target : targets) {
        for (boolean force : new boolean[] {false, true}) {
          if (force && !option.equals("--out") && target.equals(sentinels.resolve("a.txt"))) {
            continue; // an explicit --force on an existing file output replaces it, as asked
          }
          Map<String, String> outs = new LinkedHashMap<>(Map.of("--out", dir.resolve("fresh/o").toString()));
          outs.put(option, target.toString());
          List<String> a = compress("--tokenizer", tokenizer.toString());
          outs.forEach((k, v) -> a.addAll(List.of(k, v)));
          if (force) {
            a.add("--force");
          }
          refused(run("compress", a), "STRUCTURA-O00");
          runs++;
        }
      }
      for (String other : compressOutputs) {
        if (!other.equals(option)) {
          List<String> a = compress("--tokenizer", tokenizer.toString(), option, fresh.toString(), other, fresh.toString());
          if (!a.contains("--out")) {
            a.addAll(List.of("--out", dir.resolve("fresh/o").toString()));
          }
          refused(run("compress", a), "STRUCTURA-O001");
          runs++;
        }
      }
    }
    for (Path target : List.of(sentinels, sentinels.resolve("a.txt"), onnxModel, tokenizer, test, train)) {
      for (boolean force : new boolean[] {false, true}) {
        if (force && target.equals(sentinels.resolve("a.txt"))) {
          continue; // an explicit --force on an existing report file replaces it, as asked
        }
        List<String> a = eval("--report", target.toString());
        if (force) {
          a.add("--force");
        }
        refused(run("eval", a), "STRUCTURA-O00");
        runs++;
      }
    }
    for (Path target : List.of(sentinels, results, results.resolve("stat-0.5.eval.json"), results.resolve("stat-0.5.compress.json"))) {
      refused(run("results", List.of("--dir", results.toString(), "--plot", target.toString(), "--force")), "STRUCTURA-O00");
      runs++;
    }
    assertTrue(runs >= 50, runs + " refused runs");
  }

  @Test
  void pcaKernelGpAndBenchNeverTouchInputsOrSentinels() throws IOException {
    StringBuilder csv = new StringBuilder();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 40; i++) {
      csv.append(rnd.nextDouble()).append(',').append(rnd.nextDouble()).append(',').append(rnd.nextDouble()).append('\n');
    }
    Path points = Files.writeString(dir.resolve("data/points.csv"), csv);
    Path points2 = Files.writeString(dir.resolve("data/points2.csv"), csv);
    before = FileTreeSnapshot.of(dir);
    Path fresh = dir.resolve("fresh/out.json");
    // each command with its own inputs: output option -> the command line without it
    Map<String, List<String>> pca = Map.of("--out", List.of("pca", "--input", points.toString(), "--rank", "1", "--partitions", "2"),
        "--json", List.of("pca", "--input", points.toString(), "--rank", "1", "--partitions", "2"));
    List<List<String>> commands = new ArrayList<>();
    pca.forEach((option, c) -> commands.add(concat(c, List.of(option))));
    commands.add(List.of("kernel", "mvm", "--points", points.toString(), "--lengthscale", "0.5", "--json"));
    commands.add(List.of("gp", "--train", points.toString(), "--test", points2.toString(), "--json"));
    commands.add(List.of("bench", "structured", "--size", "64", "--json"));
    int runs = 0;
    for (List<String> c : commands) {
      List<Path> targets = new ArrayList<>(List.of(sentinels, sentinels.resolve("a.txt")));
      for (Path input : List.of(points, points2)) {
        if (c.contains(input.toString())) {
          targets.add(input);
        }
      }
      for (Path target : targets) {
        for (boolean force : new boolean[] {false, true}) {
          if (force && target.equals(sentinels.resolve("a.txt"))) {
            continue; // an explicit --force on an existing file output replaces it, as asked
          }
          List<String> a = new ArrayList<>(c.subList(1, c.size()));
          a.add(target.toString());
          if (force) {
            a.add("--force");
          }
          refused(run(c.get(0), a), "STRUCTURA-O00");
          runs++;
        }
      }
    }
    refused(run("pca", List.of("--input", points.toString(), "--rank", "1", "--partitions", "2",
        "--out", fresh.toString(), "--json", fresh.toString())), "STRUCTURA-O001");
    assertTrue(runs >= 20, runs + " refused runs");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
