package structura.api.backend;

import java.util.Objects;

/**
 * {@link AttentionRoutine} composed from a backend's {@link BatchedGemmRoutine} and
 * {@link ElementwiseRoutine#ssoftmaxRows}: what {@link Compute#attention} runs on a backend
 * without a fused routine, and what a fused routine may delegate the shapes it does not fuse to.
 *
 * <p>Per sequence: with one key/value head per query head (and more than one head), one batched
 * GEMM writes every head's {@code len × len} scores {@code S_h = Q_h K_hᵀ} into consecutive
 * blocks, one softmax runs over all {@code heads·len} rows (a broadcast key-mask row; per head with
 * the {@code len × len} causal mask), and one batched GEMM writes {@code O_h = P_h V_h} side by
 * side into the rows of O. With grouped-query heads the same three steps run per key/value group,
 * the shared K and V passed with a batch stride of 0. Memory per call: {@code heads·len²} floats of
 * scores and one mask of {@code len} (or {@code len²} when causal) floats, allocated per call.
 * Thread-safe if the two routines are.
 */
public final class ComposedAttention implements AttentionRoutine {
  private final BatchedGemmRoutine gemm;
  private final ElementwiseRoutine elementwise;

  /**
   * @param gemm the products {@code Q Kᵀ} and {@code P V}
   * @param elementwise the row softmax
   */
  public ComposedAttention(BatchedGemmRoutine gemm, ElementwiseRoutine elementwise) {
    this.gemm = Objects.requireNonNull(gemm, "gemm");
    this.elementwise = Objects.requireNonNull(elementwise, "elementwise");
  }

  @Override
  public void sattention(int batch, int len, int heads, int kvHeads, int headDim, int valueDim, float scale,
      boolean causal, float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      float[] keyMask, int maskOff, int ldMask, float[] o, int oOff, int ldo) {
    int group = heads / kvHeads;
    int block = Math.multiplyExact(len, len);
    float[] scores = new float[Math.multiplyExact(heads, block)];
    float[] mask = new float[causal ? block : len];
    int ldm = causal ? len : 0;
    for (int b = 0; b < batch; b++) {
      int row0 = b * len;
      fillMask(mask, len, causal, keyMask, keyMask == null ? 0 : maskOff + b * ldMask);
      int qRow = qOff + row0 * ldq;
      int kRow = kOff + row0 * ldk;
      int vRow = vOff + row0 * ldv;
      int oRow = oOff + row0 * ldo;
      if (group == 1 && heads > 1) {
        // all heads of the sequence in one call each, so a backend can run one head per thread
        gemm.sgemmStridedBatched(false, true, len, len, headDim, 1f, q, qRow, ldq, headDim, k, kRow, ldk, headDim,
            0f, scores, 0, len, block, heads);
        if (causal) {
          for (int h = 0; h < heads; h++) {
            elementwise.ssoftmaxRows(len, len, scale, scores, h * block, len, mask, 0, ldm);
          }
        } else {
          // the score blocks are consecutive: one heads·len × len softmax with the broadcast key mask
          elementwise.ssoftmaxRows(heads * len, len, scale, scores, 0, len, mask, 0, 0);
        }
        gemm.sgemmStridedBatched(false, false, len, valueDim, len, 1f, scores, 0, len, block, v, vRow, ldv, valueDim,
            0f, o, oRow, ldo, valueDim, heads);
        continue;
      }
      for (int g = 0; g < kvHeads; g++) {
        int h0 = g * group;
        // S_h = Q_h K_gᵀ for the group's query heads; the key stride 0 shares K_g among them
        gemm.sgemmStridedBatched(false, true, len, len, headDim, 1f, q, qRow + h0 * headDim, ldq, headDim,
            k, kRow + g * headDim, ldk, 0, 0f, scores, h0 * block, len, block, group);
        for (int h = h0; h < h0 + group; h++) {
          elementwise.ssoftmaxRows(len, len, scale, scores, h * block, len, mask, 0, ldm);
        }
        // O_h = P_h V_g, written side by side into the rows of O
        gemm.sgemmStridedBatched(false, false, len, valueDim, len, 1f, scores, h0 * block, len, block,
            v, vRow + g * valueDim, ldv, 0, 0f, o, oRow + h0 * valueDim, ldo, valueDim, group);
      }
    }
  }

  /**
   * The additive mask of one sequence: its key-mask row (zeros without one), and for causal
   * attention the {@code len × len} block with {@code −Float.MAX_VALUE} above the diagonal.
   */
  static void fillMask(float[] mask, int len, boolean causal, float[] keyMask, int keyOff) {
    for (int i = 0; i < (causal ? len : 1); i++) {
      for (int j = 0; j < len; j++) {
        float key = keyMask == null ? 0f : keyMask[keyOff + j];
        mask[i * len + j] = causal && j > i ? -Float.MAX_VALUE : key;
      }
    }
  }
}
