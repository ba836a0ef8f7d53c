package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit.Shape;

/**
 * The structures one replacement strategy chooses among for an {@code out × in} layer, all two-core
 * block tensor trains ({@link structura.api.nn.Linear.Btt}), cheapest first. Only structures with
 * fewer multiply-accumulates than the dense layer are listed.
 */
enum BlockTensorTrainFamily {
  /**
   * Monarch with b blocks (Dao et al. 2022, rank-1 block pairs): m₂ = n₁ = b for every b dividing
   * both in and out, m₁ = in/b, n₂ = out/b, r = 1; {@code b·(in + out)} MACs per row. The budget
   * chooses b.
   */
  MONARCH {
    @Override
    List<Shape> candidates(int out, int in) {
      List<Shape> shapes = new ArrayList<>();
      for (int b = 1; b <= Math.min(in, out); b++) {
        if (in % b == 0 && out % b == 0) {
          add(shapes, new Shape(in / b, b, b, out / b, 1), out, in);
        }
      }
      return sorted(shapes);
    }
  },
  /**
   * BTT with two cores of balanced digits (Qiu et al. 2024): m₂ the divisor of in nearest √in,
   * n₁ the divisor of out nearest √out, and ranks r = 1 … min(m₁, n₂) (larger ranks add nothing:
   * every n₂ × m₁ block is then full rank); {@code r·(n₁·in + m₂·out)} MACs per row. The budget
   * chooses r.
   */
  BTT {
    @Override
    List<Shape> candidates(int out, int in) {
      int m2 = nearestDivisor(in);
      int n1 = nearestDivisor(out);
      int m1 = in / m2;
      int n2 = out / n1;
      List<Shape> shapes = new ArrayList<>();
      for (int r = 1; r <= Math.min(m1, n2); r++) {
        add(shapes, new Shape(m1, m2, n1, n2, r), out, in);
      }
      return sorted(shapes);
    }
  };

  /** The candidate structures, ascending in MACs, each cheaper than the dense {@code out·in}. */
  abstract List<Shape> candidates(int out, int in);

  /**
   * The costliest candidate with at most {@code ratio·out·in} MACs, the cheapest one when none
   * is, or null (dense) when {@code ratio ≥ 1} or there is no candidate. Monotone in ratio.
   */
  Shape at(List<Shape> candidates, int out, int in, double ratio) {
    if (ratio >= 1 || candidates.isEmpty()) {
      return null;
    }
    Shape chosen = candidates.get(0);
    for (Shape s : candidates) {
      if (s.macsPerRow() <= ratio * out * in) {
        chosen = s;
      }
    }
    return chosen;
  }

  private static void add(List<Shape> shapes, Shape s, int out, int in) {
    if (s.macsPerRow() < (long) out * in) {
      shapes.add(s);
    }
  }

  private static List<Shape> sorted(List<Shape> shapes) {
    shapes.sort(Comparator.comparingLong(Shape::macsPerRow));
    return List.copyOf(shapes);
  }

  /** The divisor of n nearest √n (the smaller on a tie). */
  static int nearestDivisor(int n) {
    double root = Math.sqrt(n);
    int best = 1;
    for (int d = 1; d <= n; d++) {
      if (n % d == 0 && Math.abs(d - root) < Math.abs(best - root)) {
        best = d;
      }
    }
    return best;
  }
}
