/**
 * Dense and randomized linear algebra: Householder QR ({@link structura.algorithms.linalg.HouseholderQr}),
 * column-pivoted QR as LAPACK dgeqp3 ({@link structura.algorithms.linalg.PivotedQr}) and its
 * randomized blocked variant HQRRP ({@link structura.algorithms.linalg.RandomizedPivotedQr}),
 * interpolative decompositions (deterministic, sketched, streaming TSQR, Gram route), Cholesky and
 * pivoted Cholesky, least squares and ridge, truncated and randomized SVD, symmetric
 * eigendecomposition, Nyström and CUR.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every entry class takes a {@link structura.api.backend.Compute}, required: there
 *       is no constructor that picks the reference backend silently (pass
 *       {@code Compute.reference()} to choose it); all level-3 work (trailing updates, products, Gram matrices)
 *       goes through it, so a faster backend speeds it up, and so does dgeqp3's large level-2 product
 *       (the F column, through {@code Compute.gemv}). The remaining small level-2 work inside
 *       panels (reflector generation and application within a panel, incremental F and row
 *       updates, triangular solves) is plain Java.</li>
 *   <li>Options are immutable records with documented defaults; randomness comes only from the
 *       explicit seed in the options ({@link java.util.SplittableRandom}).</li>
 *   <li>Bad input throws {@link structura.api.InvalidArgumentException}: {@code STRUCTURA-A006}
 *       (INVALID_INPUT) for empty matrices, NaN/Inf entries (naming the argument and the element)
 *       and ranks outside [1, min(m, n)]; {@code STRUCTURA-A002} for shape mismatches. Data-dependent
 *       failures (not positive definite, rank-deficient least squares) throw
 *       {@link structura.algorithms.linalg.NumericalFailureException} ({@code STRUCTURA-N001}).</li>
 * </ul>
 *
 * <h2>Design decisions</h2>
 * <ul>
 *   <li><b>Column-major work arrays.</b> QR works on columns, our {@code Matrix} is row-major: the
 *       factorizations copy the input once into a column-major double array (the LAPACK layout) and
 *       express level-3 updates on its transposed row-major views.</li>
 *   <li><b>F32 inputs are factored in double</b> and results rounded back to F32. Simpler (one
 *       kernel set), more accurate pivots; costs 2× memory for the work copy. The Gaussian sketch and
 *       the randomized SVD products do run in the input dtype on the backend.</li>
 *   <li><b>ejml-ddense only.</b> {@code ejml-ddense} and {@code ejml-fdense} 0.46.1 have no
 *       module descriptors and both contain {@code org.ejml.dense.row…}; two automatic modules
 *       with one package cannot be on the module path together, so fdense is not used.</li>
 *   <li><b>GEMM operand orientation.</b> Products are arranged as X·Zᵀ (both operands read along
 *       rows), copying a small operand when needed; on the plain-loop reference GEMM this was 5–10×
 *       faster than (N, N) (Gaussian sketch of 8192×1024: 71 s → 7 s), and it costs nothing on a
 *       packed backend.</li>
 *   <li><b>Guarded R11 solve.</b> T = R11⁻¹R12 uses back-substitution treating
 *       |R(i,i)| ≤ 10·max(m,n)·u·|R(0,0)| as zero (basic solution) instead of SciPy/Chee et al.'s
 *       pinv: identical when R11 is well conditioned, bounded when the rank exceeds the numerical
 *       rank.</li>
 * </ul>
 */
package structura.algorithms.linalg;
