package structura.formats.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The up-front check of a run's output paths, before any work starts: every output differs from
 * every input and every other output, may be written, and would not replace what it must not.
 *
 * <p>Paths are compared resolved ({@link RealPaths}: symlinks, {@code ..} and, on case-insensitive
 * file systems, case), and by containment, not only equality: an output may not be an input, lie
 * inside an input directory, or contain an input (a directory output that is the parent of the
 * model); two outputs may not be equal or nested. An output's nearest existing ancestor must be a
 * directory in which a file can be created (probed by creating and removing an empty file, which
 * catches read-only mounts and {@code /proc}). Replacement follows {@link OutputTransaction}'s
 * rules. Errors are coded: {@code OUTPUT_CONFLICT}, {@code OUTPUT_EXISTS}, {@code OUTPUT_UNWRITABLE},
 * naming the option and the path.
 *
 * <pre>{@code
 * new OutputPlan(force).input("--model", model).input("--calibration", cal)
 *     .output("--out", out, Shape.DIRECTORY).output("--report", report, Shape.FILE).check();
 * }</pre>
 */
public final class OutputPlan {
  /** What an output is. */
  public enum Shape {
    /** A single file. */
    FILE,
    /** A directory of files, marked with {@link OutputMarker}. */
    DIRECTORY
  }

  private record Named(String option, Path path, Shape shape) {}

  private final boolean force;
  private final List<Named> inputs = new ArrayList<>();
  private final List<Named> outputs = new ArrayList<>();

  /** @param force whether existing files (and previous Structura output directories) may be replaced */
  public OutputPlan(boolean force) {
    this.force = force;
  }

  /** Adds an input file or directory, named by its option (ignored when {@code path} is null). */
  public OutputPlan input(String option, Path path) {
    if (path != null) {
      inputs.add(new Named(option, path, null));
    }
    return this;
  }

  /** Adds an output (ignored when {@code path} is null). */
  public OutputPlan output(String option, Path path, Shape shape) {
    if (path != null) {
      outputs.add(new Named(option, path, shape));
    }
    return this;
  }

  /**
   * Checks every output; the first problem is thrown.
   *
   * @throws StructuraException {@code OUTPUT_CONFLICT}, {@code OUTPUT_EXISTS} or {@code OUTPUT_UNWRITABLE}
   */
  public void check() {
    for (int i = 0; i < outputs.size(); i++) {
      Named o = outputs.get(i);
      for (Named in : inputs) {
        conflict(o, in, "the input");
      }
      for (int j = 0; j < i; j++) {
        conflict(o, outputs.get(j), "the output");
      }
    }
    for (Named o : outputs) {
      writable(o);
      checkReplaceable(o.option(), o.path(), o.shape(), force);
    }
  }

  private static void conflict(Named o, Named other, String role) {
    String what;
    if (RealPaths.within(o.path(), other.path()) && RealPaths.within(other.path(), o.path())) {
      what = "is " + role + " " + other.option() + " " + other.path();
    } else if (RealPaths.within(o.path(), other.path())) {
      what = "lies inside " + role + " " + other.option() + " " + other.path();
    } else if (RealPaths.within(other.path(), o.path())) {
      what = "contains " + role + " " + other.option() + " " + other.path();
    } else {
      return;
    }
    throw new StructuraException(ErrorCode.OUTPUT_CONFLICT, o.option() + " " + o.path() + " " + what
        + " (compared as resolved paths); nothing was written.", "Give " + o.option()
        + " a path of its own, outside every input and every other output; inputs are never modified.");
  }

  private static void writable(Named o) {
    Path abs = o.path().toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null) {
      throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, o.option() + " " + o.path() + " is a file-system root.",
          "Name a file or directory below it.");
    }
    Path existing = RealPaths.nearestExisting(parent);
    if (existing == null || !Files.isDirectory(existing)) {
      throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, o.option() + " " + o.path() + ": " + existing
          + " is a file, not a directory, so nothing can be written below it.", "Choose a path whose parent is a directory.");
    }
    try {
      Path probe = Files.createTempFile(existing, ".structura-probe-", "");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, o.option() + " " + o.path() + ": cannot create files in "
          + existing + " (" + e + ").", "Choose a writable directory, or fix its permissions.", e);
    }
  }

  /**
   * Whether an output may be written to {@code path}: absent; or a regular file and {@code force};
   * or, for a directory, empty, or a previous Structura output and {@code force}.
   *
   * @throws StructuraException {@code OUTPUT_EXISTS} naming the option and path when it may not
   */
  static void checkReplaceable(String option, Path path, Shape shape, boolean force) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String at = option + " " + path;
    if (shape == Shape.FILE) {
      if (Files.isDirectory(path)) {
        throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " is a directory; a file output never replaces one.",
            "Name a file, e.g. " + path.resolve("report.json") + ".");
      }
      if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " exists and is not a regular file (a link or a device); "
            + "it is never replaced.", "Choose another path.");
      }
      if (!force) {
        throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " exists; it was not replaced.",
            "Pass --force to replace it, or choose another path.");
      }
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " exists and is not a directory; a directory output "
          + "never replaces a file.", "Choose a new directory path.");
    }
    if (isEmpty(path)) {
      return;
    }
    Optional<List<String>> ours = OutputMarker.read(path);
    if (ours.isEmpty()) {
      throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " is a non-empty directory that is not a previous "
          + "Structura output (it has no " + OutputMarker.FILE_NAME + "); nothing in it was touched.",
          "Write to a new or empty directory; --force only replaces a previous Structura output.");
    }
    if (!force) {
      throw new StructuraException(ErrorCode.OUTPUT_EXISTS, at + " holds a previous Structura output; it was not replaced.",
          "Pass --force to replace the files it lists in " + OutputMarker.FILE_NAME + " (nothing else in it is touched), "
              + "or choose another directory.");
    }
  }

  private static boolean isEmpty(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
