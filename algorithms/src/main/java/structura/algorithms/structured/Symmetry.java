package structura.algorithms.structured;

import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DenseOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.Structure;
import structura.api.operator.TransposedOperator;

/**
 * Whether an operator is known to be symmetric, so that an eigen rule may go through its
 * factors: a tag says so, or a dense factor is checked entry by entry (O(n²), cheap next to its
 * eigendecomposition), or the structure implies it (A⊗B and A⊕B with symmetric factors,
 * block-diagonal with symmetric blocks). Never densifies a structured operator.
 */
final class Symmetry {
  private Symmetry() {}

  static boolean known(LinearOperator a) {
    if (a.rows() != a.cols()) {
      return false;
    }
    if (a.is(Structure.SYMMETRIC)) {
      return true;
    }
    if (a instanceof DenseOperator d) {
      return DenseRoutes.isSymmetric(d.matrix(), d.dtype());
    }
    if (a instanceof KroneckerOperator k) {
      return known(k.left()) && known(k.right());
    }
    if (a instanceof KroneckerSumOperator k) {
      return known(k.left()) && known(k.right());
    }
    if (a instanceof BlockDiagonalOperator b) {
      return b.blocks().stream().allMatch(Symmetry::known);
    }
    if (a instanceof ScaledOperator s) {
      return known(s.inner());
    }
    if (a instanceof TransposedOperator t) {
      return known(t.inner());
    }
    return false;
  }
}
