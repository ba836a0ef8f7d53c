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
import structura.formats.ModelZoo;
import structura.formats.Safetensors;
import structura.testkit.RandomNetworks;

/** {@code structura spectra} end to end on a tiny random BERT and the labelled SpamAssassin subset. */
class SpectraCommandTest {
  @TempDir
  Path dir;

  private Path model;

  @BeforeEach
  void tinyModel() throws IOException {
    model = dir.resolve("tiny");
    Safetensors.write(RandomNetworks.bert(7, 30522, 4, 8, 64, 2), model);
    Files.copy(ModelZoo.resolve(CompressCommandTest.MODEL).tokenizer().orElseThrow(), model.resolve("tokenizer.json"));
  }

  @Test
  void writesEveryLayerAndClassSpectrumAsJsonAndAPlot() throws Exception {
    Path json = dir.resolve("spectra.json");
    Path png = dir.resolve("spectra.png");
    CliRun run = CliRun.of("--threads", "1", "spectra", "--model", model.toString(), "--data", CompressCommandTest.TRAIN,
        "--samples", "24", "--max-length", "24", "--batch-size", "8", "--json", json.toString(), "--plot", png.toString());
    assertEquals(0, run.exit(), run.err());
    JsonObject r = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(2, r.getAsJsonArray("layers").size());
    JsonObject first = r.getAsJsonArray("layers").get(0).getAsJsonObject();
    assertEquals(32, first.getAsJsonObject("hidden").getAsJsonArray("eigenvalues").size());
    assertEquals(64, first.getAsJsonObject("ffn").getAsJsonArray("eigenvalues").size());
    double er = first.getAsJsonObject("ffn").get("effective_rank").getAsDouble();
    assertTrue(er > 1 && er <= 64, "effective rank " + er);
    JsonObject classes = r.getAsJsonObject("classes");
    assertTrue(classes.has("ham") && classes.has("spam"), classes.keySet().toString());
    assertEquals(24, classes.getAsJsonObject("ham").get("count").getAsInt()
        + classes.getAsJsonObject("spam").get("count").getAsInt());
    double imbalance = r.get("class_spectral_imbalance").getAsDouble();
    assertTrue(imbalance > 0 && imbalance <= 2, "imbalance " + imbalance);
    ChartFiles.check(png, "covariance spectrum per block", "eigenvalue index", "block 0", "ham");
    assertTrue(Files.exists(Charts.svgBeside(png)));
    assertTrue(run.out().contains("class spectral imbalance"), run.out());
  }

  @Test
  void samplesAreSpreadOverAFileSortedByClass() {
    java.util.List<structura.formats.LabeledText> sorted = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sorted.add(new structura.formats.LabeledText("text " + i, i < 20 ? "ham" : "spam"));
    }
    var picked = SpectraCommand.spread(sorted, 9);
    assertEquals(9, picked.size());
    assertEquals(6, picked.stream().filter(t -> t.label().equals("ham")).count());
    assertEquals(3, picked.stream().filter(t -> t.label().equals("spam")).count());
    assertEquals(sorted, SpectraCommand.spread(sorted, 30));
  }

  @Test
  void anOutputThatIsAnInputIsRefusedBeforeAnyWork() throws IOException {
    Path data = dir.resolve("texts.jsonl");
    Files.copy(Path.of(CompressCommandTest.TRAIN), data);
    byte[] before = Files.readAllBytes(data);
    CliRun run = CliRun.of("spectra", "--model", model.toString(), "--data", data.toString(), "--json", data.toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("STRUCTURA-O001"), run.err());
    assertEquals(new String(before), Files.readString(data));
    assertFalse(Files.exists(dir.resolve("spectra.png")));
  }
}
