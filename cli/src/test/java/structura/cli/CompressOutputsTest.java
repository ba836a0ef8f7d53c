package structura.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.formats.ModelZoo;
import structura.formats.Safetensors;
import structura.testkit.RandomNetworks;

/**
 * What {@code structura compress} leaves on disk beyond the model: a report that is strict JSON
 * and says how to reproduce the run, the usual file permissions, and a tokenizer per ONNX model.
 * On a random 2-block BERT (4 heads of 8, FFN 64) with MiniLM's tokenizer, so each run takes seconds.
 */
class CompressOutputsTest {
  @TempDir
  Path dir;

  private Path model;
  private Path zooTokenizer;

  @BeforeEach
  void tinyModel() throws IOException {
    model = dir.resolve("tiny");
    Safetensors.write(RandomNetworks.bert(7, 30522, 4, 8, 64, 2), model);
    zooTokenizer = ModelZoo.resolve(CompressCommandTest.MODEL).tokenizer().orElseThrow();
    Files.copy(zooTokenizer, model.resolve("tokenizer.json"));
  }

  private static CliRun compress(String... args) {
    List<String> a = new ArrayList<>(List.of("--threads", "1", "compress", "--calibration", CompressCommandTest.TRAIN,
        "--samples", "40", "--max-length", "32"));
    a.addAll(List.of(args));
    return CliRun.of(a.toArray(String[]::new));
  }

  /** Parses strictly: NaN and Infinity, which Gson's lenient JsonParser would accept, are errors. */
  static JsonObject strictJson(Path file) throws IOException {
    try (JsonReader reader = new JsonReader(new StringReader(Files.readString(file)))) {
      return new Gson().getAdapter(JsonElement.class).read(reader).getAsJsonObject();
    }
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void theReportIsStrictJsonWithNullsAndSaysHowToReproduceTheRun() throws Exception {
    Path report = dir.resolve("report.json");
    Instant before = Instant.now();
    CliRun r = compress("--model", model.toString(), "--method", "magnitude", "--target", "0.5",
        "--out", dir.resolve("small.onnx").toString(), "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    String text = Files.readString(report);
    assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
    JsonObject j = strictJson(report);
    // the fields results and the docs read are still there
    assertEquals("magnitude", j.get("method").getAsString());
    assertTrue(j.get("macsAfter").getAsDouble() < j.get("macsBefore").getAsDouble());
    assertEquals(40, j.get("calibrationTexts").getAsInt());
    // magnitude measures no calibration error: NaN in the record, null in JSON
    JsonObject block = j.getAsJsonArray("blocks").get(0).getAsJsonObject();
    assertTrue(block.get("attentionError").isJsonNull() && block.get("ffnError").isJsonNull(), block.toString());

    String version = j.getAsJsonObject("tool").get("version").getAsString();
    assertFalse(version.isBlank() || version.contains("${"), version);
    Instant at = Instant.parse(j.get("timestamp").getAsString());
    assertFalse(at.isBefore(before.minusSeconds(1)) || at.isAfter(Instant.now()), at.toString());
    assertTrue(Duration.between(before, at).toMinutes() < 5);

    var inputs = j.getAsJsonArray("inputs");
    assertEquals(3, inputs.size(), inputs.toString());
    JsonObject modelInput = inputs.get(0).getAsJsonObject();
    assertEquals("--model", modelInput.get("option").getAsString());
    assertEquals(sha256(model.resolve("model.safetensors")),
        modelInput.getAsJsonObject("files").get("model.safetensors").getAsString());
    assertEquals(sha256(model.resolve("config.json")), modelInput.getAsJsonObject("files").get("config.json").getAsString());
    JsonObject calibration = inputs.get(2).getAsJsonObject();
    assertEquals("--calibration", calibration.get("option").getAsString());
    assertEquals(sha256(Path.of(CompressCommandTest.TRAIN)), calibration.get("sha256").getAsString());
    assertEquals(sha256(model.resolve("tokenizer.json")), inputs.get(1).getAsJsonObject().get("sha256").getAsString());

    JsonObject options = j.getAsJsonObject("options");
    assertEquals("magnitude", options.get("method").getAsString());
    assertEquals(40, options.get("samples").getAsInt());
    assertEquals(32, options.get("maxLength").getAsInt());
    assertTrue(j.get("seed").isJsonNull(), "magnitude draws no random numbers");
    JsonObject budget = j.getAsJsonObject("budgetSpec");
    assertEquals("macs", budget.get("kind").getAsString());
    assertEquals(0.5, budget.get("fraction").getAsDouble());
  }

  @Test
  void theSeedAndKeepFractionsAreReported() throws Exception {
    Path report = dir.resolve("stat.json");
    CliRun r = compress("--model", model.toString(), "--method", "stat", "--keep-heads", "0.5", "--keep-neurons", "0.75",
        "-o", "seed=5", "--out", dir.resolve("stat").toString(), "--report", report.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    JsonObject j = strictJson(report);
    assertEquals(5, j.get("seed").getAsLong());
    assertEquals("5", j.getAsJsonObject("options").getAsJsonObject("methodOptions").get("seed").getAsString());
    JsonObject budget = j.getAsJsonObject("budgetSpec");
    assertEquals("keep", budget.get("kind").getAsString());
    assertEquals(0.5, budget.get("heads").getAsDouble());
    assertEquals(0.75, budget.get("neurons").getAsDouble());

    Path again = dir.resolve("stat-default.json");
    assertEquals(ExitCodes.OK, compress("--model", model.toString(), "--method", "stat", "--keep-heads", "0.5",
        "--out", dir.resolve("stat-default").toString(), "--report", again.toString()).exit());
    assertEquals(0, strictJson(again).get("seed").getAsLong(), "stat's default seed, as its help states");
  }

  @Test
  void outputsHaveTheUsualPermissionsNotATemporarysPrivateOnes() throws IOException {
    if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
      return;   // no POSIX permissions to check on this file system
    }
    var plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe")));
    var plainDirectory = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("probe-dir")));
    CliRun r = compress("--model", model.toString(), "--method", "magnitude", "--target", "0.5",
        "--out", dir.resolve("out/small.onnx").toString(), "--report", dir.resolve("out/report.json").toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    for (String f : List.of("small.onnx", "small.tokenizer.json", "tokenizer.json", "report.json")) {
      assertEquals(plainFile, Files.getPosixFilePermissions(dir.resolve("out").resolve(f)), f);
    }
    Path st = dir.resolve("st");
    assertEquals(ExitCodes.OK, compress("--model", model.toString(), "--method", "magnitude", "--target", "0.5",
        "--out", st.toString()).exit());
    assertEquals(plainDirectory, Files.getPosixFilePermissions(st));
    for (String f : List.of("model.safetensors", "config.json", "tokenizer.json")) {
      assertEquals(plainFile, Files.getPosixFilePermissions(st.resolve(f)), f);
    }
  }

  @Test
  void aSecondModelInTheSameFolderGetsItsOwnTokenizer() throws IOException {
    Path first = dir.resolve("models/first.onnx");
    Path second = dir.resolve("models/second.onnx");
    // the same vocabulary written differently: which file was copied shows in its bytes
    Path otherTokenizer = Files.writeString(dir.resolve("other-tokenizer.json"), "  " + Files.readString(zooTokenizer) + "\n");
    assertEquals(ExitCodes.OK, compress("--model", model.toString(), "--method", "magnitude", "--target", "0.5",
        "--out", first.toString()).exit());
    CliRun r = compress("--model", model.toString(), "--method", "magnitude", "--target", "0.5",
        "--tokenizer", otherTokenizer.toString(), "--out", second.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    byte[] zoo = Files.readAllBytes(zooTokenizer);
    byte[] other = Files.readAllBytes(otherTokenizer);
    assertArrayEquals(zoo, Files.readAllBytes(dir.resolve("models/first.tokenizer.json")));
    assertArrayEquals(other, Files.readAllBytes(dir.resolve("models/second.tokenizer.json")));
    assertArrayEquals(zoo, Files.readAllBytes(dir.resolve("models/tokenizer.json")), "the shared file is left as it was");
    // readers (eval, compress) take each model's own tokenizer
    assertEquals(dir.resolve("models/second.tokenizer.json"), ModelZoo.resolve(second.toString()).tokenizer().orElseThrow());
    assertEquals(dir.resolve("models/first.tokenizer.json"), ModelZoo.resolve(first.toString()).tokenizer().orElseThrow());
  }
}
