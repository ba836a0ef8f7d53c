/**
 * The fast kernel transform (Ryan, Ament, Gomes, Damle, AISTATS 2022): {@link
 * structura.algorithms.kernel.fkt.FastKernelTransform}, an O(N log N) kernel-matrix product for
 * points in 1 ≤ d ≤ 8 dimensions, built from a tree with separation ratio θ
 * ({@code FktTree}), far-field expansions of order p in hyperspherical harmonics and the kernel's
 * radial Taylor coefficients ({@code FarFieldExpansion}, {@code ZonalHarmonics},
 * {@code RadialTaylor}), and exact near-field blocks on the backend's PairwiseKernel routine.
 * Options and how to choose them for a tolerance: {@link structura.algorithms.kernel.fkt.FktOptions};
 * overview: docs/fkt.md.
 */
package structura.algorithms.kernel.fkt;
