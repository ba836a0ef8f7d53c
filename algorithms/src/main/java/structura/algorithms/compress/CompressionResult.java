package structura.algorithms.compress;

import structura.api.nn.TransformerNetwork;

/**
 * Output of {@link CompressionStrategy#compress}.
 *
 * @param network the compressed network (new weights; shares nothing mutable with the input)
 * @param report what was done
 */
public record CompressionResult(TransformerNetwork network, CompressionReport report) {}
