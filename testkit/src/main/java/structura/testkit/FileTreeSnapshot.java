package structura.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every entry under a directory with the SHA-256 of each regular file (links and directories
 * recorded by kind), for tests that prove a command left files it did not create untouched:
 * take one before, one after, compare with {@code assertEquals}. Also finds leftover temporaries.
 */
public final class FileTreeSnapshot {
  private FileTreeSnapshot() {}

  /** Relative path → SHA-256 hex of a regular file, {@code "dir"} or {@code "link"}; hidden entries included. */
  public static Map<String, String> of(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link");
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir");
        } else {
          out.put(rel, sha256(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The entries under {@code root} whose name contains {@code fragment} (e.g. ".structura-tmp-"). */
  public static List<String> named(Path root, String fragment) {
    return of(root).keySet().stream().filter(k -> Path.of(k).getFileName() != null
        && Path.of(k).getFileName().toString().contains(fragment)).toList();
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
