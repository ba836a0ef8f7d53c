package structura.algorithms.structured;

/**
 * Which k eigenvalues to return: for eigh the algebraically smallest or largest (CoLA's 'SA'/'LA'),
 * for eig those of smallest or largest modulus (ARPACK's 'SM'/'LM').
 */
public enum Which {
  SMALLEST,
  LARGEST
}
