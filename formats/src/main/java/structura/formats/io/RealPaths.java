package structura.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Paths resolved for comparison: the real path ({@link Path#toRealPath}: symlinks and {@code ..}
 * resolved, the stored case of each existing name) of the nearest existing ancestor, followed by
 * the not-yet-existing remainder, normalized. On a case-insensitive file system the comparison
 * ignores case (that remainder may be spelled in any case).
 */
final class RealPaths {
  private RealPaths() {}

  /** The resolved form of {@code p}, relative paths taken against the working directory. */
  static Path resolve(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      Path real = Files.exists(existing) ? existing.toRealPath() : existing.toAbsolutePath(); // a dangling link stays as is
      return real.resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }

  /** The nearest existing ancestor of {@code p} (or {@code p} itself), or {@code null}. */
  static Path nearestExisting(Path p) {
    Path q = p.toAbsolutePath().normalize();
    while (q != null && !Files.exists(q)) {
      q = q.getParent();
    }
    return q;
  }

  /** Whether resolved {@code a} equals or lies inside resolved {@code b} (case ignored on case-insensitive file systems). */
  static boolean within(Path a, Path b) {
    Path ra = resolve(a);
    Path rb = resolve(b);
    if (ra.startsWith(rb)) {
      return true;
    }
    if (!caseInsensitive(rb)) {
      return false;
    }
    return Path.of(ra.toString().toLowerCase(Locale.ROOT)).startsWith(Path.of(rb.toString().toLowerCase(Locale.ROOT)));
  }

  /** Whether the file system holding {@code p}'s nearest existing ancestor ignores case, probed on a name with letters. */
  static boolean caseInsensitive(Path p) {
    for (Path q = nearestExisting(p); q != null && q.getFileName() != null; q = q.getParent()) {
      String name = q.getFileName().toString();
      String swapped = swapCase(name);
      if (!swapped.equals(name)) {
        Path other = q.resolveSibling(swapped);
        try {
          return Files.exists(other) && Files.isSameFile(q, other);
        } catch (IOException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static String swapCase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return sb.toString();
  }
}
