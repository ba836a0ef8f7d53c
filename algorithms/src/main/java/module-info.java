/** Dense and randomized linear algebra (pivoted QR, interpolative decomposition, randomized SVD, Nystrom, CUR, Cholesky); arrives with the linear-algebra issue. */
module structura.algorithms {
  requires structura.api;

}
