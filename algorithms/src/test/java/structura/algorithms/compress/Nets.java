package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.BatchNorm;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Layer;
import structura.api.nn.SequentialNetwork;

/** Test networks, data and the magnitude-pruning baseline. */
final class Nets {
  private Nets() {}

  static Matrix gaussian(Random rnd, int rows, int cols, double scale) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rnd.nextGaussian() * scale);
    }
    return Matrix.wrap(a, rows, cols);
  }

  /** A dense layer with He-scaled Gaussian rows whose norms vary (log-normal factors), like a trained layer. */
  static Dense trainedLike(Random rnd, int out, int in) {
    Matrix w = gaussian(rnd, out, in, Math.sqrt(2.0 / in));
    for (int i = 0; i < out; i++) {
      double f = Math.exp(0.5 * rnd.nextGaussian());
      for (int j = 0; j < in; j++) {
        w.set(i, j, w.get(i, j) * f);
      }
    }
    return new Dense(w, gaussian(rnd, 1, out, 0.1));
  }

  /** Samples x = A·z + 0.05·noise with z ~ N(0, I_latent): data on a low-dimensional subspace. */
  static Matrix structuredFeatures(Random rnd, Matrix a, int n) {
    int d = a.rows();
    int latent = a.cols();
    float[] x = new float[n * d];
    for (int s = 0; s < n; s++) {
      double[] z = new double[latent];
      for (int l = 0; l < latent; l++) {
        z[l] = rnd.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double v = 0.05 * rnd.nextGaussian();
        for (int l = 0; l < latent; l++) {
          v += a.get(i, l) * z[l];
        }
        x[s * d + i] = (float) v;
      }
    }
    return Matrix.wrap(x, n, d);
  }

  /**
   * Images that are random combinations of a few fixed smooth patterns (gratings with random
   * frequency and phase per channel) plus 5% noise.
   */
  static Matrix structuredImages(Random rnd, long patternSeed, int n, int c, int h, int w, int patterns) {
    Random pr = new Random(patternSeed);
    double[][] pat = new double[patterns][c * h * w];
    for (int p = 0; p < patterns; p++) {
      double fy = pr.nextDouble() * 0.8;
      double fx = pr.nextDouble() * 0.8;
      for (int ch = 0; ch < c; ch++) {
        double phase = pr.nextDouble() * 2 * Math.PI;
        double amp = 0.5 + pr.nextDouble();
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            pat[p][(ch * h + i) * w + j] = amp * Math.sin(fy * i + fx * j + phase);
          }
        }
      }
    }
    float[] x = new float[n * c * h * w];
    for (int s = 0; s < n; s++) {
      double[] coef = new double[patterns];
      for (int p = 0; p < patterns; p++) {
        coef[p] = rnd.nextGaussian();
      }
      for (int q = 0; q < c * h * w; q++) {
        double v = 0.05 * rnd.nextGaussian();
        for (int p = 0; p < patterns; p++) {
          v += coef[p] * pat[p][q];
        }
        x[s * c * h * w + q] = (float) v;
      }
    }
    return Matrix.wrap(x, n, c * h * w);
  }

  /** ‖a − b‖_F / ‖a‖_F. */
  static double relErr(Matrix a, Matrix b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        double d = a.get(i, j) - b.get(i, j);
        num += d * d;
        den += a.get(i, j) * a.get(i, j);
      }
    }
    return Math.sqrt(num / den);
  }

  /**
   * Magnitude pruning (the baseline): layer w keeps the {@code keep.get(w)} units with the largest
   * weight-row norms; the next weight layer loses the matching input columns; no correction.
   */
  static SequentialNetwork magnitudePrune(SequentialNetwork net, Map<Integer, Integer> keep) {
    List<Layer> layers = new ArrayList<>(net.layers());
    for (Map.Entry<Integer, Integer> e : keep.entrySet()) {
      int w = e.getKey();
      Matrix weight = weight(layers.get(w));
      int units = weight.rows();
      double[] norm = new double[units];
      for (int i = 0; i < units; i++) {
        for (int j = 0; j < weight.cols(); j++) {
          norm[i] += weight.get(i, j) * weight.get(i, j);
        }
      }
      int[] kept = IntStream.range(0, units).boxed().sorted(Comparator.comparingDouble(i -> -norm[i]))
          .limit(e.getValue()).mapToInt(Integer::intValue).sorted().toArray();
      layers.set(w, selectRows(layers.get(w), kept));
      int next = w + 1;
      while (!(layers.get(next) instanceof Dense || layers.get(next) instanceof Conv2d)) {
        if (layers.get(next) instanceof BatchNorm bn) {
          layers.set(next, new BatchNorm(cols(bn.gamma(), kept, 1), cols(bn.beta(), kept, 1),
              cols(bn.runningMean(), kept, 1), cols(bn.runningVar(), kept, 1), bn.eps()));
        }
        next++;
      }
      Matrix nw = weight(layers.get(next));
      int s = nw.cols() / units;
      Matrix cut = cols(nw, kept, s);
      layers.set(next, switch (layers.get(next)) {
        case Dense d -> new Dense(cut, d.bias());
        case Conv2d c -> new Conv2d(cut, c.bias(), kept.length, c.kernelH(), c.kernelW(), c.stride(), c.padding());
        default -> throw new IllegalStateException();
      });
    }
    return new SequentialNetwork(net.input(), layers);
  }

  static Matrix weight(Layer l) {
    return switch (l) {
      case Dense d -> d.weight();
      case Conv2d c -> c.weight();
      default -> throw new IllegalArgumentException("not a weight layer");
    };
  }

  static int units(Layer l) {
    return weight(l).rows();
  }

  private static Layer selectRows(Layer l, int[] kept) {
    Matrix w = weight(l);
    Matrix nw = Matrix.zeros(DType.F32, kept.length, w.cols());
    for (int i = 0; i < kept.length; i++) {
      nw.row(i).copyFrom(w.row(kept[i]));
    }
    Matrix bias = switch (l) {
      case Dense d -> d.bias();
      case Conv2d c -> c.bias();
      default -> null;
    };
    Matrix nb = bias == null ? null : cols(bias, kept, 1);
    return switch (l) {
      case Dense d -> new Dense(nw, nb);
      case Conv2d c -> new Conv2d(nw, nb, c.inChannels(), c.kernelH(), c.kernelW(), c.stride(), c.padding());
      default -> throw new IllegalStateException();
    };
  }

  /** Columns {@code kept[j]·s + q} of m, in that order. */
  private static Matrix cols(Matrix m, int[] kept, int s) {
    Matrix out = Matrix.zeros(DType.F32, m.rows(), kept.length * s);
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < kept.length; j++) {
        for (int q = 0; q < s; q++) {
          out.set(i, j * s + q, m.get(i, kept[j] * s + q));
        }
      }
    }
    return out;
  }

  static int[] ascending(int[] a) {
    int[] c = a.clone();
    Arrays.sort(c);
    return c;
  }
}
