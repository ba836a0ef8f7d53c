package structura.formats.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.formats.io.OutputPlan.Shape;
import structura.testkit.FileTreeSnapshot;

/** {@link OutputPlan}: outputs against inputs and each other as resolved paths, and writability, before any work. */
class OutputPlanTest {
  @TempDir
  Path dir;

  Path model;
  Path calibration;
  Map<String, String> before;

  @BeforeEach
  void files() throws IOException {
    model = Files.createDirectories(dir.resolve("models/tiny"));
    Files.writeString(model.resolve("config.json"), "{}");
    Files.writeString(model.resolve("model.safetensors"), "weights");
    calibration = Files.writeString(dir.resolve("cal.jsonl"), "{\"text\": \"hi\"}\n");
    before = FileTreeSnapshot.of(dir);
  }

  private OutputPlan plan() {
    return new OutputPlan(false).input("--model", model).input("--calibration", calibration);
  }

  private StructuraException fails(ErrorCode code, OutputPlan plan, String... fragments) {
    StructuraException e = assertThrows(StructuraException.class, plan::check);
    assertEquals(code, e.code(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), f + " missing from " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
    assertEquals(before, FileTreeSnapshot.of(dir), "a check writes nothing");
    return e;
  }

  @Test
  void anOutputThatIsAnInputIsRefusedHoweverItIsSpelled() throws IOException {
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--report", calibration, Shape.FILE), "--report", "is the input --calibration");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--report", dir.resolve("models/../cal.jsonl"), Shape.FILE), "--calibration");
    Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), calibration);
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--report", link, Shape.FILE), "is the input --calibration");
    Path linkedDir = Files.createSymbolicLink(dir.resolve("m"), model);
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--out", linkedDir, Shape.DIRECTORY), "is the input --model");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--report", linkedDir.resolve("config.json"), Shape.FILE),
        "lies inside the input --model");
  }

  @Test
  void anOutputContainingAnInputIsRefused() {
    // --out . or the parent of the model: the old command wiped it
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--out", dir.resolve("models"), Shape.DIRECTORY), "contains the input --model");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--out", dir, Shape.DIRECTORY), "contains the input");
  }

  @Test
  void outputsMayNotCoincideOrNest() {
    Path out = dir.resolve("out");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--out", out, Shape.DIRECTORY).output("--report", out, Shape.FILE),
        "--report", "is the output --out");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--out", out, Shape.DIRECTORY)
        .output("--plot", out.resolve("w.png"), Shape.FILE), "lies inside the output --out");
    fails(ErrorCode.OUTPUT_CONFLICT, plan().output("--report", dir.resolve("r.json"), Shape.FILE)
        .output("--plot", dir.resolve("./x/../r.json"), Shape.FILE), "--plot");
  }

  @Test
  void aParentThatIsAFileIsFoundBeforeAnyWork() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "a file, not an input");
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_UNWRITABLE, plan().output("--report", notes.resolve("r.json"), Shape.FILE),
        "is a file, not a directory");
    fails(ErrorCode.OUTPUT_UNWRITABLE, plan().output("--report", notes.resolve("a/b/r.json"), Shape.FILE), "notes.txt");
  }

  @Test
  void unwritableSystemPlacesAreFoundBeforeAnyWork() {
    if (Files.isDirectory(Path.of("/proc/self"))) {
      fails(ErrorCode.OUTPUT_UNWRITABLE, plan().output("--plot", Path.of("/proc/self/structura.png"), Shape.FILE),
          "cannot create files in /proc");
    }
  }

  @Test
  void existingTargetsFollowTheReplacementRules() throws IOException {
    Path report = Files.writeString(dir.resolve("report.json"), "old");
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_EXISTS, plan().output("--report", report, Shape.FILE), "exists", "--force");
    assertDoesNotThrow(() -> new OutputPlan(true).input("--model", model).output("--report", report, Shape.FILE).check());
    Path somewhere = Files.createDirectories(dir.resolve("somewhere"));
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_EXISTS, plan().output("--report", somewhere, Shape.FILE), "is a directory");
    fails(ErrorCode.OUTPUT_EXISTS, plan().output("--out", report, Shape.DIRECTORY), "not a directory");
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("a.txt"), "a");
    before = FileTreeSnapshot.of(dir);
    fails(ErrorCode.OUTPUT_EXISTS, new OutputPlan(true).output("--out", other, Shape.DIRECTORY), "not a previous Structura output");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertDoesNotThrow(() -> plan().output("--out", empty, Shape.DIRECTORY).check());
    assertDoesNotThrow(() -> plan().output("--out", dir.resolve("new/deeper"), Shape.DIRECTORY)
        .output("--report", dir.resolve("new/r.json"), Shape.FILE).check());
  }
}
