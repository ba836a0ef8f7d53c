package structura.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major view over a {@code float[]} ({@link DType#F32}) or {@code double[]}
 * ({@link DType#F64}): element (i, j) lives at {@code array[offset + i * ld + j]}.
 *
 * <p>A {@code Matrix} is a view: it never copies on construction, several views may share
 * one array, and writes through one are visible through the others. The view itself
 * (dtype, offset, shape, leading dimension) is immutable and validated on construction:
 * sizes are non-negative, {@code ld >= max(1, cols)}, and every element lies inside the
 * array. Not thread-safe for concurrent writes to overlapping elements.
 */
public final class Matrix {
  private final DType dtype;
  private final float[] f32;
  private final double[] f64;
  private final int offset;
  private final int rows;
  private final int cols;
  private final int ld;

  private Matrix(DType dtype, float[] f32, double[] f64, int offset, int rows, int cols, int ld) {
    this.dtype = dtype;
    this.f32 = f32;
    this.f64 = f64;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
    this.ld = ld;
    checkView(dtype == DType.F32 ? f32.length : f64.length, offset, rows, cols, ld);
  }

  private static void checkView(int length, int offset, int rows, int cols, int ld) {
    if (rows < 0 || cols < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "matrix shape " + rows + "x" + cols + " has a negative size.",
          "Pass non-negative row and column counts.");
    }
    if (ld < Math.max(1, cols)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "leading dimension " + ld + " is smaller than max(1, cols=" + cols + ").",
          "In a row-major view the leading dimension is the distance between rows: at least the column count.");
    }
    if (offset < 0 || offset > length) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          "offset " + offset + " lies outside an array of length " + length + ".",
          "Pass an offset in [0, array length].");
    }
    if (rows > 0 && cols > 0) {
      long end = offset + (long) (rows - 1) * ld + cols;
      if (end > length) {
        throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
            "a " + rows + "x" + cols + " view with offset " + offset + " and leading dimension " + ld
                + " needs " + end + " elements but the array has " + length + ".",
            "Allocate a larger array or reduce the view's shape, offset or leading dimension.");
      }
    }
  }

  /** A compact {@code rows x cols} view of {@code data} starting at index 0. */
  public static Matrix wrap(float[] data, int rows, int cols) {
    return wrap(data, 0, rows, cols, Math.max(1, cols));
  }

  /** A view of {@code data} with the given offset, shape and leading dimension. */
  public static Matrix wrap(float[] data, int offset, int rows, int cols, int ld) {
    return new Matrix(DType.F32, Objects.requireNonNull(data, "data"), null, offset, rows, cols, ld);
  }

  /** A compact {@code rows x cols} view of {@code data} starting at index 0. */
  public static Matrix wrap(double[] data, int rows, int cols) {
    return wrap(data, 0, rows, cols, Math.max(1, cols));
  }

  /** A view of {@code data} with the given offset, shape and leading dimension. */
  public static Matrix wrap(double[] data, int offset, int rows, int cols, int ld) {
    return new Matrix(DType.F64, null, Objects.requireNonNull(data, "data"), offset, rows, cols, ld);
  }

  /** A new compact zero matrix. Allocates {@code rows * cols} elements. */
  public static Matrix zeros(DType dtype, int rows, int cols) {
    long size = (long) rows * cols;
    if (rows < 0 || cols < 0 || size > Integer.MAX_VALUE - 8) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "cannot allocate a " + rows + "x" + cols + " matrix.",
          "Sizes must be non-negative and rows*cols must fit in a Java array (< 2^31 - 8).");
    }
    return dtype == DType.F32
        ? wrap(new float[(int) size], rows, cols)
        : wrap(new double[(int) size], rows, cols);
  }

  /** A new {@code n x n} identity matrix. */
  public static Matrix identity(DType dtype, int n) {
    Matrix m = zeros(dtype, n, n);
    for (int i = 0; i < n; i++) {
      m.set(i, i, 1.0);
    }
    return m;
  }

  /**
   * A new compact matrix filled from {@code values} in row-major order.
   *
   * @throws InvalidArgumentException if {@code values.length != rows * cols}
   */
  public static Matrix of(DType dtype, int rows, int cols, double... values) {
    if ((long) rows * cols != values.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          values.length + " values given for a " + rows + "x" + cols + " matrix.",
          "Pass exactly rows*cols values in row-major order.");
    }
    Matrix m = zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, values[i * cols + j]);
      }
    }
    return m;
  }

  /** Element type. */
  public DType dtype() {
    return dtype;
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Number of columns. */
  public int cols() {
    return cols;
  }

  /** Index of element (0, 0) in the backing array. */
  public int offset() {
    return offset;
  }

  /** Leading dimension: distance in elements between the starts of consecutive rows. */
  public int ld() {
    return ld;
  }

  /** {@code rows * cols}. */
  public long size() {
    return (long) rows * cols;
  }

  /** True when rows are stored back to back ({@code ld == cols}, or at most one row). */
  public boolean isCompact() {
    return ld == cols || rows <= 1;
  }

  /**
   * The backing {@code float[]} (not a copy).
   *
   * @throws InvalidArgumentException if this matrix is F64
   */
  public float[] f32() {
    if (f32 == null) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "f32() called on an F64 matrix.", "Use f64(), or convert with toDType(DType.F32).");
    }
    return f32;
  }

  /**
   * The backing {@code double[]} (not a copy).
   *
   * @throws InvalidArgumentException if this matrix is F32
   */
  public double[] f64() {
    if (f64 == null) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "f64() called on an F32 matrix.", "Use f32(), or convert with toDType(DType.F64).");
    }
    return f64;
  }

  /** The backing array, {@code float[]} or {@code double[]}. */
  public Object array() {
    return f32 != null ? f32 : f64;
  }

  /** Index of element (i, j) in the backing array; unchecked. */
  public int index(int i, int j) {
    return offset + i * ld + j;
  }

  /** Element (i, j) widened to double. Bounds-checked. */
  public double get(int i, int j) {
    checkIndex(i, j);
    int k = offset + i * ld + j;
    return f32 != null ? f32[k] : f64[k];
  }

  /** Sets element (i, j); for F32 the value is rounded to float. Bounds-checked. Modifies this view's array. */
  public void set(int i, int j, double value) {
    checkIndex(i, j);
    int k = offset + i * ld + j;
    if (f32 != null) {
      f32[k] = (float) value;
    } else {
      f64[k] = value;
    }
  }

  private void checkIndex(int i, int j) {
    if (i < 0 || i >= rows || j < 0 || j >= cols) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          "element (" + i + ", " + j + ") is outside a " + rows + "x" + cols + " matrix.",
          "Use row indices in [0, rows) and column indices in [0, cols).");
    }
  }

  /** A view of the {@code rows x cols} block whose top-left element is (row0, col0); shares the array. */
  public Matrix view(int row0, int col0, int rows, int cols) {
    if (row0 < 0 || col0 < 0 || rows < 0 || cols < 0
        || (long) row0 + rows > this.rows || (long) col0 + cols > this.cols) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          "block at (" + row0 + ", " + col0 + ") of shape " + rows + "x" + cols
              + " does not fit in a " + this.rows + "x" + this.cols + " matrix.",
          "Choose a block inside the matrix.");
    }
    int start = rows == 0 || cols == 0 ? offset : index(row0, col0);
    return f32 != null
        ? new Matrix(DType.F32, f32, null, start, rows, cols, ld)
        : new Matrix(DType.F64, null, f64, start, rows, cols, ld);
  }

  /** Row i as a {@code 1 x cols} view. */
  public Matrix row(int i) {
    return view(i, 0, 1, cols);
  }

  /** Column j as a {@code rows x 1} view (stride {@code ld}). */
  public Matrix column(int j) {
    return view(0, j, rows, 1);
  }

  /** A new compact copy with the same dtype. */
  public Matrix copy() {
    return toDType(dtype);
  }

  /** A new compact copy converted to {@code target} (rounding when narrowing to F32). */
  public Matrix toDType(DType target) {
    Matrix out = zeros(target, rows, cols);
    for (int i = 0; i < rows && cols > 0; i++) {
      int src = offset + i * ld;
      int dst = i * cols;
      if (f32 != null && target == DType.F32) {
        System.arraycopy(f32, src, out.f32, dst, cols);
      } else if (f64 != null && target == DType.F64) {
        System.arraycopy(f64, src, out.f64, dst, cols);
      } else if (f32 != null) {
        for (int j = 0; j < cols; j++) {
          out.f64[dst + j] = f32[src + j];
        }
      } else {
        for (int j = 0; j < cols; j++) {
          out.f32[dst + j] = (float) f64[src + j];
        }
      }
    }
    return out;
  }

  /** A new compact {@code cols x rows} matrix holding the transpose. */
  public Matrix transposeCopy() {
    Matrix out = zeros(dtype, cols, rows);
    // In TRANSPOSE_TILE² tiles, writing along output rows and reading down source columns: the
    // tile's source rows stay in L1, so neither side strides across memory. The element-by-element
    // loop wrote every element a whole output row apart (a new page per write for tall inputs)
    // and took 0.9 s for an 8192×4096 F64 matrix.
    for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_TILE) {
      int i1 = Math.min(rows, i0 + TRANSPOSE_TILE);
      for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_TILE) {
        int j1 = Math.min(cols, j0 + TRANSPOSE_TILE);
        for (int j = j0; j < j1; j++) {
          int d = j * rows;
          int s = offset + i0 * ld + j;
          if (f32 != null) {
            for (int i = i0; i < i1; i++, s += ld) {
              out.f32[d + i] = f32[s];
            }
          } else {
            for (int i = i0; i < i1; i++, s += ld) {
              out.f64[d + i] = f64[s];
            }
          }
        }
      }
    }
    return out;
  }

  /** Tile edge of {@link #transposeCopy}. */
  private static final int TRANSPOSE_TILE = 32;

  /** Sets every element of this view to {@code value}. Modifies this view's array. */
  public void fill(double value) {
    for (int i = 0; i < rows && cols > 0; i++) {
      int s = offset + i * ld;
      if (f32 != null) {
        Arrays.fill(f32, s, s + cols, (float) value);
      } else {
        Arrays.fill(f64, s, s + cols, value);
      }
    }
  }

  /** Copies {@code source} (same shape; any dtype) into this view. Modifies this view's array. */
  public void copyFrom(Matrix source) {
    if (source.rows != rows || source.cols != cols) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "cannot copy a " + source.rows + "x" + source.cols + " matrix into a " + rows + "x" + cols + " view.",
          "Copy between views of the same shape.");
    }
    Matrix compact = source.dtype == dtype ? source : source.toDType(dtype);
    for (int i = 0; i < rows && cols > 0; i++) {
      int s = compact.offset + i * compact.ld;
      int d = offset + i * ld;
      if (f32 != null) {
        System.arraycopy(compact.f32, s, f32, d, cols);
      } else {
        System.arraycopy(compact.f64, s, f64, d, cols);
      }
    }
  }

  /**
   * Index range {@code [first, last)} of the backing array that this view touches
   * (including the gaps between rows); empty views return an empty range.
   */
  public long[] extent() {
    if (rows == 0 || cols == 0) {
      return new long[] {offset, offset};
    }
    return new long[] {offset, offset + (long) (rows - 1) * ld + cols};
  }

  /** True when both views may share elements: same array and overlapping extents. */
  public boolean mayOverlap(Matrix other) {
    if (array() != other.array()) {
      return false;
    }
    long[] a = extent();
    long[] b = other.extent();
    return a[0] < a[1] && b[0] < b[1] && a[0] < b[1] && b[0] < a[1];
  }

  @Override
  public String toString() {
    return "Matrix[" + dtype + " " + rows + "x" + cols + ", offset=" + offset + ", ld=" + ld + "]";
  }
}
