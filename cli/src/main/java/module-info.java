/**
 * The {@code structura} command-line tool: picocli commands wired with Guice. Backends are not
 * required here; they are found at run time through {@code ServiceLoader} from whatever
 * backend modules are on the module path.
 */
module structura.cli {
  requires structura.api;
  requires structura.algorithms;
  requires structura.formats;
  requires com.microsoft.onnxruntime;
  requires com.google.gson;
  requires java.desktop;
  // automatic modules named after their jars (xchart-4.0.3.jar, VectorGraphics2D-0.13.jar): neither
  // declares a module name; the charts' PNG and SVG encoders
  requires xchart;
  requires VectorGraphics2D;
  requires info.picocli;
  requires com.google.guice;
  requires jakarta.inject;
  requires java.logging;

  // structura pca --engine: local from structura.algorithms, spark from the class path when present
  uses structura.algorithms.spectral.PartitionEngineProvider;

  opens structura.cli to info.picocli, com.google.guice, com.google.gson;}
