package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * The n×n permutation matrix P with {@code (P·x)_i = x_{perm[i]}}, i.e. P has a one at
 * (i, perm[i]) and zeros elsewhere. {@code apply} moves rows: no flops, nk copies. P is
 * orthogonal; its transpose (and inverse) is the permutation by the inverse index map.
 */
public final class PermutationOperator implements LinearOperator {
  private final int[] perm;
  private final DType dtype;

  PermutationOperator(int[] perm, DType dtype) {
    this.perm = perm.clone();
    this.dtype = dtype;
  }

  /** A copy of the index map: row i of {@code P·x} is row {@code perm[i]} of x. */
  public int[] indices() {
    return perm.clone();
  }

  /** The inverse index map q with q[perm[i]] = i: the indices of Pᵀ = P⁻¹. */
  public int[] inverseIndices() {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /** The sign of the permutation, +1 or −1 (its determinant), from its cycle decomposition: O(n). */
  public int sign() {
    boolean[] seen = new boolean[perm.length];
    int transpositions = 0;
    for (int i = 0; i < perm.length; i++) {
      int length = 0;
      for (int j = i; !seen[j]; j = perm[j]) {
        seen[j] = true;
        length++;
      }
      if (length > 0) {
        transpositions += length - 1;
      }
    }
    return transpositions % 2 == 0 ? 1 : -1;
  }

  @Override
  public int rows() {
    return perm.length;
  }

  @Override
  public int cols() {
    return perm.length;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, perm.length, "apply");
    return gather(x, perm);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, perm.length, "applyTranspose");
    return gather(y, inverseIndices());
  }

  private Matrix gather(Matrix x, int[] from) {
    Matrix out = Matrix.zeros(dtype, x.rows(), x.cols());
    for (int i = 0; i < from.length; i++) {
      out.row(i).copyFrom(x.row(from[i]));
    }
    return out;
  }

  @Override
  public LinearOperator transpose() {
    return new PermutationOperator(inverseIndices(), dtype);
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype, perm.length, perm.length);
    for (int i = 0; i < perm.length; i++) {
      out.set(i, perm[i], 1);
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.of(Structure.ORTHOGONAL);
    boolean involution = true;
    boolean identity = true;
    for (int i = 0; i < perm.length; i++) {
      involution &= perm[perm[i]] == i;
      identity &= perm[i] == i;
    }
    if (involution) {
      s.add(Structure.SYMMETRIC);
    }
    if (identity) {
      s.add(Structure.PSD);
    }
    return s;
  }

  @Override
  public String toString() {
    return "Permutation(" + perm.length + ")";
  }
}
