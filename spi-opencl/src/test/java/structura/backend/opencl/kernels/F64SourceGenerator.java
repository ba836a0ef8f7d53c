package structura.backend.opencl.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single source of truth for the double-precision OpenCL kernels: each {@code F64*Kernel}
 * of {@link #KERNELS} is its {@code F32*Kernel} with every {@code float} made {@code double}.
 * The F64 files are committed so the module builds as plain Java (and Aparapi translates them
 * like any kernel); {@code F64SourcesAreGeneratedTest} fails when one copy is edited without
 * the other. The kernels with no F64 twin (softmax, norms, activations: the SPI's elementwise
 * family is F32 only; the mixed-precision Gram) are written by hand.
 *
 * <p>To change a kernel, edit the F32 file and run, from the repository root,
 * {@code java spi-opencl/src/test/java/structura/backend/opencl/kernels/F64SourceGenerator.java}
 * (or {@code spi-opencl/generate-f64.sh}); it depends on nothing but the JDK, so the JDK's
 * source launcher runs it without a build.
 */
final class F64SourceGenerator {
  /** Folder of the kernels, relative to the module. */
  static final Path SOURCES = Path.of("src", "main", "java", "structura", "backend", "opencl", "kernels");
  /** The F32 kernels that have an F64 twin, by the name they share after the precision. */
  static final List<String> KERNELS = List.of("Gemm", "Gemv", "GemvTransposed", "Dot", "Axpy", "Scal", "Pairwise");

  /** A float literal zero, {@code 0f}, as a whole token. */
  private static final Pattern FLOAT_ZERO = Pattern.compile("\\b0f\\b");

  private F64SourceGenerator() {}

  /** The sentence an F32 kernel carries, naming its generated twin. */
  static String twinNote(String name) {
    return "{@link F64" + name + "Kernel} is generated from this file by {@code F64SourceGenerator}.";
  }

  /** The F64 source generated from the source of {@code F32<name>Kernel}. */
  static String translate(String f32Source, String name) {
    String note = twinNote(name);
    if (!f32Source.contains(note)) {
      throw new IllegalArgumentException("F32" + name + "Kernel.java must say \"" + note + "\"");
    }
    String s = f32Source
        .replace("float", "double")  // types, arrays and the word in comments ("G floats")
        .replace("Single-precision", "Double-precision")
        .replace("ts²·4 bytes", "ts²·8 bytes");
    s = FLOAT_ZERO.matcher(s).replaceAll(Matcher.quoteReplacement("0.0"));
    for (String k : KERNELS) {
      s = s.replace("F32" + k + "Kernel", "F64" + k + "Kernel");
    }
    // The note reads the same after the rules; it becomes a warning on the generated copy.
    return s.replace(note, "Generated from {@code F32" + name + "Kernel.java} by {@code F64SourceGenerator}: do not edit.");
  }

  /** Generated file name → content, for the kernels under {@code dir}. */
  static Map<String, String> generate(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : KERNELS) {
      String f32 = Files.readString(dir.resolve("F32" + k + "Kernel.java"), StandardCharsets.UTF_8);
      out.put("F64" + k + "Kernel.java", translate(f32, k));
    }
    return out;
  }

  /** Rewrites the F64 kernels; the argument is the module folder (default {@code spi-opencl}). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "spi-opencl").resolve(SOURCES);
    for (Map.Entry<String, String> e : generate(dir).entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
