/**
 * Model file formats (ONNX, safetensors), tokenizers and the model zoo. ONNX goes through
 * protobuf-java (automatic module {@code com.google.protobuf}) with classes generated at build
 * time from a project-written subset of {@code onnx.proto}.
 */
module structura.formats {
  requires transitive structura.api;
  requires transitive structura.algorithms;
  requires com.google.protobuf;

  exports structura.formats;
}
