package structura.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel entry points of a PTX module and the PTX types of their parameters, read from the
 * {@code .visible .entry name(.param .u32 name_param_0, ...)} declarations, plus the Java
 * argument type that {@link KernelLauncher} marshals to each PTX type.
 */
final class PtxSignatures {
  private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
  private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)\\b");

  private PtxSignatures() {}

  /** The packaged module's entries, name → parameter types ("u32", "u64", "f32", ...) in order. */
  static Map<String, List<String>> packaged() {
    try (InputStream in = PtxKernels.class.getResourceAsStream(PtxKernels.PTX_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("PTX resource " + PtxKernels.PTX_RESOURCE + " is not on the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of a PTX text. */
  static Map<String, List<String>> parse(String ptx) {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    Matcher entry = ENTRY.matcher(ptx);
    while (entry.find()) {
      List<String> types = new ArrayList<>();
      Matcher param = PARAM.matcher(entry.group(2));
      while (param.find()) {
        types.add(param.group(1));
      }
      entries.put(entry.group(1), types);
    }
    return entries;
  }

  /** The Java argument class that KernelLauncher marshals to a parameter of PTX type {@code type}. */
  static Class<?> javaType(String type) {
    return switch (type) {
      case "u32", "s32", "b32" -> Integer.class;
      case "u64", "s64", "b64" -> Long.class;
      case "f32" -> Float.class;
      case "f64" -> Double.class;
      default -> throw new IllegalArgumentException("PTX parameter type ." + type + " has no KernelLauncher marshalling");
    };
  }
}
