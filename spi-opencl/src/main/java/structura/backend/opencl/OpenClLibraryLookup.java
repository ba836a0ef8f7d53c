package structura.backend.opencl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the OpenCL ICD loader ({@code libOpenCL.so.1}) on disk without loading anything.
 *
 * <p>Why: Aparapi's static initialiser logs a SEVERE "Failed to load codegen native library"
 * line when its JNI library cannot link against libOpenCL, and the probe runs on every start of
 * the CLI. Looking for the loader first keeps start-up quiet on machines without OpenCL; Aparapi
 * is touched only when the loader exists.
 *
 * <p>The search follows the dynamic linker's order closely enough for this purpose:
 * {@code LD_LIBRARY_PATH}, the directories listed in {@code /etc/ld.so.conf} and its includes,
 * then the usual system directories. On systems other than Linux the answer is "unknown" and the
 * probe goes ahead (Aparapi reports for itself there).
 */
final class OpenClLibraryLookup {
  static final String LIBRARY = "libOpenCL.so.1";
  private static final List<String> SYSTEM_DIRECTORIES = List.of(
      "/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
      "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu");

  private OpenClLibraryLookup() {}

  /**
   * Where the loader lies: {@code Optional.empty()} when it is found nowhere on Linux;
   * the path when found; on other systems a present empty path meaning "not checked".
   */
  static Optional<Path> find() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of(Path.of(""));
    }
    for (Path dir : searchPath(System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.conf"))) {
      Path candidate = dir.resolve(LIBRARY);
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The directories to search, in order, without duplicates. */
  static List<Path> searchPath(String ldLibraryPath, Path ldSoConf) {
    Set<Path> dirs = new LinkedHashSet<>();
    if (ldLibraryPath != null) {
      for (String d : ldLibraryPath.split(":")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    readConf(ldSoConf, dirs, 0);
    for (String d : SYSTEM_DIRECTORIES) {
      dirs.add(Path.of(d));
    }
    return new ArrayList<>(dirs);
  }

  /** Adds the directories of one ld.so.conf file, following {@code include} globs (bounded depth). */
  private static void readConf(Path conf, Set<Path> dirs, int depth) {
    if (depth > 4 || !Files.isRegularFile(conf)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(conf);
    } catch (IOException | RuntimeException e) {
      return;  // an unreadable configuration only narrows the search
    }
    for (String raw : lines) {
      String line = raw.replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("include ")) {
        includeGlob(conf, line.substring("include ".length()).strip(), dirs, depth);
      } else {
        dirs.add(Path.of(line));
      }
    }
  }

  private static void includeGlob(Path conf, String pattern, Set<Path> dirs, int depth) {
    Path p = conf.resolveSibling(pattern);
    Path parent = p.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(parent, p.getFileName().toString())) {
      List<Path> sorted = new ArrayList<>();
      files.forEach(sorted::add);
      sorted.sort(null);
      for (Path f : sorted) {
        readConf(f, dirs, depth + 1);
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable include only narrows the search
    }
  }
}
