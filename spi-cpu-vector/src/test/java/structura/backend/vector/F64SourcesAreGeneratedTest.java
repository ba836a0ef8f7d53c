package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed F64 engines are exactly what {@link F64SourceGenerator} makes of the F32 ones,
 * so an edit to one copy only fails the build.
 */
class F64SourcesAreGeneratedTest {
  private static final Path DIR = F64SourceGenerator.SOURCES;

  @Test
  void committedF64SourcesEqualTheGeneratorsOutput() throws IOException {
    Map<String, String> generated = F64SourceGenerator.generate(DIR);
    assertEquals(2, generated.size());
    for (Map.Entry<String, String> e : generated.entrySet()) {
      String committed = Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8);
      assertTrue(e.getValue().equals(committed), () -> e.getKey() + " is not the generator's output ("
          + firstDifference(e.getValue(), committed) + "): edit the F32 source and run spi-cpu-vector/generate-f64.sh");
    }
  }

  @Test
  void theGeneratedSourcesAreDoublePrecisionThroughout() throws IOException {
    for (Map.Entry<String, String> e : F64SourceGenerator.generate(DIR).entrySet()) {
      String code = e.getValue();
      assertTrue(code.contains("Generated from {@code F32"), e.getKey() + " carries the do-not-edit note");
      assertFalse(code.contains("float"), e.getKey());
      // outside the do-not-edit note, which names its source
      String body = code.replaceAll("Generated from \\{@code F32\\w+\\.java}", "");
      assertFalse(body.contains("F32Gemm") || body.contains("F32Vectors"), e.getKey() + " names an F32 class");
    }
  }

  @Test
  void anEditToTheF32SourceChangesTheExpectedF64Source() throws IOException {
    String f32 = Files.readString(DIR.resolve("F32Vectors.java"), StandardCharsets.UTF_8);
    String edited = f32.replace("CHUNK = 1 << 14", "CHUNK = 1 << 13");
    assertNotEquals(f32, edited, "the edit must apply");
    assertNotEquals(F64SourceGenerator.translate(f32, "F32Vectors"), F64SourceGenerator.translate(edited, "F32Vectors"));
  }

  @Test
  void anF32SourceWithoutItsTwinNoteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> F64SourceGenerator.translate("final class F32Gemm {}", "F32Gemm"));
  }

  /** Where two texts first differ, by line, so that a failure names the edit instead of printing both files. */
  private static String firstDifference(String want, String got) {
    String[] w = want.split("\n", -1);
    String[] g = got.split("\n", -1);
    for (int i = 0; i < Math.min(w.length, g.length); i++) {
      if (!w[i].equals(g[i])) {
        return "line " + (i + 1) + ": generated \"" + w[i].strip() + "\", committed \"" + g[i].strip() + "\"";
      }
    }
    return "generated " + w.length + " lines, committed " + g.length;
  }
}
