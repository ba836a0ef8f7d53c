package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * SVD-LLM ({@link SvdStrategy}): the truncation-aware whitening theorem against an EJML SVD of the
 * layer output, the rank and ratio arithmetic, budgets, and end to end on networks whose layer
 * inputs are exactly low rank.
 */
class SvdStrategyTest {
  static final Compute C = Compute.reference();

  // ---- the whitening theorem -----------------------------------------------------------------

  /** Singular values of a (EJML, independent of the code under test), decreasing. */
  static double[] singularValues(double[][] a) {
    DMatrixRMaj m = new DMatrixRMaj(a);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
    assertTrue(svd.decompose(m));
    double[] s = svd.getSingularValues().clone();
    java.util.Arrays.sort(s);
    double[] d = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = s[s.length - 1 - i];
    }
    return d;
  }

  /** N × n inputs with correlated columns of very different scales (so whitening matters). */
  static double[][] anisotropicInputs(long seed, int rows, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] g = CompressionFixtures.gaussian(rnd, rows, n);
    double[][] mix = CompressionFixtures.gaussian(rnd, n, n);
    double[][] x = CompressionFixtures.multiply(g, mix);
    for (double[] row : x) {
      for (int j = 0; j < n; j++) {
        row[j] *= Math.pow(10, -2.0 * j / n);
      }
    }
    return x;
  }

  static double[][] scaled(double[][] a, double s) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        out[i][j] = a[i][j] * s;
      }
    }
    return out;
  }

  @Test
  void truncationLossIsExactlyTheDiscardedSingularValuesOfTheWhitenedWeight() {
    int n = 24;
    int m = 16;
    int rows = 300;
    double[][] x = anisotropicInputs(3, rows, n);
    CompressionFixtures.f32InPlace(x);
    double[][] w = CompressionFixtures.gaussian(new SplittableRandom(4), m, n);
    Matrix wm = CompressionFixtures.f32InPlace(w);
    Matrix bias = Matrix.zeros(DType.F32, 1, m);
    bias.set(0, 3, 0.5);
    Linear layer = new Linear(wm, bias);
    double[][] cov = scaled(CompressionFixtures.gram(x), 1.0 / rows);
    SvdStrategy.Whitening white = SvdStrategy.whitening(C, CompressionFixtures.f64(cov), 1e-6, "test");
    assertEquals(0.0, white.shift(), "C is positive definite: no shift");
    // the reference: singular values of the layer output X Wᵀ / √N (σ(W S) = σ(X Wᵀ)/√N for any S Sᵀ = XᵀX/N)
    double[] sigma = singularValues(scaled(CompressionFixtures.multiplyTransposed(x, w), 1 / Math.sqrt(rows)));
    double total = 0;
    for (double s : sigma) {
      total += s * s;
    }
    SvdStrategy.Whitening identity = SvdStrategy.whitening(C, Matrix.identity(DType.F64, n), 0, "identity");
    for (int k = 1; k < m; k++) {
      SvdStrategy.Factored f = SvdStrategy.lowRank(C, layer, white, k);
      assertEquals(k, f.layer().rank());
      assertEquals(0.0, CompressionFixtures.maxDiff(bias, f.layer().bias()), "the bias is kept");
      double loss = outputLoss(x, w, f, rows);
      double tail = 0;
      for (int i = k; i < sigma.length; i++) {
        tail += sigma[i] * sigma[i];
      }
      assertEquals(tail, loss, 1e-4 * tail + 1e-9 * total, "k = " + k);
      assertEquals(Math.sqrt(tail / total), f.error(), 1e-5 * Math.sqrt(tail / total) + 1e-7, "reported error, k = " + k);
      // plain truncated SVD of W (no whitening) does worse on this data: the whitening is what makes the loss minimal
      double plainLoss = outputLoss(x, w, SvdStrategy.lowRank(C, layer, identity, k), rows);
      // Eckart–Young: no rank-k weight does better than the whitened truncation on this data
      assertTrue(plainLoss >= loss * (1 - 1e-4), "k = " + k + ": unwhitened " + plainLoss + " vs whitened " + loss);
      if (k == m / 2) {
        assertTrue(plainLoss > 1.5 * loss, "k = " + k + ": unwhitened " + plainLoss + " vs whitened " + loss);
      }
    }
  }

  @Test
  void singularSecondMomentIsShiftedAsSvdLlmDoes() {
    // 5 rows in 12 dimensions: XᵀX/N has rank 5, Cholesky fails, the eigenvalue shift makes it definite
    double[][] x = CompressionFixtures.gaussian(new SplittableRandom(8), 5, 12);
    double[][] cov = scaled(CompressionFixtures.gram(x), 1.0 / 5);
    double mean = 0;
    for (int i = 0; i < 12; i++) {
      mean += cov[i][i] / 12;
    }
    SvdStrategy.Whitening w = SvdStrategy.whitening(C, CompressionFixtures.f64(cov), 1e-3, "rank 5");
    assertTrue(w.shift() >= 1e-3 && w.shift() < 1e-3 + 1e-9, "relative shift " + w.shift());
    double[][] l = CompressionFixtures.array(w.l());
    double[][] llt = CompressionFixtures.multiplyTransposed(l, l);
    double[][] linv = CompressionFixtures.array(w.inverse());
    double[][] id = CompressionFixtures.multiply(l, linv);
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 12; j++) {
        double expected = cov[i][j] + (i == j ? w.shift() * mean : 0);
        assertEquals(expected, llt[i][j], 1e-9 * mean);
        assertEquals(i == j ? 1 : 0, id[i][j], 1e-8);
        if (j > i) {
          assertEquals(0.0, l[i][j], "lower triangular");
        }
      }
    }
    InvalidArgumentException zero = assertThrows(InvalidArgumentException.class,
        () -> SvdStrategy.whitening(C, Matrix.zeros(DType.F64, 4, 4), 1e-6, "block 2 FFN intermediate"));
    assertEquals(ErrorCode.INVALID_INPUT, zero.code());
    assertTrue(zero.getMessage().contains("block 2 FFN intermediate"), zero.getMessage());
  }

  // ---- ranks and budgets ---------------------------------------------------------------------

  @Test
  void ranksFollowSvdLlmsFormula() {
    assertEquals(96, SvdStrategy.rank(384, 384, 0.5)); // 384·384·0.5/768
    assertEquals(153, SvdStrategy.rank(1536, 384, 0.5)); // 153.6
    assertEquals(153, SvdStrategy.rank(384, 1536, 0.5));
    assertEquals(245, SvdStrategy.rank(384, 1536, 0.8)); // 245.76
    assertEquals(1, SvdStrategy.rank(10, 10, 0.01), "at least rank 1");
    assertTrue(SvdStrategy.factored(384, 384, 0.5));
    assertFalse(SvdStrategy.factored(384, 384, 1.0), "ratio 1 keeps the dense weight");
    // 2x2 at any ratio: rank 1 costs 1·(2+2) = 4 = 2·2 parameters, not smaller
    assertFalse(SvdStrategy.factored(2, 2, 0.3));
    // 1 x n: a rank-1 factorization is never smaller than the row
    assertFalse(SvdStrategy.factored(1, 50, 0.1));
  }

  /** MACs of {@link CompressionFixtures#bert} (d 32, 4 heads of 8, FFN 64, 2 blocks) with ranks k_att and k_ffn, by hand. */
  static double fixtureMacs(double l, int kAttention, int kFfn) {
    double attention = kAttention < 0 ? 4 * 32 * 32 : 4 * kAttention * (32 + 32);
    double ffn = kFfn < 0 ? 2 * 32 * 64 : 2 * kFfn * (32 + 64);
    return 2 * (l * (attention + ffn) + l * l * 4 * (8 + 8));
  }

  @Test
  void theRatioIsTheLargestThatMeetsTheBudget() {
    TransformerNetwork net = CompressionFixtures.bert(5);
    double l = 13.0;
    MacModel macs = new MacModel(l);
    double total = fixtureMacs(l, -1, -1);
    assertEquals(total, macs.network(net), 1e-6);
    for (double f : new double[] {0.3, 0.5, 0.7, 0.9}) {
      double rho = SvdStrategy.ratio(net, new Budget.MacFraction(f), macs);
      int ka = (int) Math.floor(16 * rho);
      int kf = (int) Math.floor(64.0 * 32 * rho / 96);
      double cost = fixtureMacs(l, ka, kf);
      assertEquals(cost, SvdStrategy.cost(net, rho, macs, false), 1e-6 * total);
      assertTrue(cost <= f * total, f + ": " + cost / total);
      assertTrue(SvdStrategy.cost(net, rho + 1e-12, macs, false) > f * total, "ratio " + rho + " is maximal for " + f);
      double p = SvdStrategy.ratio(net, new Budget.ParameterFraction(f), macs);
      assertTrue(SvdStrategy.cost(net, p, macs, true) <= f * MacModel.blockParameters(net));
      assertTrue(SvdStrategy.cost(net, p + 1e-12, macs, true) > f * MacModel.blockParameters(net));
    }
    assertEquals(1.0, SvdStrategy.ratio(net, new Budget.MacFraction(1.0), macs), "the full budget keeps everything dense");
  }

  @Test
  void anUnreachableBudgetStatesTheSmallestReachableFraction() {
    TransformerNetwork net = CompressionFixtures.bert(5);
    CalibrationData data = CompressionFixtures.calibration(6);
    double l = data.meanLength();
    double smallest = fixtureMacs(l, 1, 1) / fixtureMacs(l, -1, -1);
    UnreachableTargetException e = assertThrows(UnreachableTargetException.class, () -> new SvdStrategy().compress(
        new CompressionRequest(net, data, new Budget.MacFraction(0.01), C, Map.of(), null)));
    assertEquals(ErrorCode.TARGET_UNREACHABLE, e.code());
    assertEquals(smallest, e.smallestReachable(), 1e-12);
    String use = String.format(Locale.ROOT, "Use --target %.4f or more.", Math.ceil(smallest * 1e4) / 1e4);
    assertTrue(e.getMessage().contains(use), use + " missing from " + e.getMessage());
    assertTrue(e.getMessage().contains("do not shrink with the rank"), e.getMessage());
    // just above the smallest: reachable, every layer at rank 1
    CompressionResult r = new SvdStrategy().compress(new CompressionRequest(net, data,
        new Budget.MacFraction(Math.min(1, smallest + 1e-6)), C, Map.of(), null));
    for (CompressionReport.BlockReport b : r.report().blocks()) {
      b.ranks().forEach(x -> assertEquals(1, x.rank(), x.toString()));
    }
  }

  @Test
  void optionsAndBudgetKindsAreChecked() {
    TransformerNetwork net = CompressionFixtures.bert(5);
    CalibrationData data = CompressionFixtures.calibration(6);
    for (Map<String, String> bad : List.of(Map.of("ratio", "0.5"), Map.of("shift", "-1"), Map.of("shift", "x"))) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new SvdStrategy().compress(
          new CompressionRequest(net, data, new Budget.MacFraction(0.5), C, bad, null)), bad.toString());
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new SvdStrategy().compress(
        new CompressionRequest(net, data, new Budget.KeepFractions(0.5, 0.5), C, Map.of(), null)));
    assertTrue(e.getMessage().contains("--target"), e.getMessage());
  }

  // ---- end to end ----------------------------------------------------------------------------

  /** Three texts of 2, 3 and 3 tokens: every layer input over them has at most 8 distinct rows, so rank ≤ 8. */
  static final int[][] TEXTS = {{3, 17}, {5, 9, 22}, {11, 2, 30}};

  /** The three texts repeated 30 times (240 tokens, more than the 64 FFN neurons the calibration check asks for). */
  static CalibrationData repeated() {
    List<int[]> texts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      for (int[] t : TEXTS) {
        texts.add(t.clone());
      }
    }
    return CalibrationData.of(texts, 16, 0);
  }

  /** ‖Y − Ŷ‖_F / ‖Y‖_F over the real rows of the three texts. */
  static double relativeChange(TransformerNetwork a, TransformerNetwork b) {
    TokenBatch batch = TokenBatch.pad(TEXTS, 0, 0);
    Matrix ya = new TransformerForward(C, a).lastHiddenState(batch);
    Matrix yb = new TransformerForward(C, b).lastHiddenState(batch);
    double num = 0;
    double den = 0;
    for (int r = 0; r < ya.rows(); r++) {
      if (batch.attentionMask()[r] == 0) {
        continue;
      }
      for (int j = 0; j < ya.cols(); j++) {
        double d = ya.get(r, j) - yb.get(r, j);
        num += d * d;
        den += ya.get(r, j) * ya.get(r, j);
      }
    }
    return Math.sqrt(num / den);
  }

  static int smallestRank(CompressionResult r) {
    int k = Integer.MAX_VALUE;
    for (CompressionReport.BlockReport b : r.report().blocks()) {
      for (CompressionReport.LayerRank x : b.ranks()) {
        assertTrue(x.factored(), x.toString());
        k = Math.min(k, x.rank());
      }
    }
    return k;
  }

  static CompressionResult compress(TransformerNetwork net, CalibrationData data, Budget budget, List<String> progress) {
    ProgressListener listener = new ProgressListener() {
      @Override
      public void block(int block, int blocks, String detail) {
        progress.add(block + "/" + blocks + ": " + detail);
      }
    };
    return new SvdStrategy().compress(new CompressionRequest(net, data, budget, C, Map.of(), listener));
  }

  @Test
  void exactlyLowRankLayerInputsAreReproducedWhenTheRanksSufficeAndNotOtherwise() {
    TransformerNetwork net = CompressionFixtures.bert(31);
    CalibrationData data = repeated();
    List<String> progress = new ArrayList<>();
    // block parameters 0.52: attention projections (32x32) rank 8, FFN (64x32, 32x64) rank 10
    CompressionResult r = compress(net, data, new Budget.ParameterFraction(0.52), progress);
    assertEquals(8, smallestRank(r));
    assertTrue(r.report().parameterFraction() <= 0.52, "" + r.report().parameterFraction());
    double change = relativeChange(net, r.network());
    // the floor is the relative shift 1e-6 that makes the rank-8 second moments definite
    assertTrue(change < 5e-6, "relative output change with ranks >= 8 = " + change);
    for (TransformerBlock b : r.network().blocks()) {
      assertTrue(b.attention().query().isFactored() && b.attention().output().isFactored() && b.mlp().down().isFactored());
    }
    List<String> names = r.report().blocks().get(0).ranks().stream().map(CompressionReport.LayerRank::layer).toList();
    assertEquals(List.of("query", "key", "value", "output", "up", "down"), names);
    assertEquals(2, progress.size(), progress.toString());
    assertTrue(progress.get(0).contains("query 8") && progress.get(0).contains("down 10"), progress.get(0));
    // the report's MACs and parameters are those of the factored network
    assertEquals(new MacModel(data.meanLength()).network(r.network()), r.report().macsAfter(), 1e-6);
    assertEquals(MacModel.blockParameters(r.network()), r.report().blockParametersAfter());
    // with per-chunk F32 Gram matrices the rounding of XᵀX (a few 1e-6 of its diagonal) sets the floor instead
    CompressionResult f32 = new SvdStrategy().compress(new CompressionRequest(net, data, new Budget.ParameterFraction(0.52),
        C, Map.of("f64-gram", "false"), null));
    double f32Change = relativeChange(net, f32.network());
    assertTrue(f32Change < 1e-4, "relative output change with F32 Grams = " + f32Change);
    // ranks below the input rank lose information: the same check must then fail by a wide margin
    CompressionResult low = compress(net, data, new Budget.ParameterFraction(0.3), new ArrayList<>());
    assertTrue(smallestRank(low) < 8);
    double lowChange = relativeChange(net, low.network());
    assertTrue(lowChange > 1e-3, "relative change with ranks < 8 = " + lowChange);
  }

  @Test
  void llamaDecoderWithGqaAndGateIsReproducedToo() {
    // key/value projections are 16 x 32: rank 8 needs ratio 0.75
    TransformerNetwork net = RandomNetworks.llama(12, 40, 4, 2, 8, 48, 2);
    CalibrationData data = repeated();
    MacModel macs = new MacModel(data.meanLength());
    double fraction = SvdStrategy.cost(net, 0.76, macs, false) / macs.network(net);
    CompressionResult r = compress(net, data, new Budget.MacFraction(fraction), new ArrayList<>());
    assertTrue(smallestRank(r) >= 8, "" + smallestRank(r));
    assertTrue(r.network().blocks().get(1).mlp().gate().isFactored());
    assertEquals(List.of("query", "key", "value", "output", "up", "gate", "down"),
        r.report().blocks().get(1).ranks().stream().map(CompressionReport.LayerRank::layer).toList());
    double change = relativeChange(net, r.network());
    assertTrue(change < 5e-6, "relative output change = " + change);
  }

  @Test
  void foundByServiceLoaderWithItsCitation() {
    CompressionStrategy s = CompressionStrategies.byName("svd");
    assertTrue(s instanceof SvdStrategy);
    assertTrue(s.citation().toString().contains("arXiv") || s.citation().url().contains("2403.07378"));
    assertTrue(s.optionHelp().containsKey("shift"));
  }

  /** ‖X·(W − U·V)ᵀ‖_F² / rows: the layer-output loss of a factored weight on the calibration rows X. */
  private static double outputLoss(double[][] x, double[][] w, SvdStrategy.Factored f, int rows) {
    double[][] approx = CompressionFixtures.multiply(CompressionFixtures.array(f.layer().factors().u()),
        CompressionFixtures.array(f.layer().factors().v()));
    return CompressionFixtures.frobenius2(CompressionFixtures.multiplyTransposed(x, CompressionFixtures.subtract(w, approx)))
        / rows;
  }
}
