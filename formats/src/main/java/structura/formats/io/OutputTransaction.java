package structura.formats.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * Commits a run's outputs together, or none of them: the one place where Structura writes files.
 *
 * <p>Each output is first staged to a temporary beside its destination
 * ({@code .<name>.structura-tmp-<pid>-<random>}): {@link #file} and {@link #fileIfAbsent} hand
 * out a path to write, {@link #directory} creates a directory to fill. {@link #commit} then moves
 * every temporary into place, only after all were written; {@link #close} without a commit (an
 * exception, a failed later output) removes every temporary and every parent directory this
 * transaction created, so a failed run leaves the file system as it found it. A shutdown hook
 * removes the temporaries of a run stopped by SIGINT or SIGTERM; a run killed outright leaves
 * them behind, and the next transaction to the same destination removes those (stale: their
 * process is gone).
 *
 * <p>What may be replaced: a regular file only when the transaction was opened with
 * {@code force}; a directory destination is created when absent, filled when empty, and when it
 * holds a previous Structura output (its {@link OutputMarker}) and {@code force} is given, the
 * files that marker lists are replaced or removed and nothing else is touched. A non-empty
 * directory without a marker is never written into. The same rules are checked up front by
 * {@link OutputPlan}, before any work; they are checked again here, at staging and at commit.
 *
 * <p>Commit moves files one by one (atomically each, where the file system allows): an
 * interruption during the commit itself can leave some outputs new and others old, never a
 * half-written file. Committed outputs get the user's usual permissions ({@code 0644} files and
 * {@code 0755} directories under umask 022; see {@link DefaultPermissions}). Not thread-safe; one
 * transaction per run.
 */
public final class OutputTransaction implements AutoCloseable {
  /** Writes one output's bytes. */
  @FunctionalInterface
  public interface Content {
    /** Writes the content to {@code out} (buffered; closed by the caller). */
    void write(OutputStream out) throws IOException;
  }

  private enum Kind { FILE, FILE_IF_ABSENT, DIRECTORY }

  private record Staged(Path destination, Path temporary, Kind kind) {}

  private final boolean force;
  private final List<Staged> staged = new ArrayList<>();
  private final List<Path> createdDirectories = new ArrayList<>();
  private boolean committed;

  /** @param force whether existing files (and previous Structura output directories) may be replaced */
  public OutputTransaction(boolean force) {
    this.force = force;
  }

  /**
   * Writes one file through a transaction of its own, replacing an existing file: for library
   * writers ({@code OnnxWriter}, {@code Safetensors}) whose caller chose the path.
   *
   * @throws StructuraException {@code OUTPUT_UNWRITABLE} when the file cannot be written (nothing is left behind)
   */
  public static void writeFile(Path destination, Content content) {
    try (OutputTransaction tx = new OutputTransaction(true)) {
      tx.write(destination, content);
      tx.commit();
    }
  }

  /**
   * Stages a file and returns the temporary path to write it to (not yet created).
   *
   * @throws StructuraException {@code OUTPUT_EXISTS} when the destination exists and may not be replaced,
   *     {@code OUTPUT_UNWRITABLE} when its directory cannot be created
   */
  public Path file(Path destination) {
    Path dest = absolute(destination);
    OutputPlan.checkReplaceable("output", dest, OutputPlan.Shape.FILE, force);
    return stage(dest, Kind.FILE);
  }

  /** Stages {@code content} as the file {@code destination} (see {@link #file}). */
  public void write(Path destination, Content content) {
    Path tmp = file(destination);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      content.write(out);
    } catch (IOException e) {
      throw unwritable(destination, e);
    }
  }

  /**
   * Stages a file that is only put in place if {@code destination} still does not exist at commit
   * (a companion such as tokenizer.json beside an ONNX model); empty when it exists already.
   */
  public Optional<Path> fileIfAbsent(Path destination) {
    Path dest = absolute(destination);
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(stage(dest, Kind.FILE_IF_ABSENT));
  }

  /**
   * Stages a directory output: creates and returns an empty temporary directory to fill with plain
   * files. At commit it becomes {@code destination}, with an {@link OutputMarker} listing its files.
   *
   * @throws StructuraException {@code OUTPUT_EXISTS} when the destination is a file, a non-empty
   *     directory that is not a Structura output, or one without {@code force}
   */
  public Path directory(Path destination) {
    Path dest = absolute(destination);
    OutputPlan.checkReplaceable("output", dest, OutputPlan.Shape.DIRECTORY, force);
    Path tmp = stage(dest, Kind.DIRECTORY);
    try {
      Files.createDirectory(tmp);
    } catch (IOException e) {
      throw unwritable(dest, e);
    }
    return tmp;
  }

  /**
   * Moves every staged output into place. Call once, after every output was written.
   *
   * @throws StructuraException {@code OUTPUT_EXISTS} when a destination appeared meanwhile and may
   *     not be replaced, {@code OUTPUT_UNWRITABLE} on an I/O failure
   */
  public void commit() {
    if (committed) {
      throw new IllegalStateException("already committed");
    }
    for (Staged s : staged) {
      if (!Files.exists(s.temporary(), LinkOption.NOFOLLOW_LINKS)) {
        throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, s.destination() + ": nothing was written to its temporary "
            + s.temporary() + ".", "Report this as a bug: a writer did not write the path it was given.");
      }
    }
    for (Staged s : staged) {
      try {
        DefaultPermissions.apply(s.temporary()); // not a temporary's 0600: the user's usual file and directory modes
        switch (s.kind()) {
          case FILE -> moveFile(s.temporary(), s.destination(), force);
          case FILE_IF_ABSENT -> {
            try {
              moveFile(s.temporary(), s.destination(), false);
            } catch (FileAlreadyExistsException e) {
              Temporaries.remove(s.temporary()); // someone else's copy is there now: keep it
            }
          }
          case DIRECTORY -> commitDirectory(s.temporary(), s.destination());
        }
        Temporaries.forget(s.temporary());
      } catch (FileAlreadyExistsException e) {
        throw new StructuraException(ErrorCode.OUTPUT_EXISTS, s.destination() + " appeared while Structura was working; it "
            + "was not replaced.", "Pass --force to replace it, or choose another path.", e);
      } catch (IOException e) {
        throw unwritable(s.destination(), e);
      }
    }
    committed = true;
  }

  /** Without a commit: removes every temporary and the parent directories this transaction created. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    for (Staged s : staged) {
      try {
        Temporaries.remove(s.temporary());
      } catch (IOException e) {
        // left for the stale sweep of the next run to this destination
      }
    }
    for (int i = createdDirectories.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(createdDirectories.get(i)); // only if still empty
      } catch (IOException e) {
        // not empty: something else was put there meanwhile, keep it
      }
    }
    staged.clear();
  }

  private Path stage(Path dest, Kind kind) {
    if (committed) {
      throw new IllegalStateException("already committed");
    }
    for (Staged s : staged) {
      if (s.destination().equals(dest)) {
        throw new StructuraException(ErrorCode.OUTPUT_CONFLICT, dest + " is given as two outputs of one run.",
            "Give each output its own path.");
      }
    }
    try {
      createParents(dest.getParent());
      Temporaries.removeStale(dest);
    } catch (IOException e) {
      throw unwritable(dest, e);
    }
    Path tmp = Temporaries.next(dest);
    staged.add(new Staged(dest, tmp, kind));
    return tmp;
  }

  private void createParents(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      Files.createDirectory(missing.get(i));
      createdDirectories.add(missing.get(i));
    }
  }

  private static void moveFile(Path tmp, Path dest, boolean replace) throws IOException {
    StandardCopyOption[] atomic = replace
        ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING}
        : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
    if (!replace && Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      // an atomic rename replaces silently on POSIX, so refuse explicitly
      throw new FileAlreadyExistsException(dest.toString());
    }
    try {
      Files.move(tmp, dest, atomic);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dest, replace ? new StandardCopyOption[] {StandardCopyOption.REPLACE_EXISTING} : new StandardCopyOption[0]);
    }
  }

  /** A new directory is renamed into place; an existing one (empty, or ours with force) is updated file by file. */
  private void commitDirectory(Path tmp, Path dest) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || name.equals(OutputMarker.FILE_NAME)) {
          throw new IOException("a directory output may hold only plain files, found " + p);
        }
        names.add(name);
      }
    }
    names.sort(null);
    OutputMarker.write(tmp, names);
    if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // fall through: created meanwhile, or a file system without renames of directories
      }
    }
    OutputPlan.checkReplaceable("output", dest, OutputPlan.Shape.DIRECTORY, force);
    if (!Files.isDirectory(dest)) {
      Files.createDirectory(dest);
    }
    List<String> previous = OutputMarker.read(dest).orElse(List.of());
    for (String name : names) {
      if (Files.exists(dest.resolve(name), LinkOption.NOFOLLOW_LINKS) && !previous.contains(name)) {
        throw new StructuraException(ErrorCode.OUTPUT_EXISTS, dest.resolve(name) + " exists and was not written by "
            + "Structura (the directory's " + OutputMarker.FILE_NAME + " does not list it); nothing was replaced.",
            "Move that file away, or write to a new directory.");
      }
    }
    for (String name : names) {
      moveFile(tmp.resolve(name), dest.resolve(name), true); // names the old marker lists, or absent from an empty directory
    }
    Set<String> kept = new HashSet<>(names);
    for (String old : previous) {
      Path p = dest.resolve(old);
      if (!kept.contains(old) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(p);
      }
    }
    moveFile(tmp.resolve(OutputMarker.FILE_NAME), dest.resolve(OutputMarker.FILE_NAME), true);
    Temporaries.remove(tmp);
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  static StructuraException unwritable(Path dest, IOException e) {
    return new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, "cannot write " + dest + ": " + e, "Check that its directory "
        + "exists or can be created, is writable and has free space; or choose another path.", e);
  }
}
