package structura.api.operator;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * A two-core BTT of rank 1 is the Monarch matrix with the same numbers (R = core 1: m_2 blocks of
 * n_1×m_1; L = core 2: n_1 blocks of n_2×m_2), entry for entry: the two conventions agree.
 */
class MonarchIsRankOneBttTest {
  @Test
  void rankOneTwoCoreBttEqualsMonarch() {
    SplittableRandom rnd = new SplittableRandom(21);
    int[] m = {3, 4};
    int[] n = {2, 5};
    Matrix core1 = Matrix.zeros(DType.F64, m[1] * n[0], m[0]);
    Matrix core2 = Matrix.zeros(DType.F64, n[0] * n[1], m[1]);
    for (Matrix g : List.of(core1, core2)) {
      for (int i = 0; i < g.rows(); i++) {
        for (int j = 0; j < g.cols(); j++) {
          g.set(i, j, rnd.nextDouble(-1, 1));
        }
      }
    }
    Compute c = Compute.reference();
    Matrix btt = Operators.blockTensorTrain(m, n, new int[] {1, 1, 1}, List.of(core1, core2), c).toDense();
    Matrix monarch = Operators.monarch(core1, m[1], core2, n[0], c).toDense();
    EinsumSpecialCasesTest.assertClose(monarch, btt);
  }
}
