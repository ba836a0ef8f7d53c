/**
 * Krylov methods and stochastic estimators on any {@link structura.api.operator.LinearOperator}:
 * preconditioned, re-orthogonalized and low-precision conjugate gradients, Lanczos with stochastic
 * Lanczos quadrature, Hutchinson estimators.
 *
 * <p>Conventions shared by every method here:
 * <ul>
 *   <li>Blocks of vectors are n×k {@link structura.api.Matrix} values, one vector per column, and
 *       every product is one {@code apply} on a whole block, so structured operators (Kronecker,
 *       low rank, lazy kernels) are never densified.
 *   <li>Work vectors are kept in double precision whatever the operator's dtype; an F32 operator
 *       gets F32 blocks and its output is widened.
 *   <li>Results are values that report iterations, matrix-vector products (one per column per
 *       product) and residuals, and say {@code converged} only when the stopping rule held on a
 *       residual recomputed from the operator, never from a recurrence alone.
 *   <li>Invalid input (NaN/Inf, shape mismatch) and breakdowns are coded
 *       {@link structura.api.StructuraException}s; running out of iterations is not an exception.
 * </ul>
 */
package structura.algorithms.iterative;
