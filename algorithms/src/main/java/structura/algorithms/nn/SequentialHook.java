package structura.algorithms.nn;

import structura.api.Matrix;
import structura.api.nn.SequentialNetwork;

/**
 * Receives the output of each layer of a {@link SequentialForward} pass, for calibration of
 * compression. The matrix is the whole batch, {@code N × (C·H·W)} NCHW rows; it may be the buffer
 * the next layer works in (ReLU and batch norm work in place), so copy what you keep. Calls come
 * from the thread running the pass, layer by layer in order.
 */
@FunctionalInterface
public interface SequentialHook {
  /**
   * @param layer index of the layer in {@link SequentialNetwork#layers()}
   * @param rows its output for the batch, {@code N × shape.size()}
   * @param shape the output shape of one sample
   */
  void layerOutput(int layer, Matrix rows, SequentialNetwork.Shape shape);
}
