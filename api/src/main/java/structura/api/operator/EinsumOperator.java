package structura.api.operator;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * A member of the two-core Einsum family of structured matrices (Potapczynski et al.,
 * "Searching for Efficient Linear Layers over a Continuous Space of Structured Matrices",
 * NeurIPS 2024; code {@code AndPotap/einsum-search}, {@code ops/operators.py EinOpVec2}).
 *
 * <p><b>Definition.</b> With the sizes of {@link EinsumDims} (α, β, γ for the input, δ, ε, φ for
 * the output, ρ the rank; written dα … here), the input x of length dγ·dβ·dα is read as x[g, b, a]
 * (row-major, a least significant) and
 * <pre>
 *   z[f, d, r, g, b] = Σ_a A[f, g, d, r, a] · x[g, b, a]          (einsum "gba, fdrga → fdrgb")
 *   y[f, e, d]       = Σ_{r, g, b} B[f, e, r, g, b] · z[f, d, r, g, b] (einsum "fdrgb, fergb → fed")
 * </pre>
 * and y of length dφ·dε·dδ is read row-major (d least significant), as in the reference. Special
 * cases: dense (dα = d_in, dδ = d_out, the rest 1: y = B₀₀·A·x); low rank (dα = d_in, dε = d_out,
 * rank dρ); Kronecker (dγ = dφ = dρ = 1: W = B ⊗ A with B dε×dβ and A dδ×dα); BTT (dβ = dδ = 1,
 * rank dρ); Monarch (dβ = dδ = dρ = 1).
 *
 * <p><b>Storage.</b> A is one (dφ·dγ·dδ·dρ)×dα matrix, rows ordered (f, g, d, r) with r least
 * significant (the reference's A[φ, δ, ρ, γ, α] with γ moved forward, so that each (f, g) slice is
 * one block); B is one (dφ·dε)×(dρ·dγ·dβ) matrix, rows (f, e), columns (r, g, b). Not copied.
 *
 * <p><b>Cost.</b> {@code apply} on B vectors is dφ·dγ strided batched GEMMs (batch dβ, each
 * (dδ·dρ)×dα times dα×B) and dφ more (batch dδ, each dε×(dρ·dγ·dβ) times (dρ·dγ·dβ)×B) on the
 * given {@link Compute}: {@link EinsumDims#flopsPerVector()}·B flops. The intermediate is stored
 * as (f, d, r, g, b), so every operand is a strided view and nothing is permuted or densified.
 */
public final class EinsumOperator implements LinearOperator {
  private final EinsumDims dims;
  private final Matrix first;
  private final Matrix second;
  private final Compute compute;

  EinsumOperator(EinsumDims dims, Matrix first, Matrix second, Compute compute) {
    this.dims = dims;
    this.first = first;
    this.second = second;
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** The sizes. */
  public EinsumDims dims() {
    return dims;
  }

  /** The first core A, (dφ·dγ·dδ·dρ)×dα (not a copy). */
  public Matrix first() {
    return first;
  }

  /** The second core B, (dφ·dε)×(dρ·dγ·dβ) (not a copy). */
  public Matrix second() {
    return second;
  }

  /** The compute the GEMMs run on. */
  public Compute compute() {
    return compute;
  }

  @Override
  public int rows() {
    return dims.out();
  }

  @Override
  public int cols() {
    return dims.in();
  }

  @Override
  public DType dtype() {
    return first.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    Matrix in = StridedViews.compact(x);
    int bs = in.cols();
    int da = dims.alpha();
    int db = dims.beta();
    int dg = dims.gamma();
    int dd = dims.delta();
    int de = dims.epsilon();
    int df = dims.phi();
    int dr = dims.rho();
    int blockRows = dd * dr;
    int inner = dr * dg * db;
    Matrix y = Matrix.zeros(dtype(), rows(), bs);
    if (bs == 0) {
      return y;
    }
    Matrix z = Matrix.zeros(dtype(), df * dd * inner, bs);
    for (int f = 0; f < df; f++) {
      for (int g = 0; g < dg; g++) {
        // z[f, (d, r), g, b] for every b: the (f, g) block of A times x[g, b, ·]; A is shared by the batch
        compute.batchedGemm(Transpose.N, Transpose.N, db, 1.0,
            StridedViews.of(first, first.offset() + (f * dg + g) * blockRows * first.ld(), blockRows, da, first.ld()), 0,
            StridedViews.of(in, g * db * da * bs, da, bs, bs), da * bs, 0.0,
            StridedViews.of(z, (f * blockRows * dg * db + g * db) * bs, blockRows, bs, dg * db * bs), bs);
      }
    }
    for (int f = 0; f < df; f++) {
      // y[f, e, d] for every d: B's f block times z[f, d, (r, g, b)]; output rows e are dδ apart
      compute.batchedGemm(Transpose.N, Transpose.N, dd, 1.0,
          StridedViews.of(second, second.offset() + f * de * second.ld(), de, inner, second.ld()), 0,
          StridedViews.of(z, f * dd * inner * bs, inner, bs, bs), inner * bs, 0.0,
          StridedViews.of(y, f * de * dd * bs, de, bs, dd * bs), bs);
    }
    return y;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    Matrix in = StridedViews.compact(y);
    int bs = in.cols();
    int da = dims.alpha();
    int db = dims.beta();
    int dg = dims.gamma();
    int dd = dims.delta();
    int de = dims.epsilon();
    int df = dims.phi();
    int dr = dims.rho();
    int blockRows = dd * dr;
    int inner = dr * dg * db;
    Matrix x = Matrix.zeros(dtype(), cols(), bs);
    if (bs == 0) {
      return x;
    }
    Matrix z = Matrix.zeros(dtype(), df * dd * inner, bs);
    for (int f = 0; f < df; f++) {
      compute.batchedGemm(Transpose.T, Transpose.N, dd, 1.0,
          StridedViews.of(second, second.offset() + f * de * second.ld(), de, inner, second.ld()), 0,
          StridedViews.of(in, f * de * dd * bs, de, bs, dd * bs), bs, 0.0,
          StridedViews.of(z, f * dd * inner * bs, inner, bs, bs), inner * bs);
    }
    // x[g, b, ·] = Σ_f A_{f,g}ᵀ · z[f, (d, r), g, b]: the f terms accumulate (beta = 1 on zeros)
    for (int f = 0; f < df; f++) {
      for (int g = 0; g < dg; g++) {
        compute.batchedGemm(Transpose.T, Transpose.N, db, 1.0,
            StridedViews.of(first, first.offset() + (f * dg + g) * blockRows * first.ld(), blockRows, da, first.ld()), 0,
            StridedViews.of(z, (f * blockRows * dg * db + g * db) * bs, blockRows, bs, dg * db * bs), bs, 1.0,
            StridedViews.of(x, g * db * da * bs, da, bs, bs), da * bs);
      }
    }
    return x;
  }

  @Override
  public String toString() {
    return "Einsum(" + rows() + "x" + cols() + ", " + dims + ")";
  }
}
