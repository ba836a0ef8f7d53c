package structura.algorithms.kernel.fkt;

import structura.algorithms.kernel.Chebyshev;

/**
 * The local (incoming) representation of the FMM path: a tensor grid of q Chebyshev points of
 * the first kind per dimension, t_j = −cos((2j+1)π/(2q)) (ascending, {@link Chebyshev#nodes}), on
 * a box mapped to [−1, 1]^d. A smooth field f on the box is represented by its values at the q^d
 * nodes and evaluated elsewhere by the tensor Lagrange interpolant, written in barycentric form
 * ({@link Chebyshev#lagrange}) so that it is stable for any q. For a function analytic in a
 * Bernstein ellipse of parameter ρ about each side, the interpolation error falls like ρ^(−q).
 *
 * <p>Grid index g = i₀ + q·i₁ + q²·i₂ + … (dimension 0 fastest). Immutable.
 */
final class ChebyshevGrid {
  private final int q;
  private final int d;
  private final int size;
  private final double[] nodes;
  private final double[] weights;

  ChebyshevGrid(int q, int d) {
    this.q = q;
    this.d = d;
    int s = 1;
    for (int t = 0; t < d; t++) {
      s *= q;
    }
    this.size = s;
    nodes = Chebyshev.nodes(q, -1, 1);
    weights = Chebyshev.barycentricWeights(q);
  }

  /** Points per dimension q. */
  int order() {
    return q;
  }

  /** Grid points q^d. */
  int size() {
    return size;
  }

  /** The 1-D node t_j in [−1, 1]. */
  double node(int j) {
    return nodes[j];
  }

  /** The j-th coordinate index of grid point g along dimension t. */
  int index(int g, int t) {
    for (int s = 0; s < t; s++) {
      g /= q;
    }
    return g % q;
  }

  /** The q Lagrange basis values ℓ_j(u), u in [−1, 1], into {@code out[offset..offset+q)}. */
  void lagrange(double u, double[] out, int offset) {
    Chebyshev.lagrange(nodes, weights, u, out, offset);
  }

  /**
   * The q × q′ matrix that evaluates a parent grid's interpolant (q′ = {@code parent.order()}
   * points per side) at this grid's nodes on the child in half h ∈ {0, 1} of the parent's side:
   * row i holds the parent's Lagrange basis at (t_i + 2h − 1)/2. Row-major; a new array.
   */
  double[] childFromParent(ChebyshevGrid parent, int h) {
    int qp = parent.order();
    double[] m = new double[q * qp];
    double[] basis = new double[qp];
    for (int i = 0; i < q; i++) {
      parent.lagrange((nodes[i] + (2 * h - 1)) / 2, basis, 0);
      System.arraycopy(basis, 0, m, i * qp, qp);
    }
    return m;
  }

  /**
   * L2L across orders: adds to {@code child} (this grid, q^d × c row-major) the interpolant of
   * {@code parent} (a grid of q′ points per side, q′^d × c) at this grid's nodes on the child.
   * {@code matrices[t]} is {@link #childFromParent} for the child's half along t. Separable: pass
   * t maps dimension t from q′ to q points, at most d·max(q, q′)^(d+1)·c multiply-adds. Modifies
   * child and the two scratch arrays (each max(q, q′)^d·c).
   */
  void addParentToChild(ChebyshevGrid parentGrid, double[] parent, double[][] matrices, int c, double[] child,
      double[] scratchA, double[] scratchB) {
    int qp = parentGrid.order();
    int[] extent = new int[d];
    java.util.Arrays.fill(extent, qp);
    double[] in = parent;
    double[] out = scratchA;
    for (int t = 0; t < d; t++) {
      int before = 1;
      for (int s = 0; s < t; s++) {
        before *= extent[s];
      }
      int after = 1;
      for (int s = t + 1; s < d; s++) {
        after *= extent[s];
      }
      double[] m = matrices[t];
      for (int a = 0; a < after; a++) {
        for (int i = 0; i < q; i++) {
          int o = before * (i + q * a) * c;
          java.util.Arrays.fill(out, o, o + before * c, 0.0);
          for (int j = 0; j < qp; j++) {
            double w = m[i * qp + j];
            int src = before * (j + qp * a) * c;
            for (int k = 0; k < before * c; k++) {
              out[o + k] += w * in[src + k];
            }
          }
        }
      }
      extent[t] = q;
      in = out;
      out = out == scratchA ? scratchB : scratchA;
    }
    for (int k = 0; k < size * c; k++) {
      child[k] += in[k];
    }
  }

  /**
   * L2T: the interpolant of {@code local} (q^d × c) at the point u ∈ [−1, 1]^d added into
   * {@code y[yOffset..yOffset+c)}. {@code basis} holds d·q and {@code tensor} q^d scratch values.
   */
  void addInterpolant(double[] u, double[] local, int localOffset, int c, double[] y, int yOffset, double[] basis,
      double[] tensor) {
    for (int t = 0; t < d; t++) {
      lagrange(u[t], basis, t * q);
    }
    // tensor[g] = Π_t ℓ_{i_t(g)}(u_t), built dimension by dimension
    System.arraycopy(basis, 0, tensor, 0, q);
    int filled = q;
    for (int t = 1; t < d; t++) {
      for (int j = q - 1; j >= 0; j--) {
        double b = basis[t * q + j];
        for (int k = 0; k < filled; k++) {
          tensor[j * filled + k] = b * tensor[k];
        }
      }
      filled *= q;
    }
    for (int col = 0; col < c; col++) {
      double s = 0;
      for (int g = 0; g < size; g++) {
        s += tensor[g] * local[localOffset + g * c + col];
      }
      y[yOffset + col] += s;
    }
  }
}
