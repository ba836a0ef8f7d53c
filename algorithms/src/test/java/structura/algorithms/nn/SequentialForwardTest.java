package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.BatchNorm;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Flatten;
import structura.api.nn.Layer;
import structura.api.nn.MaxPool2d;
import structura.api.nn.Relu;
import structura.api.nn.SequentialNetwork;

/** SequentialForward against a naive direct-loop reference in double precision. */
class SequentialForwardTest {
  static Matrix random(Random rnd, int rows, int cols, double scale) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rnd.nextGaussian() * scale);
    }
    return Matrix.wrap(a, rows, cols);
  }

  static Matrix positive(Random rnd, int cols) {
    float[] a = new float[cols];
    for (int i = 0; i < cols; i++) {
      a[i] = (float) (0.5 + rnd.nextDouble());
    }
    return Matrix.wrap(a, 1, cols);
  }

  /** Naive reference: one sample as double[C][H][W] through the layers. */
  static double[] reference(SequentialNetwork net, Matrix input, int sample) {
    SequentialNetwork.Shape s = net.input();
    double[][][] x = new double[s.channels()][s.height()][s.width()];
    for (int c = 0; c < s.channels(); c++) {
      for (int i = 0; i < s.height(); i++) {
        for (int j = 0; j < s.width(); j++) {
          x[c][i][j] = input.get(sample, (c * s.height() + i) * s.width() + j);
        }
      }
    }
    for (Layer l : net.layers()) {
      x = switch (l) {
        case Conv2d cv -> {
          int h = x[0].length;
          int w = x[0][0].length;
          int ho = (h + 2 * cv.padding() - cv.kernelH()) / cv.stride() + 1;
          int wo = (w + 2 * cv.padding() - cv.kernelW()) / cv.stride() + 1;
          double[][][] y = new double[cv.outChannels()][ho][wo];
          for (int o = 0; o < cv.outChannels(); o++) {
            for (int oy = 0; oy < ho; oy++) {
              for (int ox = 0; ox < wo; ox++) {
                double acc = cv.bias() == null ? 0 : cv.bias().get(0, o);
                for (int c = 0; c < cv.inChannels(); c++) {
                  for (int dy = 0; dy < cv.kernelH(); dy++) {
                    for (int dx = 0; dx < cv.kernelW(); dx++) {
                      int iy = oy * cv.stride() - cv.padding() + dy;
                      int ix = ox * cv.stride() - cv.padding() + dx;
                      if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                        acc += cv.weight().get(o, (c * cv.kernelH() + dy) * cv.kernelW() + dx) * x[c][iy][ix];
                      }
                    }
                  }
                }
                y[o][oy][ox] = acc;
              }
            }
          }
          yield y;
        }
        case BatchNorm bn -> {
          double[][][] y = new double[x.length][x[0].length][x[0][0].length];
          for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < x[0].length; i++) {
              for (int j = 0; j < x[0][0].length; j++) {
                y[c][i][j] = (x[c][i][j] - bn.runningMean().get(0, c)) / Math.sqrt(bn.runningVar().get(0, c) + bn.eps())
                    * bn.gamma().get(0, c) + bn.beta().get(0, c);
              }
            }
          }
          yield y;
        }
        case Relu r -> {
          double[][][] y = new double[x.length][x[0].length][x[0][0].length];
          for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < x[0].length; i++) {
              for (int j = 0; j < x[0][0].length; j++) {
                y[c][i][j] = Math.max(0, x[c][i][j]);
              }
            }
          }
          yield y;
        }
        case MaxPool2d m -> {
          int ho = (x[0].length - m.kernel()) / m.stride() + 1;
          int wo = (x[0][0].length - m.kernel()) / m.stride() + 1;
          double[][][] y = new double[x.length][ho][wo];
          for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < ho; i++) {
              for (int j = 0; j < wo; j++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < m.kernel(); a++) {
                  for (int b = 0; b < m.kernel(); b++) {
                    best = Math.max(best, x[c][i * m.stride() + a][j * m.stride() + b]);
                  }
                }
                y[c][i][j] = best;
              }
            }
          }
          yield y;
        }
        case Flatten f -> {
          double[][][] y = new double[x.length * x[0].length * x[0][0].length][1][1];
          int p = 0;
          for (double[][] ch : x) {
            for (double[] row : ch) {
              for (double v : row) {
                y[p++][0][0] = v;
              }
            }
          }
          yield y;
        }
        case Dense d -> {
          double[][][] y = new double[d.out()][1][1];
          for (int o = 0; o < d.out(); o++) {
            double acc = d.bias() == null ? 0 : d.bias().get(0, o);
            for (int i = 0; i < d.in(); i++) {
              acc += d.weight().get(o, i) * x[i][0][0];
            }
            y[o][0][0] = acc;
          }
          yield y;
        }
      };
    }
    List<Double> flat = new ArrayList<>();
    for (double[][] ch : x) {
      for (double[] row : ch) {
        for (double v : row) {
          flat.add(v);
        }
      }
    }
    return flat.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static SequentialNetwork cnn(Random rnd) {
    List<Layer> layers = List.of(
        new Conv2d(random(rnd, 6, 3 * 3 * 3, 0.3), random(rnd, 1, 6, 0.1), 3, 3, 3, 1, 1),
        new BatchNorm(positive(rnd, 6), random(rnd, 1, 6, 0.1), random(rnd, 1, 6, 0.1), positive(rnd, 6), 1e-5),
        new Relu(),
        new MaxPool2d(2, 2),
        new Conv2d(random(rnd, 5, 6 * 2 * 3, 0.3), null, 6, 2, 3, 2, 1),
        new Relu(),
        new MaxPool2d(2, 1),
        new Flatten(),
        new Dense(random(rnd, 7, 5 * 2 * 2, 0.3), random(rnd, 1, 7, 0.1)),
        new Relu(),
        new Dense(random(rnd, 4, 7, 0.3), null));
    return new SequentialNetwork(new SequentialNetwork.Shape(3, 11, 10), layers);
  }

  @Test
  void convPoolFlattenDenseMatchNaiveLoops() {
    Random rnd = new Random(11);
    SequentialNetwork net = cnn(rnd);
    // shapes: 6x11x10 -> pool 6x5x5 -> conv (2x3, stride 2, pad 1) 5x3x3 -> pool 2 stride 1: 5x2x2
    assertEquals(new SequentialNetwork.Shape(5, 3, 3), net.shapes().get(4));
    assertEquals(new SequentialNetwork.Shape(5, 2, 2), net.shapes().get(6));
    Matrix x = random(rnd, 9, 3 * 11 * 10, 1.0);
    Matrix y = new SequentialForward(Compute.reference(), net).forward(x);
    assertEquals(9, y.rows());
    assertEquals(4, y.cols());
    for (int b = 0; b < 9; b++) {
      double[] ref = reference(net, x, b);
      for (int j = 0; j < 4; j++) {
        assertEquals(ref[j], y.get(b, j), 1e-5 * (1 + Math.abs(ref[j])), "sample " + b + " output " + j);
      }
    }
  }

  @Test
  void hookSeesEveryLayerInNchwOrder() {
    Random rnd = new Random(12);
    SequentialNetwork net = cnn(rnd);
    Matrix x = random(rnd, 3, 3 * 11 * 10, 1.0);
    List<Integer> seen = new ArrayList<>();
    Matrix[] afterPool = new Matrix[1];
    new SequentialForward(Compute.reference(), net).forward(x, 6, (layer, rows, shape) -> {
      seen.add(layer);
      assertEquals(shape.size(), rows.cols());
      assertEquals(net.shapes().get(layer), shape);
      if (layer == 3) {
        afterPool[0] = rows.copy();
      }
    });
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), seen);
    // the pooled map of layer 3 against the reference network cut after layer 3
    SequentialNetwork head = new SequentialNetwork(net.input(), net.layers().subList(0, 4));
    for (int b = 0; b < 3; b++) {
      double[] ref = reference(head, x, b);
      for (int j = 0; j < ref.length; j++) {
        assertEquals(ref[j], afterPool[0].get(b, j), 1e-5 * (1 + Math.abs(ref[j])));
      }
    }
  }

  @Test
  void flopsCountConvAndDenseMultiplyAdds() {
    SequentialNetwork net = cnn(new Random(13));
    long conv1 = 2L * 6 * 27 * 11 * 10;
    long conv2 = 2L * 5 * 36 * 3 * 3;
    long dense = 2L * 7 * 20 + 2L * 4 * 7;
    assertEquals(conv1 + conv2 + dense, net.flops());
  }

  @Test
  void rejectsMisfitShapesAndInputs() {
    Random rnd = new Random(14);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new SequentialNetwork(
        new SequentialNetwork.Shape(3, 4, 4), List.of(new Dense(random(rnd, 2, 48, 1), null))));
    assertTrue(e.getMessage().contains("Flatten"), e.getMessage());
    SequentialNetwork net = cnn(rnd);
    SequentialForward f = new SequentialForward(Compute.reference(), net);
    assertThrows(InvalidArgumentException.class, () -> f.forward(Matrix.zeros(DType.F32, 2, 5)));
    assertThrows(InvalidArgumentException.class, () -> f.forward(Matrix.zeros(DType.F64, 2, 330)));
  }
}
