/**
 * Model file formats (ONNX, safetensors), tokenizers and the model zoo. ONNX goes through
 * protobuf-java (automatic module {@code com.google.protobuf}) with classes generated at build
 * time from a project-written subset of {@code onnx.proto}; tokenizers through DJL's HuggingFace
 * tokenizers (automatic modules {@code ai.djl.tokenizers} and {@code ai.djl.api}).
 */
module structura.formats {
  requires transitive structura.api;
  // formats.eval: the encoder comparison fits its probes with structura.algorithms.eval and pools
  // with structura.algorithms.nn; nothing of it reaches formats' public signatures
  requires structura.algorithms;
  requires com.google.protobuf;
  requires ai.djl.tokenizers;
  requires ai.djl.api;
  requires com.google.gson;
  // structura.formats.data reads the SpamAssassin mails with Mime4j (automatic modules, names
  // derived from the jar names: the jars declare none) and their HTML parts with jsoup
  requires apache.mime4j.core;
  requires apache.mime4j.dom;
  // Mime4j's body storage uses commons-io, an explicit module the automatic Mime4j modules cannot
  // require: without this line an application without --add-modules would not resolve it
  requires org.apache.commons.io;
  requires org.jsoup;
  // structura.formats.data downloads pinned npm tarballs
  requires java.net.http;
  // ModelZoo reads the local repository's location from Maven's settings.xml
  requires java.xml;
  // only structura.formats.eval runs models in ONNX Runtime: optional, so that readers and writers
  // of model files do not pull its native libraries; applications that evaluate add it themselves
  requires static com.microsoft.onnxruntime;

  exports structura.formats;
  exports structura.formats.io;
  exports structura.formats.eval;
  exports structura.formats.data;

  // generated messages are reached reflectively by protobuf's field accessors (toString, equals)
  opens structura.formats.internal.onnx to com.google.protobuf;
  // the evaluation report's records are serialised by Gson through reflection
  opens structura.formats.eval to com.google.gson;
}
