/**
 * The research methods on top of the API. {@code structura.algorithms.linalg}: dense and
 * randomized linear algebra (Householder and column-pivoted QR, interpolative decomposition,
 * Cholesky and pivoted Cholesky, least squares, randomized SVD, Nystrom, CUR).
 * {@code structura.algorithms.nn}: the transformer forward pass with activation capture, and the
 * forward pass of plain feed-forward/convolutional networks. {@code structura.algorithms.compress}:
 * training-free compression (interpolative-decomposition pruning, STAT, MoDeGPT, magnitude, and
 * whitened-SVD low rank). {@code structura.algorithms.iterative}: Krylov methods and stochastic
 * estimators on any operator (preconditioned and low-precision CG, RR-CG, Lanczos and stochastic
 * Lanczos quadrature, Hutchinson and Hutch++, GMRES and Arnoldi, multi-shift MINRES and CIQ,
 * subspace iteration with the entrywise stopping rule). {@code structura.algorithms.spectral}: one-round distributed PCA
 * (Procrustes, robust) over a partitioned-data interface with an in-process thread-pool engine.
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
  exports structura.algorithms.structured;
  exports structura.algorithms.iterative;
  exports structura.algorithms.kernel;
  exports structura.algorithms.kernel.fkt;
  exports structura.algorithms.nn;
  exports structura.algorithms.compress;
  exports structura.algorithms.spectral;
  exports structura.algorithms.eval;

  uses structura.algorithms.compress.CompressionStrategy;
  uses structura.algorithms.spectral.PartitionEngineProvider;

  provides structura.algorithms.compress.CompressionStrategy with
      structura.algorithms.compress.StatStrategy,
      structura.algorithms.compress.IdPruneStrategy,
      structura.algorithms.compress.MagnitudeStrategy,
      structura.algorithms.compress.ModegptStrategy,
      structura.algorithms.compress.SvdStrategy,
      structura.algorithms.compress.MonarchStrategy,
      structura.algorithms.compress.BttStrategy,
      structura.algorithms.compress.DispStrategy,
      structura.algorithms.compress.CuringStrategy;
  provides structura.algorithms.spectral.PartitionEngineProvider with
      structura.algorithms.spectral.InProcessEngineProvider;
}
