package structura.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * What a JSON report needs to be reproduced: the tool and its version, when it ran, and each input
 * file with its SHA-256 (a directory input, such as a safetensors model, lists its plain files
 * each with its own hash). Hashing reads every input once more: about a second per 500 MB.
 */
final class ReportProvenance {
  private final JsonArray inputs = new JsonArray();

  /**
   * Adds an input; {@code null} paths (options not given) are skipped.
   *
   * @param option the option that named it, e.g. {@code --model}
   * @param given what the user typed (a zoo name or a path)
   * @param path the file or directory read
   */
  ReportProvenance input(String option, String given, Path path) {
    if (path == null) {
      return this;
    }
    JsonObject o = new JsonObject();
    o.addProperty("option", option);
    o.addProperty("given", given);
    o.addProperty("path", path.toAbsolutePath().normalize().toString());
    if (Files.isDirectory(path)) {
      JsonObject files = new JsonObject();
      for (Path f : plainFiles(path)) {
        files.addProperty(f.getFileName().toString(), sha256(f));
      }
      o.add("files", files);
    } else {
      o.addProperty("sha256", sha256(path));
    }
    inputs.add(o);
    return this;
  }

  /** Adds {@code tool} (name and version), {@code timestamp} (UTC, ISO-8601) and {@code inputs} to {@code report}. */
  void addTo(JsonObject report) {
    JsonObject tool = new JsonObject();
    tool.addProperty("name", "structura");
    tool.addProperty("version", StructuraCli.Version.number());
    tool.addProperty("java", Runtime.version().toString());
    report.add("tool", tool);
    report.addProperty("timestamp", Instant.now().toString());
    report.add("inputs", inputs);
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new StructuraException(ErrorCode.INVALID_INPUT, "cannot read " + file + " to hash it for the report: " + e,
          "Check that the file is readable.", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static List<Path> plainFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException e) {
      throw new StructuraException(ErrorCode.INVALID_INPUT, "cannot list " + dir + " to hash it for the report: " + e,
          "Check that the directory is readable.", e);
    }
  }
}
