package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.nn.LayerActivations;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * {@link ActivationSpectra} and {@link ClassSpectra} against covariances formed densely from the
 * activations themselves ({@link LayerActivations}) and EJML's symmetric eigensolver.
 */
class SpectraAgainstDenseTest {
  static final Compute C = Compute.reference();

  /** Eigenvalues (descending) of the covariance of the rows of x, by EJML. */
  static double[] denseSpectrum(Matrix x) {
    int n = x.rows();
    int d = x.cols();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x.get(i, j) / n;
      }
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double xa = x.get(i, a) - mean[a];
        for (int b = 0; b < d; b++) {
          cov.add(a, b, xa * (x.get(i, b) - mean[b]) / n);
        }
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
    eig.decompose(cov);
    double[] ev = new double[d];
    for (int i = 0; i < d; i++) {
      ev[i] = eig.getEigenvalue(i).real;
    }
    java.util.Arrays.sort(ev);
    double[] desc = new double[d];
    for (int i = 0; i < d; i++) {
      desc[i] = ev[d - 1 - i];
    }
    return desc;
  }

  static CalibrationData batches(long seed, int texts) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<int[]> ids = new ArrayList<>();
    for (int t = 0; t < texts; t++) {
      int[] s = new int[3 + rnd.nextInt(10)];
      for (int i = 0; i < s.length; i++) {
        s[i] = 1 + rnd.nextInt(90);
      }
      ids.add(s);
    }
    return CalibrationData.of(ids, 4, 0);
  }

  @Test
  void layerSpectraMatchTheCovarianceOfTheCollectedActivations() {
    TransformerNetwork net = RandomNetworks.bert(3, 100, 2, 8, 48, 2);
    CalibrationData data = batches(4, 10);
    List<ActivationSpectra.Layer> layers = ActivationSpectra.measure(C, net, data.batches(), null);
    assertEquals(2, layers.size());
    TransformerForward f = new TransformerForward(C, net);
    for (ActivationSpectra.Layer l : layers) {
      for (LayerActivations.Kind kind : LayerActivations.Kind.values()) {
        double[] ref = denseSpectrum(LayerActivations.collect(f, data.batches(), l.block(), kind, null));
        double[] mine = (kind == LayerActivations.Kind.HIDDEN ? l.hidden() : l.ffn()).eigenvalues();
        assertEquals(ref.length, mine.length);
        for (int i = 0; i < ref.length; i++) {
          assertEquals(Math.max(0, ref[i]), mine[i], 1e-9 * ref[0], kind + " block " + l.block() + " eigenvalue " + i);
        }
      }
    }
  }

  @Test
  void classSpectraAreEachClassCovarianceAndTheImbalanceTheirLargestDistance() {
    SplittableRandom rnd = new SplittableRandom(9);
    int d = 6;
    double[] scale = {1, 1.5, 3};
    String[] names = {"a", "b", "c"};
    int per = 40;
    Matrix x = Matrix.zeros(DType.F64, 3 * per, d);
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < per; i++) {
        for (int j = 0; j < d; j++) {
          x.set(c * per + i, j, scale[c] * (rnd.nextDouble() - 0.5) * (j + 1) + 5 * c);
        }
        labels.add(names[c]);
      }
    }
    ClassSpectra.Result r = ClassSpectra.of(C, x, labels);
    double worst = 0;
    for (int c = 0; c < 3; c++) {
      double[] ref = denseSpectrum(x.view(c * per, 0, per, d).copy());
      double[] mine = r.spectra().get(names[c]).eigenvalues();
      for (int i = 0; i < d; i++) {
        assertEquals(ref[i], mine[i], 1e-10 * ref[0], "class " + names[c] + " eigenvalue " + i);
      }
      assertEquals(per, r.counts().get(names[c]));
      for (int o = c + 1; o < 3; o++) {
        worst = Math.max(worst, new Spectrum(ref).distance(new Spectrum(denseSpectrum(x.view(o * per, 0, per, d).copy()))));
      }
    }
    assertEquals(worst, r.imbalance(), 1e-9);
    assertEquals("a", r.mostDistantA());
    assertEquals("c", r.mostDistantB());
  }

  @Test
  void oneClassOrASingletonClassIsRefused() {
    Matrix x = Matrix.zeros(DType.F64, 3, 2);
    assertThrows(InvalidArgumentException.class, () -> ClassSpectra.of(C, x, List.of("a", "a", "a")));
    assertThrows(InvalidArgumentException.class, () -> ClassSpectra.of(C, x, List.of("a", "a", "b")));
    assertThrows(InvalidArgumentException.class, () -> ClassSpectra.of(C, x, List.of("a", "b")));
  }
}
