package structura.api.nn;

/** {@code max(0, x)} elementwise; keeps the shape. */
public record Relu() implements Layer {}
