package structura.backend.opencl.kernels;

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
 * The committed F64 kernels are exactly what {@link F64SourceGenerator} makes of the F32 ones,
 * so an edit to one copy only fails the build.
 */
class F64SourcesAreGeneratedTest {
  private static final Path DIR = F64SourceGenerator.SOURCES;

  @Test
  void committedF64KernelsEqualTheGeneratorsOutput() throws IOException {
    Map<String, String> generated = F64SourceGenerator.generate(DIR);
    assertEquals(F64SourceGenerator.KERNELS.size(), generated.size());
    for (Map.Entry<String, String> e : generated.entrySet()) {
      String committed = Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8);
      assertTrue(e.getValue().equals(committed), () -> e.getKey() + " is not the generator's output ("
          + firstDifference(e.getValue(), committed) + "): edit the F32 kernel and run spi-opencl/generate-f64.sh");
    }
  }

  @Test
  void theGeneratedKernelsAreDoublePrecisionThroughout() throws IOException {
    for (Map.Entry<String, String> e : F64SourceGenerator.generate(DIR).entrySet()) {
      String code = e.getValue();
      assertTrue(code.contains("Generated from {@code F32"), e.getKey() + " carries the do-not-edit note");
      assertFalse(code.contains("float"), e.getKey());
      assertFalse(code.matches("(?s).*\\b\\d+(\\.\\d+)?f\\b.*"), e.getKey() + " keeps a float literal");
      String body = code.replaceAll("Generated from \\{@code F32\\w+\\.java}", "");
      assertFalse(body.contains("F32"), e.getKey() + " names an F32 class");
    }
  }

  @Test
  void everyF32KernelWithAnF64TwinIsGenerated() throws IOException {
    // An F64 kernel that is not in KERNELS would be a hand-kept copy the test above never checks.
    try (var files = Files.list(DIR)) {
      files.map(p -> p.getFileName().toString())
          .filter(f -> f.startsWith("F64") && f.endsWith("Kernel.java"))
          .forEach(f -> assertTrue(F64SourceGenerator.KERNELS.contains(f.substring(3, f.length() - "Kernel.java".length())),
              f + " is committed but not generated"));
    }
  }

  @Test
  void anEditToTheF32KernelChangesTheExpectedF64Kernel() throws IOException {
    String f32 = Files.readString(DIR.resolve("F32AxpyKernel.java"), StandardCharsets.UTF_8);
    String edited = f32.replace("alpha * x[", "alpha * alpha * x[");
    assertNotEquals(f32, edited, "the edit must apply");
    assertNotEquals(F64SourceGenerator.translate(f32, "Axpy"), F64SourceGenerator.translate(edited, "Axpy"));
  }

  @Test
  void anF32KernelWithoutItsTwinNoteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> F64SourceGenerator.translate("class F32DotKernel {}", "Dot"));
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
