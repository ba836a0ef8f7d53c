/**
 * The research methods on top of the API: dense and randomized linear algebra (arriving with
 * the linear-algebra issue) and the transformer forward pass with activation capture
 * ({@code structura.algorithms.nn}).
 */
module structura.algorithms {
  requires transitive structura.api;

  exports structura.algorithms.nn;
}
