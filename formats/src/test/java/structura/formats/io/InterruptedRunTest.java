package structura.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.testkit.FileTreeSnapshot;

/**
 * A run stopped by SIGTERM (what {@link Process#destroy} sends; SIGINT takes the same shutdown
 * path) removes its temporaries through the shutdown hook; one killed with SIGKILL leaves them,
 * and the next run to the same destination removes them.
 */
class InterruptedRunTest {
  @TempDir
  Path dir;

  private Process stage(Path target) throws Exception {
    String cp = String.join(File.pathSeparator, System.getProperty("jdk.module.path", ""),
        System.getProperty("java.class.path", ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", cp, StagingChild.class.getName(), target.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("staged", out.readLine(), "the child stages its output");
    return p;
  }

  @Test
  void sigtermRemovesTheTemporaries() throws Exception {
    Path target = dir.resolve("model.onnx");
    Process p = stage(target);
    assertEquals(1, FileTreeSnapshot.named(dir, Temporaries.INFIX).size(), "the temporary exists while the run works");
    p.destroy();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(List.of(), FileTreeSnapshot.named(dir, Temporaries.INFIX));
    assertFalse(Files.exists(target));
  }

  @Test
  void sigkillLeavesThemForTheNextRunToRemove() throws Exception {
    Path target = dir.resolve("model.onnx");
    Process p = stage(target);
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(1, FileTreeSnapshot.named(dir, Temporaries.INFIX).size());
    try (OutputTransaction tx = new OutputTransaction(false)) {
      tx.write(target, o -> o.write(7));
      tx.commit();
    }
    assertEquals(List.of(), FileTreeSnapshot.named(dir, Temporaries.INFIX));
    assertEquals(1, Files.size(target));
  }
}
