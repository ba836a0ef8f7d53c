package structura.api.nn;

/**
 * The feed-forward block. Without a gate: {@code y = act(x W_upᵀ + b_up) W_downᵀ + b_down} (BERT,
 * GELU). With a gate: {@code y = (act(x W_gateᵀ) ∘ (x W_upᵀ)) W_downᵀ} (SwiGLU with SiLU, Llama).
 * The intermediate width ({@link #width()}, the FFN neurons) is per block; pruning neuron j
 * removes row j of up and gate and column j of down. Any of the three may be a factored
 * low-rank layer ({@link Linear#factored}), which neuron pruning rejects ({@code STRUCTURA-A007}).
 *
 * @param up {@code f × d}
 * @param gate {@code f × d}, or {@code null} for an ungated MLP
 * @param down {@code d × f}
 * @param activation the activation applied to the gate (or to up when ungated)
 */
public record Mlp(Linear up, Linear gate, Linear down, Activation activation) {
  /** Validates that up, gate and down agree on d and f. */
  public Mlp {
    java.util.Objects.requireNonNull(activation, "activation");
    int f = up.out();
    Shapes.require(down, "MLP down weight", -1, f);
    if (gate != null) {
      Shapes.require(gate, "MLP gate weight", f, up.in());
    }
  }

  /** Intermediate width f. */
  public int width() {
    return up.out();
  }

  /** Parameter count. */
  public long parameterCount() {
    return up.parameterCount() + down.parameterCount() + (gate == null ? 0 : gate.parameterCount());
  }
}
