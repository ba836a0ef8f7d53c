package structura.algorithms.compress;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Streaming second moments of activation rows: {@code G = Σ_t x_t x_tᵀ} (n × n), the column sums
 * {@code s = Σ_t x_t} and the row count, accumulated in F64 without keeping the rows. Rows arrive
 * in arbitrary-sized pieces ({@link #accept}), are copied into an F32 staging block of
 * {@code chunkRows} rows (at most 8192, 32 MiB), every full block's Gram {@code BᵀB} is one F32
 * {@link Compute#gram} call, and the blocks' Grams are summed in F64. Within a block the F32 sums
 * run over at most 8192 products (relative rounding about √8192·2⁻²⁴ ≈ 5e-6 typical), and the
 * accumulation over many blocks, where F32 would lose digits, is in double; the F32 routine runs
 * at twice the speed of the mixed F32→F64 one. With {@code f64Products} the mixed routine is used
 * instead ({@code G += BᵀB} with F32 inputs and F64 products and sums, beta = 1): no F32 rounding at
 * all (the chunk Gram's relative rounding, a few 1e-6 of the largest entries, otherwise bounds how
 * small an eigenvalue of G is resolved), at about half the speed.
 *
 * <p>With {@code sketchRows > 0} the rows are first compressed by a CountSketch S (each row t is
 * added, with a random sign, to one of {@code sketchRows} buckets): the Gram of the
 * {@code sketchRows × n} sketch, {@code XᵀSᵀSX}, is an unbiased estimate of {@code XᵀX} whose
 * cost no longer grows with the token count (Clarkson and Woodruff, STOC 2013). Column sums and
 * the count stay exact.
 *
 * <p>Costs: exact, {@code N·n²} flops (N rows) and {@code n²} doubles; sketched, {@code N·n}
 * flops while streaming plus {@code sketchRows·n²} at the end. Every accepted value is checked to
 * be finite, so a NaN from a broken layer is reported where it enters (with the layer's name)
 * rather than as a failed factorization later. Not thread-safe.
 */
public final class CovarianceAccumulator {
  private final Compute compute;
  private final String name;
  private final int n;
  private final int chunkRows;
  private final Matrix gram;
  private final double[] sums;
  private final float[] stage;
  private final Matrix chunkGram;
  private final boolean f64Products;
  private int staged;
  private long count;
  private final float[] sketch;
  /** Σ of the signs hashed into each bucket: S·1, for centering the sketch. */
  private final double[] bucketSigns;
  private final int sketchRows;
  private long hashState;

  /**
   * @param compute backend for the Gram products
   * @param name what the rows are, for error messages (e.g. "block 3 FFN intermediate")
   * @param n row width
   * @param sketchRows 0 for the exact Gram, else the CountSketch size (at least n is sensible)
   * @param seed CountSketch seed
   */
  public CovarianceAccumulator(Compute compute, String name, int n, int sketchRows, long seed) {
    this(compute, name, n, sketchRows, seed, false);
  }

  /**
   * @param compute backend for the Gram products
   * @param name what the rows are, for error messages (e.g. "block 3 FFN intermediate")
   * @param n row width
   * @param sketchRows 0 for the exact Gram, else the CountSketch size (at least n is sensible)
   * @param seed CountSketch seed
   * @param f64Products accumulate the exact Gram with F64 products (F32 → F64 Gram routine) instead
   *     of per-chunk F32 Grams summed in F64
   */
  public CovarianceAccumulator(Compute compute, String name, int n, int sketchRows, long seed, boolean f64Products) {
    this(compute, name, n, sketchRows, seed, f64Products, Math.max(64, Math.min(8192, (1 << 23) / Math.max(n, 1))));
  }

  /** With an explicit Gram block height (tests use small ones to cover several blocks cheaply). */
  CovarianceAccumulator(Compute compute, String name, int n, int sketchRows, long seed, int chunkRows) {
    this(compute, name, n, sketchRows, seed, false, chunkRows);
  }

  private CovarianceAccumulator(Compute compute, String name, int n, int sketchRows, long seed, boolean f64Products,
      int chunkRows) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.name = Objects.requireNonNull(name, "name");
    if (n <= 0 || sketchRows < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "covariance of width " + n + " with sketch "
          + sketchRows + ".", "Use a positive width and a sketch size >= 0.");
    }
    this.n = n;
    this.sketchRows = sketchRows;
    this.chunkRows = chunkRows;
    this.gram = Matrix.zeros(DType.F64, n, n);
    this.sums = new double[n];
    this.stage = sketchRows > 0 ? null : new float[chunkRows * n];
    this.f64Products = f64Products;
    // the F32 block Gram serves the exact rows and the sketch alike; F64 products need none
    this.chunkGram = f64Products && sketchRows == 0 ? null : Matrix.zeros(DType.F32, n, n);
    this.sketch = sketchRows > 0 ? new float[Math.multiplyExact(sketchRows, n)] : null;
    this.bucketSigns = sketchRows > 0 ? new double[sketchRows] : null;
    this.hashState = seed ^ 0x9E3779B97F4A7C15L;
  }

  /** Row width n. */
  public int width() {
    return n;
  }

  /** Rows accepted so far. */
  public long count() {
    return count;
  }

  /** Adds the rows of {@code rows} ({@code r × n}, F32, any view). Not modified. */
  public void accept(Matrix rows) {
    if (rows.cols() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, name + ": rows of width " + rows.cols()
          + " where " + n + " was expected.", "Feed rows of the layer this accumulator was made for.");
    }
    float[] a = rows.f32();
    for (int i = 0; i < rows.rows(); i++) {
      int src = rows.index(i, 0);
      // no per-element finiteness test here: it keeps the loop from vectorizing, and a NaN or
      // infinity shows up in the column sums anyway (a float cannot overflow a double sum)
      for (int j = 0; j < n; j++) {
        sums[j] += a[src + j];
      }
      if (sketch != null) {
        long h = nextHash();
        int bucket = (int) Long.remainderUnsigned(h >>> 1, sketchRows);
        float sign = (h & 1) == 0 ? 1f : -1f;
        bucketSigns[bucket] += sign;
        int dst = bucket * n;
        for (int j = 0; j < n; j++) {
          sketch[dst + j] += sign * a[src + j];
        }
      } else {
        System.arraycopy(a, src, stage, staged * n, n);
        if (++staged == chunkRows) {
          flush();
        }
      }
    }
    for (int j = 0; j < n; j++) {
      if (!Double.isFinite(sums[j])) {
        throw nonFinite(rows, j);
      }
    }
    count += rows.rows();
  }

  /** The error for the first non-finite value of column j (the sums of that column went non-finite). */
  private InvalidArgumentException nonFinite(Matrix rows, int column) {
    int row = 0;
    double value = Double.NaN;
    for (int i = 0; i < rows.rows(); i++) {
      float v = rows.f32()[rows.index(i, column)];
      if (!Float.isFinite(v)) {
        row = i;
        value = v;
        break;
      }
    }
    return new InvalidArgumentException(ErrorCode.INVALID_INPUT, name + ": activation " + value + " at row "
        + (count + row) + ", column " + column + ".",
        "The model produces non-finite activations on the calibration data; check the model file and the texts.");
  }

  private long nextHash() {
    // splitmix64: a fresh independent bucket and sign per row
    long z = (hashState += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private void flush() {
    if (staged > 0 && f64Products) {
      compute.gram(Transpose.T, 1.0, Matrix.wrap(stage, 0, staged, n, n), 1.0, gram);
    } else if (staged > 0) {
      addChunkGram(stage, 0, staged, gram.f64());
    }
    staged = 0;
  }

  /** {@code into += BᵀB} for the {@code rows × n} block B at {@code data[offset..]}: one F32 Gram, summed in F64. */
  private void addChunkGram(float[] data, int offset, int rows, double[] into) {
    compute.gram(Transpose.T, 1.0, Matrix.wrap(data, offset, rows, n, n), 0.0, chunkGram);
    float[] c = chunkGram.f32();
    for (int i = 0; i < c.length; i++) {
      into[i] += c[i];
    }
  }

  /**
   * The accumulated moments. Finishes pending work; the accumulator can keep accepting rows
   * afterwards (the returned object does not change).
   *
   * @throws InvalidArgumentException if no rows were accepted
   */
  public Moments moments() {
    if (count == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, name + ": no calibration rows were seen.",
          "Pass calibration texts that contain at least one token each.");
    }
    if (sketch == null) {
      flush();
      return new Moments(gram.copy(), sums.clone(), count, null);
    }
    // F32 Gram blocks summed in F64, as for exact rows: twice the speed of the mixed routine
    Matrix g = Matrix.zeros(DType.F64, n, n);
    for (int from = 0; from < sketchRows; from += chunkRows) {
      addChunkGram(sketch, from * n, Math.min(chunkRows, sketchRows - from), g.f64());
    }
    // s = S1 (the bucket sign sums) and q = (SX)ᵀs, for the centered sketch's Gram
    double[] q = new double[n];
    double ss = 0;
    for (int b = 0; b < sketchRows; b++) {
      double sb = bucketSigns[b];
      if (sb != 0) {
        ss += sb * sb;
        int row = b * n;
        for (int j = 0; j < n; j++) {
          q[j] += sb * sketch[row + j];
        }
      }
    }
    return new Moments(g, sums.clone(), count, new SketchCentering(q, ss));
  }

  /**
   * What the Gram of the centered sketch {@code S(X − 1μᵀ) = SX − (S1)μᵀ} needs besides the
   * sketched G: it is {@code G − qμᵀ − μqᵀ + (sᵀs)μμᵀ} with {@code s = S1}, {@code q = (SX)ᵀs}.
   * Its error is relative to the centered energy; {@code G − Nμμᵀ} from a sketched G would carry
   * the sketch's error relative to the uncentered energy, which for activations with a large mean
   * (GELU outputs) swamps the centered part.
   *
   * @param q {@code (SX)ᵀs}, length n
   * @param ss {@code sᵀs}
   */
  public record SketchCentering(double[] q, double ss) {}

  /**
   * Second moments of N rows.
   *
   * @param gram {@code Σ x xᵀ}, n × n F64 (estimated when sketched)
   * @param sums {@code Σ x}
   * @param count N
   * @param sketchCentering when sketched, what turns {@code gram} into the Gram of the centered
   *     sketch (the estimate of the centered scatter that {@link #centeredScatter} returns), else null
   */
  public record Moments(Matrix gram, double[] sums, long count, SketchCentering sketchCentering) {
    /** The mean row {@code s/N}. */
    public double[] mean() {
      double[] m = sums.clone();
      for (int i = 0; i < m.length; i++) {
        m[i] /= count;
      }
      return m;
    }

    /**
     * The centered scatter {@code Σ (x − μ)(x − μ)ᵀ = G − N μμᵀ}, a new n × n F64 matrix; when
     * sketched, the Gram of the centered sketch.
     */
    public Matrix centeredScatter() {
      int n = sums.length;
      Matrix c = gram.copy();
      if (sketchCentering != null) {
        double[] q = sketchCentering.q();
        double ss = sketchCentering.ss();
        double[] mu = mean();
        double[] a = c.f64();
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            a[c.index(i, j)] += -q[i] * mu[j] - mu[i] * q[j] + ss * mu[i] * mu[j];
          }
        }
        return c;
      }
      double[] a = c.f64();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[c.index(i, j)] -= sums[i] * sums[j] / count;
        }
      }
      return c;
    }
  }
}
