package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

class StreamingTriangularFactorTest {
  @Test
  void factorHasTheGramAndTheColumnIdOfTheStreamedRows() {
    Random rnd = new Random(3);
    int m = 157;
    int n = 12;
    Matrix x = Matrix.zeros(DType.F64, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        x.set(i, j, rnd.nextGaussian() * Math.pow(0.5, j));
      }
    }
    StreamingInterpolativeDecomposition s = new StreamingInterpolativeDecomposition(Compute.reference(),
        InterpolativeDecompositionOptions.ofRank(5), n, DType.F64);
    assertThrows(InvalidArgumentException.class, s::triangularFactor);
    for (int i = 0; i < m; i += 10) {
      s.accept(x.view(i, 0, Math.min(10, m - i), n));
    }
    Matrix r = s.triangularFactor();
    assertEquals(n, r.rows());
    Matrix gx = Compute.reference().multiply(Transpose.T, x, Transpose.N, x);
    Matrix gr = Compute.reference().multiply(Transpose.T, r, Transpose.N, r);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(gx.get(i, j), gr.get(i, j), 1e-10 * (1 + Math.abs(gx.get(i, j))));
      }
    }
    InterpolativeDecompositionResult direct = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(5))
        .columnId(x);
    InterpolativeDecompositionResult viaR = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(5))
        .columnId(r);
    assertArrayEquals(direct.skeleton(), viaR.skeleton());
    assertArrayEquals(direct.skeleton(), s.columnId().skeleton());
  }
}
