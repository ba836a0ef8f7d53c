package structura.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.EinsumDims;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;

/**
 * A named catalogue of operators of every built-in type (CoLA's operator market), each with
 * its dense matrix computed independently of the operator code: from the raw factor matrices
 * with plain loops and the {@link Oracle}. Dense factors run their GEMMs on a given
 * {@link Compute}, so a backend can run the zoo on itself.
 */
public final class OperatorZoo {
  private OperatorZoo() {}

  /**
   * One zoo entry.
   *
   * @param name what it is
   * @param operator the operator under test
   * @param expected its dense matrix, computed without the operator classes (F64)
   */
  public record Entry(String name, LinearOperator operator, Matrix expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Every entry, in {@code dtype}, with random factors drawn from {@code seed}. */
  public static List<Entry> all(DType dtype, Compute compute, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Entry> out = new ArrayList<>();

    Matrix a57 = random(dtype, 5, 7, rnd);
    out.add(new Entry("dense 5x7", Operators.dense(a57, compute), f64(a57)));
    Matrix a03 = Matrix.zeros(dtype, 0, 3);
    out.add(new Entry("dense 0x3", Operators.dense(a03, compute), f64(a03)));
    Matrix a40 = Matrix.zeros(dtype, 4, 0);
    out.add(new Entry("dense 4x0", Operators.dense(a40, compute), f64(a40)));

    double[] d = {1.5, -2, 0.25, 3, -0.5, 1};
    out.add(new Entry("diagonal 6", Operators.diagonal(dtype, d), diag(d)));
    out.add(new Entry("identity 5", Operators.identity(dtype, 5), Matrix.identity(DType.F64, 5)));

    Matrix a46 = random(dtype, 4, 6, rnd);
    out.add(new Entry("scaled -1.5 * dense 4x6", Operators.scale(-1.5, Operators.dense(a46, compute)), scale(f64(a46), -1.5)));

    Matrix s55 = random(dtype, 5, 5, rnd);
    Matrix u52 = random(dtype, 5, 2, rnd);
    Matrix v52 = random(dtype, 5, 2, rnd);
    double[] sv = {2, -0.5};
    Matrix lr = lowRank(u52, sv, v52);
    out.add(new Entry("sum dense + lowRank + identity",
        Operators.sum(Operators.dense(s55, compute), Operators.lowRank(u52, sv, v52, compute), Operators.identity(dtype, 5)),
        add(add(f64(s55), lr), Matrix.identity(DType.F64, 5))));

    Matrix p1 = random(dtype, 4, 6, rnd);
    Matrix p2 = random(dtype, 6, 3, rnd);
    out.add(new Entry("product dense 4x6 * dense 6x3",
        Operators.product(Operators.dense(p1, compute), Operators.dense(p2, compute)), Oracle.multiply(p1, p2)));

    Matrix t53 = random(dtype, 5, 3, rnd);
    out.add(new Entry("transpose of dense 5x3", Operators.transpose(Operators.dense(t53, compute)), f64(t53).transposeCopy()));

    Matrix k1 = random(dtype, 3, 2, rnd);
    Matrix k2 = random(dtype, 4, 5, rnd);
    out.add(new Entry("kronecker 3x2 (x) 4x5",
        Operators.kronecker(Operators.dense(k1, compute), Operators.dense(k2, compute)), kron(f64(k1), f64(k2))));

    Matrix n1 = random(dtype, 2, 2, rnd);
    Matrix n2 = random(dtype, 3, 2, rnd);
    Matrix n3 = random(dtype, 2, 3, rnd);
    out.add(new Entry("kronecker (2x2 (x) 3x2) (x) 2x3",
        Operators.kronecker(Operators.kronecker(Operators.dense(n1, compute), Operators.dense(n2, compute)), Operators.dense(n3, compute)),
        kron(kron(f64(n1), f64(n2)), f64(n3))));

    Matrix b1 = random(dtype, 2, 3, rnd);
    Matrix b3 = random(dtype, 3, 1, rnd);
    double[] bd = {0.5, -1, 2, 4};
    out.add(new Entry("blockDiagonal(dense 2x3, diagonal 4, dense 3x1)",
        Operators.blockDiagonal(Operators.dense(b1, compute), Operators.diagonal(dtype, bd), Operators.dense(b3, compute)),
        blockDiag(f64(b1), diag(bd), f64(b3))));

    Matrix lu = random(dtype, 7, 2, rnd);
    Matrix lv = random(dtype, 5, 2, rnd);
    double[] ls = {3, 0.5};
    out.add(new Entry("lowRank 7x5 r=2", Operators.lowRank(lu, ls, lv, compute), lowRank(lu, ls, lv)));

    int[] idx = {3, 0, 3, 5};
    out.add(new Entry("selection [3,0,3,5] of 6", Operators.selection(dtype, idx, 6), selection(idx, 6)));
    out.add(new Entry("scatter [3,0,3,5] into 6", Operators.scatter(dtype, idx, 6), selection(idx, 6).transposeCopy()));

    Matrix g = random(dtype, 4, 6, rnd);
    LinearOperator gOp = Operators.dense(g, compute);
    out.add(new Entry("G Gᵀ (PSD by form)", Operators.product(gOp, gOp.transpose()), Oracle.multiply(f64(g), f64(g).transposeCopy())));

    Matrix h = random(dtype, 5, 5, rnd);
    Matrix hh = Oracle.multiply(f64(h), f64(h).transposeCopy());
    out.add(new Entry("tagged PSD dense", Operators.tagged(Operators.dense(hh.toDType(dtype), compute), Structure.PSD), hh));

    Matrix o1 = random(dtype, 2, 3, rnd);
    Matrix o2 = random(dtype, 3, 2, rnd);
    out.add(new Entry("opaque kronecker 2x3 (x) 3x2",
        Operators.opaque(Operators.kronecker(Operators.dense(o1, compute), Operators.dense(o2, compute))), kron(f64(o1), f64(o2))));
    addMonarchBttEinsum(out, dtype, compute, rnd);


    // permutation, triangular and Kronecker-sum operators (structured facade)
    int[] perm = {2, 4, 0, 1, 3};
    out.add(new Entry("permutation [2,4,0,1,3]", Operators.permutation(dtype, perm), selection(perm, perm.length)));
    Matrix tl = random(dtype, 4, 4, rnd);
    out.add(new Entry("triangular lower 4", Operators.triangular(tl, true, false), triangle(f64(tl), true, false)));
    Matrix tu = random(dtype, 4, 4, rnd);
    out.add(new Entry("triangular upper unit 4", Operators.triangular(tu, false, true), triangle(f64(tu), false, true)));
    Matrix ks1 = random(dtype, 3, 3, rnd);
    Matrix ks2 = random(dtype, 2, 2, rnd);
    out.add(new Entry("kroneckerSum 3 (+) 2",
        Operators.kroneckerSum(Operators.dense(ks1, compute), Operators.dense(ks2, compute)),
        add(kron(f64(ks1), Matrix.identity(DType.F64, 2)), kron(Matrix.identity(DType.F64, 3), f64(ks2)))));
    return out;
  }

  static Matrix triangle(Matrix a, boolean lower, boolean unit) {
    Matrix out = Matrix.zeros(DType.F64, a.rows(), a.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        if (i == j) {
          out.set(i, j, unit ? 1 : a.get(i, j));
        } else if (lower == (j < i)) {
          out.set(i, j, a.get(i, j));
        }
      }
    }
    return out;
  }

  // ---- Monarch, block tensor-train and Einsum (issue 13); dense forms from their entrywise formulas

  private static void addMonarchBttEinsum(List<Entry> out, DType dtype, Compute compute, SplittableRandom rnd) {
    Matrix r9 = random(dtype, 9, 3, rnd);
    Matrix l9 = random(dtype, 9, 3, rnd);
    out.add(new Entry("monarch 9x9 (3 blocks of 3x3 each)", Operators.monarch(r9, 3, l9, 3, compute), monarch(r9, 3, l9, 3)));
    Matrix r12 = random(dtype, 12, 2, rnd);
    Matrix l10 = random(dtype, 10, 6, rnd);
    out.add(new Entry("monarch 10x6 (R 3 blocks 4x2, L 2 blocks 5x6)", Operators.monarch(r12, 3, l10, 2, compute),
        monarch(r12, 3, l10, 2)));

    int[][] btt2 = {{2, 3}, {3, 2}, {1, 2, 1}};
    List<Matrix> cores2 = bttCores(dtype, btt2[0], btt2[1], btt2[2], rnd);
    out.add(new Entry("blockTensorTrain m=(2,3) n=(3,2) r=(1,2,1)",
        Operators.blockTensorTrain(btt2[0], btt2[1], btt2[2], cores2, compute), btt(btt2[0], btt2[1], btt2[2], cores2)));
    int[][] btt3 = {{2, 3, 2}, {3, 1, 2}, {1, 2, 3, 1}};
    List<Matrix> cores3 = bttCores(dtype, btt3[0], btt3[1], btt3[2], rnd);
    out.add(new Entry("blockTensorTrain m=(2,3,2) n=(3,1,2) r=(1,2,3,1)",
        Operators.blockTensorTrain(btt3[0], btt3[1], btt3[2], cores3, compute), btt(btt3[0], btt3[1], btt3[2], cores3)));

    for (EinsumDims dims : List.of(new EinsumDims(2, 3, 2, 2, 2, 3, 2), new EinsumDims(3, 2, 1, 2, 1, 2, 1))) {
      Matrix a = random(dtype, dims.phi() * dims.gamma() * dims.delta() * dims.rho(), dims.alpha(), rnd);
      Matrix b = random(dtype, dims.phi() * dims.epsilon(), dims.rho() * dims.gamma() * dims.beta(), rnd);
      out.add(new Entry("einsum " + dims, Operators.einsum(dims, a, b, compute), einsum(dims, a, b)));
    }
  }

  /** M[σ·l + j, i·p + a] = Σ_{t: ⌊t/q⌋ = i, t mod l = j} L[j·s + σ, ⌊t/l⌋]·R[i·q + t mod q, a]. */
  static Matrix monarch(Matrix right, int k, Matrix left, int l) {
    int q = right.rows() / k;
    int p = right.cols();
    int s = left.rows() / l;
    Matrix m = Matrix.zeros(DType.F64, l * s, k * p);
    for (int t = 0; t < k * q; t++) {
      int i = t / q;
      int j = t % l;
      for (int sigma = 0; sigma < s; sigma++) {
        for (int a = 0; a < p; a++) {
          int row = sigma * l + j;
          int col = i * p + a;
          m.set(row, col, m.get(row, col) + left.get(j * s + sigma, t / l) * right.get(i * q + t % q, a));
        }
      }
    }
    return m;
  }

  static List<Matrix> bttCores(DType dtype, int[] m, int[] n, int[] r, SplittableRandom rnd) {
    List<Matrix> cores = new ArrayList<>();
    for (int t = 0; t < m.length; t++) {
      int blocks = prod(m, t + 1, m.length) * prod(n, 0, t);
      cores.add(random(dtype, blocks * r[t + 1] * n[t], m[t] * r[t], rnd));
    }
    return cores;
  }

  /** W[i, j] = Σ_α Π_t G_t[J_t·|I_t| + I_t][α_t·n_t + i_t, j_t·r_{t-1} + α_{t-1}], digits least significant first. */
  static Matrix btt(int[] m, int[] n, int[] r, List<Matrix> cores) {
    int c = m.length;
    int rows = prod(n, 0, c);
    int cols = prod(m, 0, c);
    Matrix w = Matrix.zeros(DType.F64, rows, cols);
    for (int i = 0; i < rows; i++) {
      int[] id = digits(i, n);
      for (int j = 0; j < cols; j++) {
        int[] jd = digits(j, m);
        double[] v = {1};
        for (int t = 0; t < c; t++) {
          int bigJ = 0;
          for (int u = c - 1; u > t; u--) {
            bigJ = bigJ * m[u] + jd[u];
          }
          int bigI = 0;
          for (int u = t - 1; u >= 0; u--) {
            bigI = bigI * n[u] + id[u];
          }
          int block = bigJ * prod(n, 0, t) + bigI;
          int base = block * r[t + 1] * n[t];
          double[] next = new double[r[t + 1]];
          for (int a1 = 0; a1 < r[t + 1]; a1++) {
            for (int a0 = 0; a0 < r[t]; a0++) {
              next[a1] += cores.get(t).get(base + a1 * n[t] + id[t], jd[t] * r[t] + a0) * v[a0];
            }
          }
          v = next;
        }
        w.set(i, j, v[0]);
      }
    }
    return w;
  }

  /** W[(f·dε + e)·dδ + d, (g·dβ + b)·dα + a] = Σ_r A[((f·dγ + g)·dδ + d)·dρ + r, a]·B[f·dε + e, (r·dγ + g)·dβ + b]. */
  static Matrix einsum(EinsumDims dims, Matrix a, Matrix b) {
    Matrix w = Matrix.zeros(DType.F64, dims.out(), dims.in());
    for (int f = 0; f < dims.phi(); f++) {
      for (int e = 0; e < dims.epsilon(); e++) {
        for (int d = 0; d < dims.delta(); d++) {
          for (int g = 0; g < dims.gamma(); g++) {
            for (int bb = 0; bb < dims.beta(); bb++) {
              for (int aa = 0; aa < dims.alpha(); aa++) {
                double sum = 0;
                for (int r = 0; r < dims.rho(); r++) {
                  sum += a.get(((f * dims.gamma() + g) * dims.delta() + d) * dims.rho() + r, aa)
                      * b.get(f * dims.epsilon() + e, (r * dims.gamma() + g) * dims.beta() + bb);
                }
                w.set((f * dims.epsilon() + e) * dims.delta() + d, (g * dims.beta() + bb) * dims.alpha() + aa, sum);
              }
            }
          }
        }
      }
    }
    return w;
  }

  private static int prod(int[] v, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= v[i];
    }
    return p;
  }

  private static int[] digits(int index, int[] radices) {
    int[] d = new int[radices.length];
    for (int t = 0; t < radices.length; t++) {
      d[t] = index % radices[t];
      index /= radices[t];
    }
    return d;
  }

  static Matrix random(DType dtype, int rows, int cols, SplittableRandom rnd) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  static Matrix f64(Matrix m) {
    return m.toDType(DType.F64);
  }

  static Matrix diag(double[] d) {
    Matrix m = Matrix.zeros(DType.F64, d.length, d.length);
    for (int i = 0; i < d.length; i++) {
      m.set(i, i, d[i]);
    }
    return m;
  }

  static Matrix scale(Matrix m, double alpha) {
    Matrix out = m.copy();
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out.set(i, j, alpha * m.get(i, j));
      }
    }
    return out;
  }

  static Matrix add(Matrix a, Matrix b) {
    Matrix out = a.toDType(DType.F64);
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        out.set(i, j, a.get(i, j) + b.get(i, j));
      }
    }
    return out;
  }

  static Matrix kron(Matrix a, Matrix b) {
    Matrix out = Matrix.zeros(DType.F64, a.rows() * b.rows(), a.cols() * b.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        for (int r = 0; r < b.rows(); r++) {
          for (int c = 0; c < b.cols(); c++) {
            out.set(i * b.rows() + r, j * b.cols() + c, a.get(i, j) * b.get(r, c));
          }
        }
      }
    }
    return out;
  }

  static Matrix blockDiag(Matrix... blocks) {
    int rows = 0;
    int cols = 0;
    for (Matrix b : blocks) {
      rows += b.rows();
      cols += b.cols();
    }
    Matrix out = Matrix.zeros(DType.F64, rows, cols);
    int r = 0;
    int c = 0;
    for (Matrix b : blocks) {
      for (int i = 0; i < b.rows(); i++) {
        for (int j = 0; j < b.cols(); j++) {
          out.set(r + i, c + j, b.get(i, j));
        }
      }
      r += b.rows();
      c += b.cols();
    }
    return out;
  }

  static Matrix lowRank(Matrix u, double[] s, Matrix v) {
    Matrix us = Matrix.zeros(DType.F64, u.rows(), s.length);
    for (int i = 0; i < u.rows(); i++) {
      for (int p = 0; p < s.length; p++) {
        us.set(i, p, u.get(i, p) * s[p]);
      }
    }
    return Oracle.multiply(us, f64(v).transposeCopy());
  }

  static Matrix selection(int[] idx, int n) {
    Matrix m = Matrix.zeros(DType.F64, idx.length, n);
    for (int i = 0; i < idx.length; i++) {
      m.set(i, idx[i], 1);
    }
    return m;
  }
}
