package structura.algorithms.structured;

import structura.api.operator.LinearOperator;

/**
 * The result of projecting a dense matrix A onto a structure: the structured operator W and the
 * Frobenius distance ‖A − W‖_F, measured entrywise against W's dense form (not estimated).
 *
 * @param operator W, in A's dtype
 * @param frobeniusError ‖A − W‖_F, computed in double
 * @param relativeError ‖A − W‖_F / ‖A‖_F (0 when A = 0)
 */
public record StructureProjection(LinearOperator operator, double frobeniusError, double relativeError) {}
