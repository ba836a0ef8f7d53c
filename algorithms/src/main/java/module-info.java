/**
 * The research methods on top of the API. {@code structura.algorithms.linalg}: dense and
 * randomized linear algebra (Householder and column-pivoted QR, interpolative decomposition,
 * Cholesky and pivoted Cholesky, least squares, randomized SVD, Nystrom, CUR).
 * {@code structura.algorithms.nn}: the transformer forward pass with activation capture, and the
 * forward pass of plain feed-forward/convolutional networks. {@code structura.algorithms.compress}:
 * training-free compression (interpolative-decomposition pruning, STAT, MoDeGPT, magnitude, and
 * whitened-SVD low rank).
 *
 * <p>EJML is used for small dense SVDs and symmetric eigendecompositions. Only {@code ejml-ddense}
 * is required: {@code ejml-ddense} and {@code ejml-fdense} split the packages
 * {@code org.ejml.dense.row…} between them, which the module system forbids, so single-precision
 * inputs are promoted to double for those small problems.
 */
module structura.algorithms {
  requires transitive structura.api;
  requires ejml.core;
  requires ejml.ddense;

  exports structura.algorithms.linalg;
  exports structura.algorithms.kernel;
  exports structura.algorithms.nn;
  exports structura.algorithms.compress;

  uses structura.algorithms.compress.CompressionStrategy;

  provides structura.algorithms.compress.CompressionStrategy with
      structura.algorithms.compress.StatStrategy,
      structura.algorithms.compress.IdPruneStrategy,
      structura.algorithms.compress.MagnitudeStrategy,
      structura.algorithms.compress.ModegptStrategy,
      structura.algorithms.compress.SvdStrategy;
}
