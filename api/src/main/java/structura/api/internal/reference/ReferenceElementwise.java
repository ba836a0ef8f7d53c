package structura.api.internal.reference;

import structura.api.backend.ElementwiseRoutine;

/**
 * Reference transformer elementwise routines: plain loops, row statistics in double. The
 * erf of GELU is computed in double by {@link #erf(double)} (error near 1e-13), far below
 * float resolution.
 */
public final class ReferenceElementwise implements ElementwiseRoutine {
  /** The shared stateless instance. */
  public static final ReferenceElementwise INSTANCE = new ReferenceElementwise();

  private ReferenceElementwise() {}

  @Override
  public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    float[] z = new float[n];
    for (int i = 0; i < m; i++) {
      int row = off + i * ld;
      int mrow = maskOff + i * ldMask;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        // the product and sum are rounded to float as in ONNX Runtime's Div/Add/Softmax chain
        float v = alpha * x[row + j] + (mask == null ? 0f : mask[mrow + j]);
        z[j] = v;
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        double e = Math.exp((double) z[j] - max);
        z[j] = (float) e;
        sum += e;
      }
      double inv = 1.0 / sum;
      for (int j = 0; j < n; j++) {
        x[row + j] = (float) (z[j] * inv);
      }
    }
  }

  @Override
  public void sgelu(int m, int n, float[] x, int off, int ld) {
    for (int i = 0; i < m; i++) {
      for (int j = off + i * ld, e = j + n; j < e; j++) {
        double v = x[j];
        x[j] = (float) (0.5 * v * (1.0 + erf(v * 0.7071067811865476)));
      }
    }
  }

  /** One pass: the sum rounded to float (as the unfused composition rounds it), then GELU in double. */
  @Override
  public void sbiasGelu(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff) {
    for (int i = 0; i < m; i++) {
      for (int j = 0, row = off + i * ld; j < n; j++) {
        double v = x[row + j] + bias[biasOff + j];
        x[row + j] = (float) (0.5 * v * (1.0 + erf(v * 0.7071067811865476)));
      }
    }
  }

  @Override
  public void ssilu(int m, int n, float[] x, int off, int ld) {
    for (int i = 0; i < m; i++) {
      for (int j = off + i * ld, e = j + n; j < e; j++) {
        double v = x[j];
        x[j] = (float) (v / (1.0 + Math.exp(-v)));
      }
    }
  }

  @Override
  public void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp) {
    for (int i = 0; i < m; i++) {
      int g = gateOff + i * ldGate;
      int u = upOff + i * ldUp;
      for (int j = 0; j < n; j++) {
        double v = gate[g + j];
        gate[g + j] = (float) (v / (1.0 + Math.exp(-v)) * up[u + j]);
      }
    }
  }

  @Override
  public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta, int betaOff,
      float eps) {
    for (int i = 0; i < m; i++) {
      int row = off + i * ld;
      double mean = 0;
      for (int j = 0; j < n; j++) {
        mean += x[row + j];
      }
      mean /= n;
      double var = 0;
      for (int j = 0; j < n; j++) {
        double c = x[row + j] - mean;
        var += c * c;
      }
      var /= n;
      double inv = 1.0 / Math.sqrt(var + eps);
      for (int j = 0; j < n; j++) {
        x[row + j] = (float) ((x[row + j] - mean) * inv * gamma[gammaOff + j] + beta[betaOff + j]);
      }
    }
  }

  /** Row by row: x + bias, then + r, each rounded to float, then {@link #slayerNorm} of the row. */
  @Override
  public void saddLayerNorm(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff, float[] r, int rOff,
      int ldR, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps) {
    for (int i = 0; i < m; i++) {
      int row = off + i * ld;
      for (int j = 0; j < n; j++) {
        float v = bias == null ? x[row + j] : x[row + j] + bias[biasOff + j];
        x[row + j] = v + r[rOff + i * ldR + j];
      }
      slayerNorm(1, n, x, row, ld, gamma, gammaOff, beta, betaOff, eps);
    }
  }

  @Override
  public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps) {
    for (int i = 0; i < m; i++) {
      int row = off + i * ld;
      double ss = 0;
      for (int j = 0; j < n; j++) {
        ss += (double) x[row + j] * x[row + j];
      }
      double inv = 1.0 / Math.sqrt(ss / n + eps);
      for (int j = 0; j < n; j++) {
        x[row + j] = (float) (x[row + j] * inv * gamma[gammaOff + j]);
      }
    }
  }

  /**
   * erf in double: the Maclaurin series for |x| < 2.5 (alternating terms below 1e2 in size, so
   * cancellation costs under 14 bits) and a Lentz continued fraction of erfc beyond.
   */
  static double erf(double x) {
    double a = Math.abs(x);
    if (Double.isNaN(x)) {
      return x;
    }
    double r;
    if (a < 2.5) {
      double term = a;
      double sum = a;
      double x2 = a * a;
      for (int k = 1; k < 80; k++) {
        term *= -x2 / k;
        double t = term / (2 * k + 1);
        sum += t;
        if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = sum * 1.1283791670955126;
    } else if (a > 6) {
      r = 1.0;
    } else {
      // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), evaluated by Lentz's method
      double tiny = 1e-300;
      double f = a;
      double c = a;
      double d = 0;
      for (int k = 1; k < 200; k++) {
        double ak = k * 0.5;
        d = a + ak * d;
        d = d == 0 ? tiny : d;
        c = a + ak / c;
        c = c == 0 ? tiny : c;
        d = 1 / d;
        double delta = c * d;
        f *= delta;
        if (Math.abs(delta - 1) < 1e-16) {
          break;
        }
      }
      r = 1.0 - Math.exp(-a * a) / (f * 1.7724538509055159);
    }
    return x < 0 ? -r : r;
  }
}
