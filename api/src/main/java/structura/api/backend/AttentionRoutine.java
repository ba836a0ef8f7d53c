package structura.api.backend;

/**
 * Fused scaled-dot-product attention over a batch of sequences and heads (F32), in the layout of
 * a transformer's projections: the {@code batch·len} rows of Q, K, V and O hold the tokens of
 * sequence b in rows {@code b·len .. b·len + len − 1}; query head h occupies columns
 * {@code h·headDim ..} of Q, key/value head g columns {@code g·headDim ..} of K and
 * {@code g·valueDim ..} of V, and the output of head h columns {@code h·valueDim ..} of O (the
 * concatenated heads the output projection reads). Query head h uses key/value head
 * {@code g = h / (heads / kvHeads)} (grouped-query attention; {@code kvHeads = heads} is plain
 * multi-head attention). For every sequence b and head h:
 * <pre>
 *   S_ij = Σ_p Q_ip K_jp                          (an FMA chain over p from zero)
 *   z_ij = fl(fl(scale·S_ij) + m_ij)              m_ij = −Float.MAX_VALUE if causal and j &gt; i,
 *                                                 else keyMask[b, j] (0 without a mask)
 *   P_i  = softmax(z_i)                           (as {@link ElementwiseRoutine#ssoftmaxRows})
 *   O_ic = Σ_j P_ij V_jc                          (an FMA chain over j from zero)
 * </pre>
 * Element q(row, col) is at {@code q[qOff + row·ldq + col]}, likewise k, v, o; the key mask is an
 * additive {@code batch × len} block at {@code keyMask[maskOff + b·ldMask + j]} (use
 * {@code −Float.MAX_VALUE} for padded keys) or null. Cost {@code 2·batch·heads·len²·(headDim +
 * valueDim)} flops plus one exp per score; the composed form also writes and reads
 * {@code heads·len²} scores per sequence, which a fused implementation keeps in cache.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute#attention}: batch, len,
 * heads, kvHeads, headDim, valueDim ≥ 1, heads a multiple of kvHeads, every operand in bounds, O
 * disjoint from Q, K, V and the mask. Only the {@code batch·len × heads·valueDim} block of O is
 * modified (every element of it written; O is never read). Thread-safe. A backend without this
 * routine gets {@link ComposedAttention}, the same computation from its strided batched GEMM and
 * row softmax; an implementation should give the bits of that composition on the same backend
 * (same products in the same order, the same softmax per row) so that fusing changes no result,
 * and may call {@link ComposedAttention} itself for the shapes it does not fuse.
 */
public interface AttentionRoutine {
  /** Single-precision fused attention; see the interface documentation. */
  void sattention(int batch, int len, int heads, int kvHeads, int headDim, int valueDim, float scale, boolean causal,
      float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      float[] keyMask, int maskOff, int ldMask, float[] o, int oOff, int ldo);
}
