package structura.algorithms.nn;

import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.BatchNorm;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Flatten;
import structura.api.nn.Layer;
import structura.api.nn.MaxPool2d;
import structura.api.nn.Relu;
import structura.api.nn.SequentialNetwork;

/**
 * The F32 forward pass of a {@link SequentialNetwork} on a {@link Compute} backend, with
 * per-layer activation capture ({@link SequentialHook}). A batch is an {@code N × (C·H·W)} NCHW
 * matrix.
 *
 * <p><b>Method.</b> Dense: one GEMM {@code Y = X·Wᵀ} with the bias pre-loaded into Y
 * ({@code beta = 1}). Conv2d: im2col: the patches of a chunk of images form a
 * {@code (n·Hout·Wout) × (I·kh·kw)} matrix P (zero outside the padded border), one GEMM gives
 * {@code P·Wᵀ} (pixels × channels, bias pre-loaded), which is scattered to NCHW. Chunks hold at most
 * about 4M patch entries. ReLU, batch norm (per channel, in place), max-pool and flatten (a relabelling
 * of the shape: NCHW rows are already in C·H·W order) are plain loops.
 *
 * <p><b>Cost.</b> The GEMMs: {@code 2·N·out·in} per Dense and {@code 2·N·Hout·Wout·O·I·kh·kw} per
 * Conv2d ({@link SequentialNetwork#flops()} per sample); im2col copies {@code N·Hout·Wout·I·kh·kw}
 * values. Memory: the input and output of one layer plus one patch chunk. Instances hold no
 * per-call state; nothing passed in is modified.
 */
public final class SequentialForward {
  private static final long PATCH_CHUNK = 1L << 22;

  private final Compute compute;
  private final SequentialNetwork network;

  /**
   * @param compute backend of the GEMMs
   * @param network the network, shared and not modified
   */
  public SequentialForward(Compute compute, SequentialNetwork network) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.network = Objects.requireNonNull(network, "network");
  }

  /** The network this pass runs. */
  public SequentialNetwork network() {
    return network;
  }

  /** The network output for a batch. */
  public Matrix forward(Matrix input) {
    return forward(input, network.layers().size() - 1, null);
  }

  /**
   * Runs layers {@code 0 … lastLayer} on a batch and returns the output of {@code lastLayer}.
   *
   * @param input {@code N × input.size()} F32 (N may be 0)
   * @param lastLayer index of the last layer to run
   * @param hook receives every layer's output; may be null
   * @throws InvalidArgumentException if the input is not F32 or has the wrong width
   */
  public Matrix forward(Matrix input, int lastLayer, SequentialHook hook) {
    Objects.requireNonNull(input, "input");
    List<Layer> layers = network.layers();
    Objects.checkIndex(lastLayer, layers.size());
    if (input.dtype() != DType.F32) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "SequentialForward: the input is " + input.dtype() + " but the network runs in F32.",
          "Convert it with Matrix.toDType(DType.F32).");
    }
    if (input.cols() != network.input().size()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "SequentialForward: the input has "
          + input.cols() + " columns but the network's input shape " + network.input() + " has "
          + network.input().size() + " values.", "Pass one NCHW sample per row.");
    }
    List<SequentialNetwork.Shape> shapes = network.shapes();
    Matrix x = input;
    SequentialNetwork.Shape s = network.input();
    boolean owned = false;
    for (int i = 0; i <= lastLayer; i++) {
      Layer layer = layers.get(i);
      SequentialNetwork.Shape out = shapes.get(i);
      switch (layer) {
        case Dense d -> {
          x = dense(d, x);
          owned = true;
        }
        case Conv2d c -> {
          x = conv(c, x, s, out);
          owned = true;
        }
        case BatchNorm b -> {
          if (!owned) {
            x = x.copy();
            owned = true;
          }
          batchNorm(b, x, s);
        }
        case Relu r -> {
          if (!owned) {
            x = x.copy();
            owned = true;
          }
          relu(x);
        }
        case MaxPool2d m -> {
          x = maxPool(m, x, s, out);
          owned = true;
        }
        case Flatten f -> { }
      }
      s = out;
      if (hook != null) {
        hook.layerOutput(i, x, s);
      }
    }
    return owned ? x : x.copy();
  }

  private Matrix dense(Dense d, Matrix x) {
    int n = x.rows();
    Matrix y = Matrix.zeros(DType.F32, n, d.out());
    if (d.bias() != null) {
      for (int i = 0; i < n; i++) {
        y.row(i).copyFrom(d.bias());
      }
    }
    compute.gemm(Transpose.N, Transpose.T, 1.0, x, d.weight(), d.bias() == null ? 0.0 : 1.0, y);
    return y;
  }

  private Matrix conv(Conv2d c, Matrix x, SequentialNetwork.Shape in, SequentialNetwork.Shape out) {
    int n = x.rows();
    int ci = in.channels();
    int h = in.height();
    int w = in.width();
    int kh = c.kernelH();
    int kw = c.kernelW();
    int k = c.weight().cols();
    int o = c.outChannels();
    int ho = out.height();
    int wo = out.width();
    int pix = ho * wo;
    Matrix y = Matrix.zeros(DType.F32, n, out.size());
    if (n == 0) {
      return y;
    }
    int chunk = (int) Math.max(1, Math.min(n, PATCH_CHUNK / Math.max(1L, (long) pix * k)));
    float[] xs = x.f32();
    float[] ys = y.f32();
    for (int b0 = 0; b0 < n; b0 += chunk) {
      int nb = Math.min(chunk, n - b0);
      float[] p = new float[Math.multiplyExact(nb * pix, k)];
      for (int b = 0; b < nb; b++) {
        int xBase = x.index(b0 + b, 0);
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            int prow = ((b * ho + oy) * wo + ox) * k;
            for (int i = 0; i < ci; i++) {
              for (int dy = 0; dy < kh; dy++) {
                int iy = oy * c.stride() - c.padding() + dy;
                int col = prow + (i * kh + dy) * kw;
                if (iy < 0 || iy >= h) {
                  continue;
                }
                int src = xBase + (i * h + iy) * w;
                for (int dx = 0; dx < kw; dx++) {
                  int ix = ox * c.stride() - c.padding() + dx;
                  if (ix >= 0 && ix < w) {
                    p[col + dx] = xs[src + ix];
                  }
                }
              }
            }
          }
        }
      }
      Matrix pm = Matrix.wrap(p, nb * pix, k);
      Matrix z = Matrix.zeros(DType.F32, nb * pix, o);
      if (c.bias() != null) {
        for (int r = 0; r < nb * pix; r++) {
          z.row(r).copyFrom(c.bias());
        }
      }
      compute.gemm(Transpose.N, Transpose.T, 1.0, pm, c.weight(), c.bias() == null ? 0.0 : 1.0, z);
      float[] zs = z.f32();
      for (int b = 0; b < nb; b++) {
        int yBase = y.index(b0 + b, 0);
        for (int q = 0; q < pix; q++) {
          int zrow = (b * pix + q) * o;
          for (int ch = 0; ch < o; ch++) {
            ys[yBase + ch * pix + q] = zs[zrow + ch];
          }
        }
      }
    }
    return y;
  }

  private static void relu(Matrix x) {
    float[] a = x.f32();
    for (int i = 0; i < x.rows(); i++) {
      int base = x.index(i, 0);
      for (int j = 0; j < x.cols(); j++) {
        if (!(a[base + j] >= 0f)) {
          a[base + j] = Float.isNaN(a[base + j]) ? a[base + j] : 0f;
        }
      }
    }
  }

  private static void batchNorm(BatchNorm bn, Matrix x, SequentialNetwork.Shape s) {
    int sp = s.spatial();
    float[] a = x.f32();
    for (int c = 0; c < s.channels(); c++) {
      double scale = bn.gamma().get(0, c) / Math.sqrt(bn.runningVar().get(0, c) + bn.eps());
      double shift = bn.beta().get(0, c) - bn.runningMean().get(0, c) * scale;
      for (int i = 0; i < x.rows(); i++) {
        int base = x.index(i, c * sp);
        for (int q = 0; q < sp; q++) {
          a[base + q] = (float) (a[base + q] * scale + shift);
        }
      }
    }
  }

  private static Matrix maxPool(MaxPool2d m, Matrix x, SequentialNetwork.Shape in, SequentialNetwork.Shape out) {
    int n = x.rows();
    int h = in.height();
    int w = in.width();
    int ho = out.height();
    int wo = out.width();
    Matrix y = Matrix.zeros(DType.F32, n, out.size());
    float[] a = x.f32();
    float[] ys = y.f32();
    for (int b = 0; b < n; b++) {
      int xBase = x.index(b, 0);
      int yBase = y.index(b, 0);
      for (int c = 0; c < in.channels(); c++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int dy = 0; dy < m.kernel(); dy++) {
              int src = xBase + (c * h + oy * m.stride() + dy) * w + ox * m.stride();
              for (int dx = 0; dx < m.kernel(); dx++) {
                float v = a[src + dx];
                if (v > best || Float.isNaN(v)) {
                  best = v;
                }
              }
            }
            ys[yBase + (c * ho + oy) * wo + ox] = best;
          }
        }
      }
    }
    return y;
  }
}
