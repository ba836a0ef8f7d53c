/**
 * Model file formats (ONNX, safetensors), tokenizers and the model zoo. ONNX goes through
 * protobuf-java (automatic module {@code com.google.protobuf}) with classes generated at build
 * time from a project-written subset of {@code onnx.proto}; tokenizers through DJL's HuggingFace
 * tokenizers (automatic modules {@code ai.djl.tokenizers} and {@code ai.djl.api}).
 */
module structura.formats {
  requires transitive structura.api;
  requires transitive structura.algorithms;
  requires com.google.protobuf;
  requires ai.djl.tokenizers;
  requires ai.djl.api;
  requires com.google.gson;

  exports structura.formats;
  exports structura.formats.io;

  // generated messages are reached reflectively by protobuf's field accessors (toString, equals)
  opens structura.formats.internal.onnx to com.google.protobuf;
}
