package structura.formats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Dense numeric matrices in two file formats, chosen by extension: NumPy {@code .npy} (version 1
 * to 3; little-endian float64, float32, int32 or int64; C or Fortran order; 1-D arrays read as one
 * column) and CSV (anything else: comma-separated numbers, one row per line, an optional header
 * line of non-numeric names, blank lines skipped). Reading checks what later code relies on:
 * every row the same length and every value finite, naming the file, line and column otherwise
 * ({@link DataFormatException}, {@code STRUCTURA-F002}). Writing produces F64 {@code .npy} or CSV
 * with shortest round-trip decimals; it writes to the stream or path it is given (atomic placement
 * is the caller's).
 */
public final class MatrixFiles {
  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private MatrixFiles() {}

  /** Whether {@code file} is read and written as {@code .npy} (else CSV). */
  public static boolean isNpy(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
  }

  /**
   * Reads {@code file} as an F64 matrix.
   *
   * @throws DataFormatException if the file is missing, unreadable, empty, ragged or non-finite
   */
  public static Matrix read(Path file) {
    try {
      return isNpy(file) ? readNpy(file) : readCsv(file);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, "no such file.", "Check the path.", e);
    } catch (IOException e) {
      throw new DataFormatException(file, 0, "cannot be read: " + e.getMessage(), "Check the path and permissions.", e);
    }
  }

  private static Matrix readCsv(Path file) throws IOException {
    List<double[]> rows = new ArrayList<>();
    int width = -1;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      boolean first = true;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",", -1);
        if (first && isHeader(fields)) {
          first = false;
          continue;
        }
        first = false;
        if (width < 0) {
          width = fields.length;
        } else if (fields.length != width) {
          throw new DataFormatException(file, number, "has " + fields.length + " values where earlier rows have " + width + ".",
              "Give every row the same number of comma-separated values.", null);
        }
        double[] row = new double[width];
        for (int j = 0; j < width; j++) {
          String f = fields[j].strip();
          try {
            row[j] = Double.parseDouble(f);
          } catch (NumberFormatException e) {
            throw new DataFormatException(file, number, "column " + (j + 1) + " is not a number: '" + f + "'.",
                "Write plain decimal numbers.", e);
          }
          if (!Double.isFinite(row[j])) {
            throw new DataFormatException(file, number, "column " + (j + 1) + " is " + f + ".",
                "Remove or impute NaN and infinite values before PCA.", null);
          }
        }
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(file, "holds no rows.", "Pass a CSV file with at least one row of numbers.");
    }
    double[] data = new double[rows.size() * width];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, data, i * width, width);
    }
    return Matrix.wrap(data, rows.size(), width);
  }

  private static boolean isHeader(String[] fields) {
    for (String f : fields) {
      try {
        Double.parseDouble(f.strip());
        return false;
      } catch (NumberFormatException e) {
        // not a number: keep looking
      }
    }
    return true;
  }

  private static Matrix readNpy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < NPY_MAGIC.length; i++) {
      if (bytes.length < 10 || bytes[i] != NPY_MAGIC[i]) {
        throw new DataFormatException(file, "is not a NumPy .npy file (bad magic).", "Write it with numpy.save.");
      }
    }
    int major = bytes[6];
    int headerLength;
    int start;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(buf.getShort(8));
      start = 10;
    } else {
      headerLength = buf.getInt(8);
      start = 12;
    }
    String header = new String(bytes, start, headerLength, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = field(header, "'descr':\\s*'([^']*)'", file);
    boolean fortran = field(header, "'fortran_order':\\s*(True|False)", file).equals("True");
    String shape = field(header, "'shape':\\s*\\(([^)]*)\\)", file);
    String[] dims = shape.split(",");
    List<Long> sizes = new ArrayList<>();
    for (String s : dims) {
      if (!s.isBlank()) {
        sizes.add(Long.parseLong(s.strip()));
      }
    }
    if (sizes.isEmpty() || sizes.size() > 2) {
      throw new DataFormatException(file, "holds a " + sizes.size() + "-D array; PCA needs a 2-D (rows x columns) one.",
          "Save a 2-D array.");
    }
    long m = sizes.get(0);
    long n = sizes.size() == 2 ? sizes.get(1) : 1;
    if (m * n > Integer.MAX_VALUE || m == 0 || n == 0) {
      throw new DataFormatException(file, "has shape (" + shape + "), empty or beyond 2^31 elements.", "Split the data.");
    }
    int width = switch (descr) {
      case "<f8", "<i8" -> 8;
      case "<f4", "<i4" -> 4;
      default -> throw new DataFormatException(file, "has dtype '" + descr + "'; supported: <f8, <f4, <i8, <i4.",
          "Convert with array.astype('<f8').");
    };
    int offset = start + headerLength;
    if ((long) bytes.length - offset < m * n * width) {
      throw new DataFormatException(file, "is truncated: shape (" + shape + ") needs " + m * n * width + " data bytes, "
          + (bytes.length - offset) + " present.", "Write the file again.");
    }
    int rows = (int) m;
    int cols = (int) n;
    double[] data = new double[rows * cols];
    for (int t = 0; t < rows * cols; t++) {
      int at = offset + t * width;
      double v = switch (descr) {
        case "<f8" -> buf.getDouble(at);
        case "<f4" -> buf.getFloat(at);
        case "<i8" -> buf.getLong(at);
        default -> buf.getInt(at);
      };
      int i = fortran ? t % rows : t / cols;
      int j = fortran ? t / rows : t % cols;
      if (!Double.isFinite(v)) {
        throw new DataFormatException(file, "element (" + i + ", " + j + ") is " + v + ".",
            "Remove or impute NaN and infinite values before PCA.");
      }
      data[i * cols + j] = v;
    }
    return Matrix.wrap(data, rows, cols);
  }

  private static String field(String header, String regex, Path file) {
    Matcher m = Pattern.compile(regex).matcher(header);
    if (!m.find()) {
      throw new DataFormatException(file, "has a .npy header without " + regex.substring(1, regex.indexOf('\'', 1)) + ": " + header.strip(),
          "Write it with numpy.save.");
    }
    return m.group(1);
  }

  /** Writes {@code a} as a version-1 F64 C-order {@code .npy} to {@code out}. */
  public static void writeNpy(Matrix a, OutputStream out) throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + a.rows() + ", " + a.cols() + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    head.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.write(head.array());
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = ByteBuffer.allocate(a.rows() * a.cols() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        data.putDouble(a.get(i, j));
      }
    }
    out.write(data.array());
  }

  /** Writes {@code a} as CSV, one row per line, shortest round-trip decimals. */
  public static void writeCsv(Matrix a, Writer out) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < a.rows(); i++) {
      line.setLength(0);
      for (int j = 0; j < a.cols(); j++) {
        if (j > 0) {
          line.append(',');
        }
        line.append(a.get(i, j));
      }
      out.write(line.append('\n').toString());
    }
  }
}
