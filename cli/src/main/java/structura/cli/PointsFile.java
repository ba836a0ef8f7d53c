package structura.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;

/**
 * Reads a point set, one point per row, from CSV (comma, semicolon, tab or space separated;
 * one optional non-numeric header line) or from NumPy {@code .npy} (a 2-D, C-order,
 * little-endian float64 or float32 array). Every value must be finite and every row as long as
 * the first; violations are {@code STRUCTURA-F002} errors naming the file and the line (CSV) or
 * the row (npy).
 */
final class PointsFile {
  private static final Pattern SEPARATORS = Pattern.compile("[,;\\t ]+");

  private PointsFile() {}

  /** The points as an F64 matrix, N×d. */
  static Matrix read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw error(file, "does not exist or is not a file.", "Pass the path of a CSV or .npy file of points, one per row.");
    }
    try {
      return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? npy(file) : csv(file);
    } catch (IOException e) {
      throw error(file, "cannot be read: " + e.getMessage(), "Check the path and its permissions.");
    }
  }

  private static Matrix csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<double[]> rows = new ArrayList<>();
    int width = -1;
    for (int ln = 0; ln < lines.size(); ln++) {
      String line = lines.get(ln).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = SEPARATORS.split(line);
      double[] row = new double[cells.length];
      boolean numeric = true;
      for (int c = 0; c < cells.length && numeric; c++) {
        try {
          row[c] = Double.parseDouble(cells[c]);
        } catch (NumberFormatException e) {
          numeric = false;
        }
      }
      if (!numeric) {
        if (rows.isEmpty() && width < 0) {
          width = cells.length;  // a header line names the columns
          continue;
        }
        throw error(file, "line " + (ln + 1) + " has a value that is not a number: '" + line + "'.",
            "Write one point per line as numbers separated by commas.");
      }
      if (width >= 0 && row.length != width) {
        throw error(file, "line " + (ln + 1) + " has " + row.length + " values but earlier lines have " + width + " (ragged rows).",
            "Give every point the same number of coordinates.");
      }
      width = row.length;
      for (int c = 0; c < row.length; c++) {
        if (!Double.isFinite(row[c])) {
          throw error(file, "line " + (ln + 1) + " column " + (c + 1) + " is " + row[c] + ".",
              "Drop or impute non-finite values before fitting.");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw error(file, "holds no points.", "Write at least one point per line.");
    }
    Matrix m = Matrix.zeros(structura.api.DType.F64, rows.size(), width);
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < width; c++) {
        m.set(i, c, rows.get(i)[c]);
      }
    }
    return m;
  }

  private static Matrix npy(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 10 || b.get() != (byte) 0x93 || b.get() != 'N' || b.get() != 'U' || b.get() != 'M' || b.get() != 'P'
        || b.get() != 'Y') {
      throw error(file, "is not a NumPy .npy file (bad magic).", "Save the array with numpy.save.");
    }
    int major = b.get();
    b.get();
    int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    if (headerLength > b.remaining()) {
      throw error(file, "is truncated (header).", "Save the array again with numpy.save.");
    }
    byte[] hb = new byte[headerLength];
    b.get(hb);
    String header = new String(hb, StandardCharsets.ISO_8859_1);
    Matcher descr = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d)'").matcher(header);
    Matcher shape = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d*)\\)").matcher(header);
    if (!descr.find() || !shape.find() || header.contains("'fortran_order': True") || descr.group(1).equals(">")
        || !descr.group(2).equals("f") || !(descr.group(3).equals("8") || descr.group(3).equals("4"))) {
      throw error(file, "holds an unsupported array (" + header.strip() + ").",
          "Save a 2-D C-order float64 or float32 array: numpy.save(f, np.ascontiguousarray(x, dtype=np.float64)).");
    }
    int n = Integer.parseInt(shape.group(1));
    int d = shape.group(2).isEmpty() ? 1 : Integer.parseInt(shape.group(2));
    int bytes = descr.group(3).equals("8") ? 8 : 4;
    if ((long) n * d * bytes > b.remaining()) {
      throw error(file, "is truncated: " + n + "x" + d + " values need " + (long) n * d * bytes + " bytes, " + b.remaining() + " remain.",
          "Save the array again with numpy.save.");
    }
    Matrix m = Matrix.zeros(structura.api.DType.F64, n, d);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        double v = bytes == 8 ? b.getDouble() : b.getFloat();
        if (!Double.isFinite(v)) {
          throw error(file, "row " + i + " column " + c + " is " + v + ".", "Drop or impute non-finite values before fitting.");
        }
        m.set(i, c, v);
      }
    }
    return m;
  }

  private static StructuraException error(Path file, String detail, String remedy) {
    return new StructuraException(ErrorCode.DATA_FORMAT, "Points file " + file + " " + detail, remedy);
  }
}
