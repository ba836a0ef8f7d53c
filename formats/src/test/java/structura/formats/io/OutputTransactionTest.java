package structura.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.testkit.FileTreeSnapshot;

/** {@link OutputTransaction}: all outputs or none, the replacement rules, and temporaries never left behind. */
class OutputTransactionTest {
  @TempDir
  Path dir;

  private static void text(OutputTransaction tx, Path p, String s) {
    tx.write(p, o -> o.write(s.getBytes(StandardCharsets.UTF_8)));
  }

  private List<String> temporaries() {
    return FileTreeSnapshot.named(dir, Temporaries.INFIX);
  }

  @Test
  void commitPutsEveryOutputInPlaceAndLeavesNoTemporary() throws IOException {
    try (OutputTransaction tx = new OutputTransaction(false)) {
      text(tx, dir.resolve("a.json"), "a");
      text(tx, dir.resolve("new/sub/b.png"), "b");
      Path d = tx.directory(dir.resolve("model"));
      Files.writeString(d.resolve("config.json"), "{}");
      assertFalse(Files.exists(dir.resolve("a.json")), "nothing is in place before the commit");
      tx.commit();
    }
    assertEquals("a", Files.readString(dir.resolve("a.json")));
    assertEquals("b", Files.readString(dir.resolve("new/sub/b.png")));
    assertEquals("{}", Files.readString(dir.resolve("model/config.json")));
    assertEquals(List.of("config.json"), OutputMarker.read(dir.resolve("model")).orElseThrow());
    assertEquals(List.of(), temporaries());
  }

  @Test
  void aFailureBeforeTheCommitLeavesTheFileSystemAsItWas() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "mine");
    Map<String, String> before = FileTreeSnapshot.of(dir);
    RuntimeException boom = new RuntimeException("the later output failed");
    RuntimeException e = assertThrows(RuntimeException.class, () -> {
      try (OutputTransaction tx = new OutputTransaction(true)) {
        text(tx, dir.resolve("x/y/report.json"), "r");
        Path d = tx.directory(dir.resolve("out"));
        Files.writeString(d.resolve("model.safetensors"), "m");
        throw boom;
      }
    });
    assertEquals(boom, e);
    assertEquals(before, FileTreeSnapshot.of(dir), "temporaries and the directories created for them are removed");
  }

  @Test
  void anExistingFileIsReplacedOnlyWithForce() throws IOException {
    Path f = dir.resolve("report.json");
    Files.writeString(f, "user's");
    StructuraException e = assertThrows(StructuraException.class, () -> {
      try (OutputTransaction tx = new OutputTransaction(false)) {
        text(tx, f, "ours");
        tx.commit();
      }
    });
    assertEquals(ErrorCode.OUTPUT_EXISTS, e.code());
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("--force"), e.getMessage());
    assertEquals("user's", Files.readString(f));
    try (OutputTransaction tx = new OutputTransaction(true)) {
      text(tx, f, "ours");
      tx.commit();
    }
    assertEquals("ours", Files.readString(f));
    assertEquals(List.of(), temporaries());
  }

  @Test
  void aNonEmptyDirectoryThatIsNotOurOutputIsNeverWrittenEvenWithForce() throws IOException {
    Path out = dir.resolve("home");
    Files.createDirectory(out);
    Files.writeString(out.resolve("thesis.tex"), "years of work");
    Map<String, String> before = FileTreeSnapshot.of(dir);
    for (boolean force : new boolean[] {false, true}) {
      StructuraException e = assertThrows(StructuraException.class, () -> {
        try (OutputTransaction tx = new OutputTransaction(force)) {
          tx.directory(out);
        }
      });
      assertEquals(ErrorCode.OUTPUT_EXISTS, e.code());
      assertTrue(e.getMessage().contains("not a previous Structura output"), e.getMessage());
    }
    assertEquals(before, FileTreeSnapshot.of(dir));
  }

  @Test
  void forceReplacesOnlyTheFilesAPreviousOutputListed() throws IOException {
    Path out = dir.resolve("model");
    try (OutputTransaction tx = new OutputTransaction(false)) {
      Path d = tx.directory(out);
      Files.writeString(d.resolve("model.safetensors"), "v1");
      Files.writeString(d.resolve("old-only.json"), "v1");
      tx.commit();
    }
    Files.writeString(out.resolve("notes.txt"), "the user's, added later");
    StructuraException e = assertThrows(StructuraException.class, () -> new OutputTransaction(false).directory(out));
    assertTrue(e.getMessage().contains("previous Structura output") && e.getMessage().contains("--force"), e.getMessage());
    try (OutputTransaction tx = new OutputTransaction(true)) {
      Path d = tx.directory(out);
      Files.writeString(d.resolve("model.safetensors"), "v2");
      tx.commit();
    }
    assertEquals("v2", Files.readString(out.resolve("model.safetensors")));
    assertFalse(Files.exists(out.resolve("old-only.json")), "a file the previous run wrote and this one did not is removed");
    assertEquals("the user's, added later", Files.readString(out.resolve("notes.txt")));
    assertEquals(List.of("model.safetensors"), OutputMarker.read(out).orElseThrow());
    // a file of the user's that the new output would replace is refused, even with force
    try (OutputTransaction tx = new OutputTransaction(true)) {
      Path d = tx.directory(out);
      Files.writeString(d.resolve("notes.txt"), "ours");
      StructuraException clash = assertThrows(StructuraException.class, tx::commit);
      assertEquals(ErrorCode.OUTPUT_EXISTS, clash.code());
    }
    assertEquals("the user's, added later", Files.readString(out.resolve("notes.txt")));
    assertEquals(List.of(), temporaries());
  }

  @Test
  void staleTemporariesOfADeadRunAreRemovedOnTheNextRunToTheSamePath() throws IOException {
    Path target = dir.resolve("model.onnx");
    // pid 2^31-2 is above Linux's pid_max, so no live process has it
    Path staleFile = dir.resolve("." + target.getFileName() + Temporaries.INFIX + 2147483646L + "-0123456789abcdef");
    Path staleDir = dir.resolve(".other" + Temporaries.INFIX + 2147483646L + "-0123456789abcdef");
    Files.writeString(staleFile, "47 MB of half-written model");
    Files.createDirectory(staleDir);
    try (OutputTransaction tx = new OutputTransaction(false)) {
      text(tx, target, "m");
      tx.commit();
    }
    assertFalse(Files.exists(staleFile));
    assertTrue(Files.exists(staleDir), "another destination's temporaries are not this run's business");
  }

  @Test
  void companionIsWrittenOnlyWhenAbsent() throws IOException {
    Path tok = dir.resolve("tokenizer.json");
    try (OutputTransaction tx = new OutputTransaction(true)) {
      Files.writeString(tx.fileIfAbsent(tok).orElseThrow(), "first");
      tx.commit();
    }
    try (OutputTransaction tx = new OutputTransaction(true)) {
      assertTrue(tx.fileIfAbsent(tok).isEmpty());
      tx.commit();
    }
    assertEquals("first", Files.readString(tok));
  }

  @Test
  void anUnwritablePlaceIsACodedError() throws IOException {
    Path file = dir.resolve("plain.txt");
    Files.writeString(file, "x");
    StructuraException e = assertThrows(StructuraException.class, () -> OutputTransaction.writeFile(file.resolve("r.json"),
        o -> o.write(1)));
    assertEquals(ErrorCode.OUTPUT_UNWRITABLE, e.code());
    assertEquals("x", Files.readString(file));
  }
}
