package structura.algorithms.kernel.fkt;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The FMM path's adaptive 2^d-tree (an octree at d = 3) and its interaction lists over one point
 * set (targets = sources).
 *
 * <p><b>Tree.</b> The root is the bounding cube of the (lengthscale-scaled) points. A box with
 * more than {@code leafSize} points is split at its center into 2^d equal children; empty
 * children are skipped, and splitting stops at {@link #MAX_LEVEL} (duplicated points). Boxes of
 * one level therefore lie on one uniform grid, so a box-to-box translation depends only on the
 * two levels and the integer offset of the centers: {@link #m2lKey}.
 *
 * <p><b>Lists</b> by a dual traversal from (root, root): a (target box T, source box S) pair is
 * <em>well separated</em> when the gap between the two cubes in the max-norm is at least the
 * larger side (for equal sizes: the boxes are not adjacent, the classic FMM rule). Then every
 * source lies within √d·s_S/2 of S's center and every point of T at least 1.5·s_S from it, so
 * the far-field expansion of S converges on all of T at ratio r′/r ≤ √d/3 (0.58 at d = 3), and
 * the pair goes to the M2L list. Otherwise, if both are leaves, the pair goes to the near list
 * (direct evaluation); else the larger box (the non-leaf one) is split and its children are
 * visited. Every (target, source) point pair is covered exactly once.
 *
 * <p>Cost O(N·depth) for the tree and O(#boxes·(3^d + #M2L per box)) for the lists. Immutable
 * after construction.
 */
final class FmmOctree {
  /** The deepest level: 2^−30 of the root side, far below any useful box. */
  static final int MAX_LEVEL = 30;
  /**
   * The largest level difference of a translated pair; beyond it (only near stacks of duplicated
   * points) the pair is refined further and ends in the direct near field, which keeps the
   * translation keys few and their offsets within 16 bits.
   */
  static final int MAX_LEVEL_GAP = 10;

  final int d;
  final int n;
  final double[] lower;
  final double rootSide;
  final int[] permutation;
  /** Per box: level, coordinates on its level's grid (d ints), point range, children (−1 absent). */
  final int[] level;
  final int[] coords;
  final int[] begin;
  final int[] end;
  final int[] parent;
  final int[] children;
  final boolean[] leaf;
  final int boxCount;
  final int depth;
  /** Boxes of each level, in creation order. */
  final int[][] byLevel;
  /** M2L pairs (target, source) grouped by key: pairs of key k are [keyStart[k], keyStart[k+1]). */
  final long[] keys;
  final int[] keyStart;
  final int[] m2lTarget;
  final int[] m2lSource;
  /** Near lists: the source leaves of leaf box b are nearSource[nearStart[b]..nearStart[b+1]). */
  final int[] nearStart;
  final int[] nearSource;

  FmmOctree(double[] points, int n, int d, int leafSize) {
    this.d = d;
    this.n = n;
    int fan = 1 << d;
    lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(lower, Double.POSITIVE_INFINITY);
    Arrays.fill(upper, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        lower[t] = Math.min(lower[t], points[i * d + t]);
        upper[t] = Math.max(upper[t], points[i * d + t]);
      }
    }
    double side = 0;
    for (int t = 0; t < d; t++) {
      side = Math.max(side, upper[t] - lower[t]);
    }
    // a margin so that the largest coordinate falls strictly inside; a positive side for one point
    side = side > 0 ? side * (1 + 1e-9) : 1;
    rootSide = side;

    permutation = new int[n];
    for (int i = 0; i < n; i++) {
      permutation[i] = i;
    }
    IntBuffer lv = new IntBuffer();
    IntBuffer co = new IntBuffer();
    IntBuffer be = new IntBuffer();
    IntBuffer en = new IntBuffer();
    IntBuffer pa = new IntBuffer();
    IntBuffer ch = new IntBuffer();
    lv.add(0);
    for (int t = 0; t < d; t++) {
      co.add(0);
    }
    be.add(0);
    en.add(n);
    pa.add(-1);
    for (int k = 0; k < fan; k++) {
      ch.add(-1);
    }
    int[] childOf = new int[n];
    int[] scratch = new int[n];
    int deepest = 0;
    // breadth first: boxes are created level by level, so byLevel is contiguous
    for (int box = 0; box < lv.size; box++) {
      int b0 = be.get(box);
      int e0 = en.get(box);
      int l = lv.get(box);
      deepest = Math.max(deepest, l);
      if (e0 - b0 <= leafSize || l >= MAX_LEVEL) {
        continue;
      }
      double childSide = side / (1L << (l + 1));
      int[] counts = new int[fan];
      for (int j = b0; j < e0; j++) {
        int p = permutation[j];
        int c = 0;
        for (int t = 0; t < d; t++) {
          int cell = (int) Math.floor((points[p * d + t] - lower[t]) / childSide);
          int bit = cell - 2 * co.get(box * d + t);
          c |= Math.min(1, Math.max(0, bit)) << t;
        }
        childOf[j] = c;
        counts[c]++;
      }
      int[] starts = new int[fan + 1];
      for (int c = 0; c < fan; c++) {
        starts[c + 1] = starts[c] + counts[c];
      }
      int[] fill = Arrays.copyOf(starts, fan);
      for (int j = b0; j < e0; j++) {
        scratch[b0 + fill[childOf[j]]++] = permutation[j];
      }
      System.arraycopy(scratch, b0, permutation, b0, e0 - b0);
      for (int c = 0; c < fan; c++) {
        if (counts[c] == 0) {
          continue;
        }
        int id = lv.size;
        lv.add(l + 1);
        for (int t = 0; t < d; t++) {
          co.add(2 * co.get(box * d + t) + ((c >> t) & 1));
        }
        be.add(b0 + starts[c]);
        en.add(b0 + starts[c + 1]);
        pa.add(box);
        for (int k = 0; k < fan; k++) {
          ch.add(-1);
        }
        ch.set(box * fan + c, id);
      }
    }
    boxCount = lv.size;
    depth = deepest;
    level = lv.toArray();
    coords = co.toArray();
    begin = be.toArray();
    end = en.toArray();
    parent = pa.toArray();
    children = ch.toArray();
    leaf = new boolean[boxCount];
    int[] perLevel = new int[deepest + 1];
    for (int b = 0; b < boxCount; b++) {
      boolean any = false;
      for (int k = 0; k < fan; k++) {
        any |= children[b * fan + k] >= 0;
      }
      leaf[b] = !any;
      perLevel[level[b]]++;
    }
    byLevel = new int[deepest + 1][];
    for (int l = 0; l <= deepest; l++) {
      byLevel[l] = new int[perLevel[l]];
    }
    int[] fillLevel = new int[deepest + 1];
    for (int b = 0; b < boxCount; b++) {
      byLevel[level[b]][fillLevel[level[b]]++] = b;
    }

    // the dual traversal, with an explicit stack of (target, source) pairs
    Map<Long, IntBuffer> m2l = new HashMap<>();
    IntBuffer[] near = new IntBuffer[boxCount];
    IntBuffer stack = new IntBuffer();
    stack.add(0);
    stack.add(0);
    while (stack.size > 0) {
      int s = stack.pop();
      int t = stack.pop();
      if (separated(t, s) && Math.abs(level[t] - level[s]) <= MAX_LEVEL_GAP) {
        m2l.computeIfAbsent(m2lKey(t, s), key -> new IntBuffer()).add(t).add(s);
      } else if (leaf[t] && leaf[s]) {
        if (near[t] == null) {
          near[t] = new IntBuffer();
        }
        near[t].add(s);
      } else if (leaf[s] || (!leaf[t] && level[t] <= level[s])) {
        for (int k = 0; k < fan; k++) {
          int c = children[t * fan + k];
          if (c >= 0) {
            stack.add(c).add(s);
          }
        }
      } else {
        for (int k = 0; k < fan; k++) {
          int c = children[s * fan + k];
          if (c >= 0) {
            stack.add(t).add(c);
          }
        }
      }
    }
    keys = m2l.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    keyStart = new int[keys.length + 1];
    for (int k = 0; k < keys.length; k++) {
      keyStart[k + 1] = keyStart[k] + m2l.get(keys[k]).size / 2;
    }
    m2lTarget = new int[keyStart[keys.length]];
    m2lSource = new int[keyStart[keys.length]];
    for (int k = 0; k < keys.length; k++) {
      IntBuffer pairs = m2l.get(keys[k]);
      int[] tmp = pairs.toArray();
      // sorted by target so that a key's pairs walk the locals in order
      long[] order = new long[tmp.length / 2];
      for (int j = 0; j < order.length; j++) {
        order[j] = ((long) tmp[2 * j] << 32) | tmp[2 * j + 1];
      }
      Arrays.sort(order);
      for (int j = 0; j < order.length; j++) {
        m2lTarget[keyStart[k] + j] = (int) (order[j] >>> 32);
        m2lSource[keyStart[k] + j] = (int) order[j];
      }
    }
    nearStart = new int[boxCount + 1];
    for (int b = 0; b < boxCount; b++) {
      nearStart[b + 1] = nearStart[b] + (near[b] == null ? 0 : near[b].size);
    }
    nearSource = new int[nearStart[boxCount]];
    for (int b = 0; b < boxCount; b++) {
      if (near[b] != null) {
        int[] list = near[b].toArray();
        Arrays.sort(list);
        System.arraycopy(list, 0, nearSource, nearStart[b], list.length);
      }
    }
  }

  /** The side of a box of level l. */
  double side(int l) {
    return rootSide / (1L << l);
  }

  /** Coordinate t of the center of box b. */
  double center(int b, int t) {
    return lower[t] + (coords[b * d + t] + 0.5) * side(level[b]);
  }

  int size(int b) {
    return end[b] - begin[b];
  }

  /** Max-norm gap between the cubes of a and b at least the larger side. */
  private boolean separated(int a, int b) {
    int la = level[a];
    int lb = level[b];
    int l = Math.max(la, lb);
    // in units of the finer side: cube a spans [x·2^(l−la), (x+1)·2^(l−la))
    long gap = Long.MIN_VALUE;
    for (int t = 0; t < d; t++) {
      long a0 = (long) coords[a * d + t] << (l - la);
      long a1 = (long) (coords[a * d + t] + 1) << (l - la);
      long b0 = (long) coords[b * d + t] << (l - lb);
      long b1 = (long) (coords[b * d + t] + 1) << (l - lb);
      gap = Math.max(gap, Math.max(b0 - a1, a0 - b1));
    }
    long larger = 1L << (l - Math.min(la, lb));
    return gap >= larger;
  }

  /**
   * The translation key of an M2L pair: both levels and the offset of the source center from the
   * target center in units of half the finer side (integers), packed into one long (d ≤ 3:
   * 5 + 5 bits of levels and 17 bits per coordinate).
   */
  long m2lKey(int target, int source) {
    int lt = level[target];
    int ls = level[source];
    int l = Math.max(lt, ls);
    long key = ((long) lt << 5) | ls;
    for (int t = 0; t < d; t++) {
      long ct = (2L * coords[target * d + t] + 1) << (l - lt);
      long cs = (2L * coords[source * d + t] + 1) << (l - ls);
      if (Math.abs(cs - ct) >= 1 << 16) {
        throw new IllegalStateException("FmmOctree: an M2L offset of " + (cs - ct) + " half-sides does not fit the key");
      }
      long offset = cs - ct + (1 << 16);
      key = (key << 17) | offset;
    }
    return key;
  }

  /** Growable int list. */
  static final class IntBuffer {
    int[] data = new int[16];
    int size;

    IntBuffer add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
      return this;
    }

    int get(int i) {
      return data[i];
    }

    void set(int i, int v) {
      data[i] = v;
    }

    int pop() {
      return data[--size];
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
