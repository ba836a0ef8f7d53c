package structura.formats.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporaries of {@link OutputTransaction}: recognisable names, a process-wide registry
 * that a shutdown hook empties on SIGINT/SIGTERM, and removal of stale ones left by a killed run.
 *
 * <p>A temporary for destination {@code dir/name} is {@code dir/.name.structura-tmp-<pid>-<16 hex>}:
 * beside its destination (so the final move is a rename on one file system), hidden, and
 * carrying the id of the process that made it, so a later run can tell a dead run's leftovers
 * (stale, removed) from a live concurrent run's (kept).
 */
final class Temporaries {
  static final String INFIX = ".structura-tmp-";
  private static final Pattern NAME = Pattern.compile("\\.(.*)" + Pattern.quote(INFIX) + "(\\d+)-[0-9a-f]{16}");
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final long PID = ProcessHandle.current().pid();

  static {
    // SIGKILL cannot be caught; its leftovers are removed by removeStale on the next run to the same path
    Runtime.getRuntime().addShutdownHook(new Thread(Temporaries::removeAllLive, "structura-remove-temporaries"));
  }

  private Temporaries() {}

  /** A fresh, registered temporary name beside {@code destination} (nothing is created). */
  static Path next(Path destination) {
    byte[] random = new byte[8];
    ThreadLocalRandom.current().nextBytes(random);
    Path tmp = destination.resolveSibling("." + destination.getFileName() + INFIX + PID + "-" + HexFormat.of().formatHex(random));
    LIVE.add(tmp);
    return tmp;
  }

  /** Removes {@code tmp} (a file or a whole tree) and forgets it; quiet when already gone. */
  static void remove(Path tmp) throws IOException {
    deleteTree(tmp);
    LIVE.remove(tmp);
  }

  /** Forgets {@code tmp} after it was moved into place. */
  static void forget(Path tmp) {
    LIVE.remove(tmp);
  }

  /**
   * Removes the temporaries of {@code destination} left by processes that no longer run (or by
   * this process, when not registered live). Returns how many were removed.
   */
  static int removeStale(Path destination) throws IOException {
    Path dir = destination.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    String name = destination.getFileName().toString();
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + globEscape(name) + INFIX + "*")) {
      for (Path p : entries) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches() || !m.group(1).equals(name)) {
          continue;
        }
        long pid = Long.parseLong(m.group(2));
        boolean alive = pid == PID ? LIVE.contains(p) : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          deleteTree(p);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Whether {@code name} is a temporary's file name. */
  static boolean isTemporaryName(String name) {
    return NAME.matcher(name).matches();
  }

  private static void removeAllLive() {
    for (Path p : LIVE) {
      try {
        deleteTree(p);
      } catch (IOException | RuntimeException e) {
        // best effort while the JVM exits: a leftover is removed as stale by the next run
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(p);
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  private static String globEscape(String s) {
    return s.replaceAll("([\\\\*?\\[\\]{},])", "\\\\$1");
  }
}
