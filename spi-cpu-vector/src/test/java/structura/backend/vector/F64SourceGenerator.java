package structura.backend.vector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single source of truth for this backend's double-precision engines: {@link F64Gemm} and
 * {@link F64Vectors} are {@link F32Gemm} and {@link F32Vectors} with every {@code float} made
 * {@code double} (as EJML's {@code GenerateJavaCode32} does in the other direction). The F64
 * files are committed so the module builds as plain Java; {@code F64SourcesAreGeneratedTest}
 * fails when one copy is edited without the other.
 *
 * <p>To change an engine, edit the F32 file and run, from the repository root,
 * {@code java spi-cpu-vector/src/test/java/structura/backend/vector/F64SourceGenerator.java}
 * (or {@code spi-cpu-vector/generate-f64.sh}); it depends on nothing but the JDK, so the JDK's
 * source launcher runs it without a build.
 *
 * <p>The rules are plain substring replacements applied in order, the same as the {@code sed}
 * script this class replaced, so the generated code is unchanged by the move.
 */
final class F64SourceGenerator {
  /** Folder of the engines, relative to the module. */
  static final Path SOURCES = Path.of("src", "main", "java", "structura", "backend", "vector");
  /** Each F32 class and the F64 class generated from it. */
  static final Map<String, String> CLASSES = Map.of("F32Gemm", "F64Gemm", "F32Vectors", "F64Vectors");

  /** Type and wording replacements, in order; none crosses a line. */
  private static final List<String[]> RULES = List.of(
      new String[] {"float", "double"},
      new String[] {"Float", "Double"},
      new String[] {"FLOAT", "DOUBLE"},
      new String[] {"Single-precision", "Double-precision"},
      new String[] {"single-precision", "double-precision"});

  private F64SourceGenerator() {}

  /** The sentence an F32 source carries, naming its generated twin. */
  static String twinNote(String f64Class) {
    return "{@link " + f64Class + "} is generated from this file by {@code F64SourceGenerator}.";
  }

  /** The F64 source generated from {@code f32Source}, the source of class {@code f32Class}. */
  static String translate(String f32Source, String f32Class) {
    String f64Class = CLASSES.get(f32Class);
    String note = twinNote(f64Class);
    if (!f32Source.contains(note)) {
      throw new IllegalArgumentException(f32Class + ".java must say \"" + note + "\"");
    }
    String s = f32Source;
    for (String[] rule : RULES) {
      s = s.replace(rule[0], rule[1]);
    }
    for (Map.Entry<String, String> e : CLASSES.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    // The note reads the same after the rules; it becomes a warning on the generated copy.
    return s.replace(note, "Generated from {@code " + f32Class + ".java} by {@code F64SourceGenerator}: do not edit.");
  }

  /** Generated file name → content, for the sources under {@code dir}. */
  static Map<String, String> generate(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : CLASSES.entrySet()) {
      String f32 = Files.readString(dir.resolve(e.getKey() + ".java"), StandardCharsets.UTF_8);
      out.put(e.getValue() + ".java", translate(f32, e.getKey()));
    }
    return out;
  }

  /** Rewrites the F64 files; the argument is the module folder (default {@code spi-cpu-vector}). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "spi-cpu-vector").resolve(SOURCES);
    for (Map.Entry<String, String> e : generate(dir).entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
