package structura.formats.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The marker by which a directory is recognised as a previous Structura output: a file
 * {@value #FILE_NAME} whose first line is {@value #HEADER} and whose further lines name, one
 * per line, the files the tool wrote there. Only those files are ever replaced or removed when
 * the directory is written again with {@code --force}; anything else in it is left alone.
 */
public final class OutputMarker {
  /** The marker's file name. */
  public static final String FILE_NAME = ".structura-output";
  /** The marker's first line. */
  public static final String HEADER = "structura output v1";

  private OutputMarker() {}

  /**
   * The files listed by the marker in {@code dir}, or empty when {@code dir} has no valid marker
   * (absent, unreadable, or another first line: then it is not a Structura output).
   */
  public static Optional<List<String>> read(Path dir) {
    Path marker = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        return Optional.empty();
      }
      List<String> files = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        // only plain names: a tampered marker must not lead us to paths outside the directory
        if (!l.isBlank() && !l.contains("/") && !l.contains("\\") && !l.equals("..") && !l.equals(".")) {
          files.add(l);
        }
      }
      return Optional.of(files);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the marker listing {@code files} into {@code dir}. */
  static void write(Path dir, List<String> files) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (String f : files) {
      sb.append(f).append('\n');
    }
    Files.writeString(dir.resolve(FILE_NAME), sb.toString(), StandardCharsets.UTF_8);
  }
}
