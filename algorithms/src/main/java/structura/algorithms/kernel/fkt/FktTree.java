package structura.algorithms.kernel.fkt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The FKT's spatial tree and interaction lists (linalg.md §2.2, after
 * {@code rectangular_tree.jl}) over one point set (targets = sources).
 *
 * <p><b>Tree.</b> The root box is centered at the mean of the points with side
 * 2.01·max‖x − mean‖_∞ in every dimension. A node with more than {@code leafSize} points is
 * bisected at its box center along the dimension, among those of maximal side length, that
 * splits its points most evenly (a k-d style binary tree of boxes). Empty halves get no node; a
 * box shrunk to 1e-12 of the root (duplicated points) is a leaf whatever its size. Each node has
 * a center (its box center), the index range of its points in {@link #permutation()}, and a
 * radius: the largest distance from the center to one of its points (the bounding ball).
 *
 * <p><b>Interaction lists</b> with separation ratio θ: a target is near a node when it lies in
 * the ball of radius radius/θ about the node center. near(root) = every point;
 * near(node) = near(parent) ∩ ball; far(node) = near(parent) \ near(node), the targets that just
 * became well separated, so every far target sees the node's sources at r′/r &lt; θ. For a leaf, its
 * near list is evaluated directly. Every (target, source) pair is counted exactly once: in the
 * near list of the source's leaf, or in the far list of exactly one of its ancestors.
 *
 * <p>Cost: O(N·depth) to build the tree, O(Σ |near(parent)|) for the lists, computed in parallel
 * over subtrees. Immutable after construction.
 */
final class FktTree {
  private static final double MIN_RELATIVE_SIDE = 1e-12;
  private static final int PARALLEL_THRESHOLD = 4096;

  private final int d;
  private final double[] points;
  private final int[] permutation;
  private final List<Node> nodes = new ArrayList<>();
  private final double separation;

  /** One node; the lists are filled by the interaction pass. */
  static final class Node {
    final int index;
    final int begin;
    final int end;
    final double[] center;
    final int depth;
    double radius;
    Node left;
    Node right;
    int[] far = new int[0];
    int[] near;

    Node(int index, int begin, int end, double[] center, int depth) {
      this.index = index;
      this.begin = begin;
      this.end = end;
      this.center = center;
      this.depth = depth;
    }

    boolean isLeaf() {
      return left == null && right == null;
    }

    int size() {
      return end - begin;
    }
  }

  /**
   * @param points N·d row-major coordinates (already divided by the lengthscale)
   * @param n number of points
   * @param d dimension
   * @param leafSize the largest number of points a leaf may hold (unless duplicated)
   * @param separation θ in (0, 1)
   * @param pool threads for the interaction lists
   */
  FktTree(double[] points, int n, int d, int leafSize, double separation, ForkJoinPool pool) {
    this.d = d;
    this.points = points;
    this.separation = separation;
    this.permutation = new int[n];
    for (int i = 0; i < n; i++) {
      permutation[i] = i;
    }
    double[] center = new double[d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        center[t] += points[i * d + t] / n;
      }
    }
    double maxInf = 0;
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        maxInf = Math.max(maxInf, Math.abs(points[i * d + t] - center[t]));
      }
    }
    double side = 2.01 * Math.max(maxInf, Double.MIN_NORMAL);
    double[] sides = new double[d];
    java.util.Arrays.fill(sides, side);
    Node root = newNode(0, n, center, 0);
    split(root, sides, leafSize, side * MIN_RELATIVE_SIDE);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    pool.invoke(new Lists(root, all));
  }

  private Node newNode(int begin, int end, double[] center, int depth) {
    Node node = new Node(nodes.size(), begin, end, center, depth);
    nodes.add(node);
    double r2 = 0;
    for (int j = begin; j < end; j++) {
      r2 = Math.max(r2, distance2(permutation[j], center));
    }
    node.radius = Math.sqrt(r2);
    return node;
  }

  private void split(Node node, double[] sides, int leafSize, double minSide) {
    double maxSide = 0;
    for (double s : sides) {
      maxSide = Math.max(maxSide, s);
    }
    if (node.size() <= leafSize || maxSide <= minSide) {
      return;
    }
    int bestDim = -1;
    int bestImbalance = Integer.MAX_VALUE;
    for (int t = 0; t < d; t++) {
      if (sides[t] < maxSide) {
        continue;
      }
      int below = 0;
      for (int j = node.begin; j < node.end; j++) {
        if (points[permutation[j] * d + t] < node.center[t]) {
          below++;
        }
      }
      int imbalance = Math.abs(2 * below - node.size());
      if (imbalance < bestImbalance) {
        bestImbalance = imbalance;
        bestDim = t;
      }
    }
    int t = bestDim;
    int mid = partition(node.begin, node.end, t, node.center[t]);
    double[] childSides = sides.clone();
    childSides[t] = sides[t] / 2;
    if (mid > node.begin) {
      double[] c = node.center.clone();
      c[t] -= sides[t] / 4;
      node.left = newNode(node.begin, mid, c, node.depth + 1);
      split(node.left, childSides, leafSize, minSide);
    }
    if (mid < node.end) {
      double[] c = node.center.clone();
      c[t] += sides[t] / 4;
      node.right = newNode(mid, node.end, c, node.depth + 1);
      split(node.right, childSides, leafSize, minSide);
    }
  }

  /** Moves the points with coordinate t below {@code at} to the front of [begin, end). */
  private int partition(int begin, int end, int t, double at) {
    int i = begin;
    int j = end - 1;
    while (i <= j) {
      if (points[permutation[i] * d + t] < at) {
        i++;
      } else {
        int swap = permutation[i];
        permutation[i] = permutation[j];
        permutation[j] = swap;
        j--;
      }
    }
    return i;
  }

  private double distance2(int point, double[] center) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double u = points[point * d + t] - center[t];
      s += u * u;
    }
    return s;
  }

  /** Splits near(parent) into near(node) and far(node), then recurses. */
  private final class Lists extends RecursiveAction {
    private final Node node;
    private final int[] candidates;

    Lists(Node node, int[] candidates) {
      this.node = node;
      this.candidates = candidates;
    }

    @Override
    protected void compute() {
      double cutoff = node.radius / separation;
      double cutoff2 = cutoff * cutoff;
      int[] near = new int[candidates.length];
      int[] far = new int[candidates.length];
      int nearCount = 0;
      int farCount = 0;
      for (int target : candidates) {
        if (distance2(target, node.center) <= cutoff2) {
          near[nearCount++] = target;
        } else {
          far[farCount++] = target;
        }
      }
      node.far = java.util.Arrays.copyOf(far, farCount);
      int[] nearList = java.util.Arrays.copyOf(near, nearCount);
      if (node.isLeaf()) {
        node.near = nearList;
        return;
      }
      List<Lists> children = new ArrayList<>(2);
      if (node.left != null) {
        children.add(new Lists(node.left, nearList));
      }
      if (node.right != null) {
        children.add(new Lists(node.right, nearList));
      }
      if (nearCount >= PARALLEL_THRESHOLD) {
        invokeAll(children);
      } else {
        children.forEach(Lists::compute);
      }
    }
  }

  /** Every node, the root first, parents before children. */
  List<Node> nodes() {
    return nodes;
  }

  /** Point indices ordered so that each node's points are contiguous. */
  int[] permutation() {
    return permutation;
  }

  int dimension() {
    return d;
  }

  /** The deepest level (root = 0). */
  int depth() {
    int depth = 0;
    for (Node node : nodes) {
      depth = Math.max(depth, node.depth);
    }
    return depth;
  }

  /** Total far-list length: the number of (target, node) far-field pairs. */
  long farPairs() {
    long s = 0;
    for (Node node : nodes) {
      s += node.far.length;
    }
    return s;
  }
}
