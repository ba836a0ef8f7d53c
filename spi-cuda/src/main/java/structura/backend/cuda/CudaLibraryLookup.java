package structura.backend.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import structura.api.backend.ConfigKeys;

/**
 * Where the CUDA driver ({@code libcuda}) and cuBLAS live, and loading them with
 * {@link SymbolLookup#libraryLookup}. Nothing from CUDA is needed to build; both are found at run
 * time, in this order:
 * <ol>
 *   <li>the override: system property / configuration key {@code structura.cuda.driver} or
 *       {@code structura.cuda.cublas} (environment {@code STRUCTURA_CUDA_DRIVER},
 *       {@code STRUCTURA_CUDA_CUBLAS}, or {@code STRUCTURA_CUBLAS}), a file or a directory. When
 *       set, nothing else is tried: an explicit choice that fails must say so, not be replaced;</li>
 *   <li>the dynamic loader's own search by soname ({@code LD_LIBRARY_PATH}, ld.so.cache);</li>
 *   <li>{@code /usr/local/cuda/lib64}, {@code $CUDA_HOME/lib64}, the system directories (driver), and
 *       the pip wheels of PyTorch ({@code site-packages/nvidia/cublas/lib}, {@code nvidia/cu13/lib})
 *       under {@code /usr/lib/python3*}, {@code /usr/local/lib/python3*}, {@code ~/.local/lib/python3*}
 *       and {@code /opt/conda/lib/python3*}.</li>
 * </ol>
 * A pip wheel's libcublas needs libcublasLt from the same directory, which the loader does not
 * search for it: {@code libcublasLt} is loaded first by absolute path.
 */
final class CudaLibraryLookup {
  /** Configuration key (and system property) naming libcuda, a file or a directory. */
  static final String DRIVER_KEY = "structura.cuda.driver";
  /** Configuration key (and system property) naming libcublas, a file or a directory. */
  static final String CUBLAS_KEY = "structura.cuda.cublas";

  /** The two libraries, with their sonames in order of preference. */
  enum Library {
    DRIVER(DRIVER_KEY, List.of("libcuda.so.1", "libcuda.so"), List.of()),
    CUBLAS(CUBLAS_KEY, List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"),
        List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"));

    final String key;
    final List<String> sonames;
    /** Companion libraries loaded first from the same directory, matched by index (then the last). */
    final List<String> companions;

    Library(String key, List<String> sonames, List<String> companions) {
      this.key = key;
      this.sonames = sonames;
      this.companions = companions;
    }
  }

  /** One way to load a library: by soname through the loader, or by absolute path. */
  sealed interface Attempt permits BySoname, ByPath {
    /** For messages. */
    String describe();
  }

  /** {@code dlopen(soname)}: the loader's search. */
  record BySoname(String soname) implements Attempt {
    @Override
    public String describe() {
      return soname + " (loader search)";
    }
  }

  /** {@code dlopen(file)} after loading {@code companion} (null for none) from the same directory. */
  record ByPath(Path file, Path companion) implements Attempt {
    @Override
    public String describe() {
      return file.toString();
    }
  }

  /** A loaded library and the attempt that worked. */
  record Loaded(SymbolLookup symbols, String from) {}

  /** The library could not be loaded; {@code tried} lists every attempt with its error. */
  static final class NotFound extends Exception {
    private static final long serialVersionUID = 1L;
    final List<String> tried;
    final boolean overridden;

    NotFound(String message, List<String> tried, boolean overridden) {
      super(message, null, false, false);
      this.tried = List.copyOf(tried);
      this.overridden = overridden;
    }
  }

  private static final List<String> SYSTEM_DIRECTORIES = List.of(
      "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64",
      "/usr/lib/aarch64-linux-gnu", "/usr/lib/wsl/lib");
  private static final List<String> PYTHON_ROOTS = List.of("/usr/lib", "/usr/local/lib", "~/.local/lib", "/opt/conda/lib");

  private CudaLibraryLookup() {}

  /**
   * The override for {@code lib}: {@code configValue} if given, else the system property, else the
   * environment ({@code STRUCTURA_CUDA_CUBLAS}, then {@code STRUCTURA_CUBLAS} for cuBLAS); null when unset.
   */
  static String override(Library lib, String configValue) {
    if (configValue != null && !configValue.isBlank()) {
      return configValue.strip();
    }
    String v = System.getProperty(lib.key);
    if (v == null || v.isBlank()) {
      v = System.getenv(ConfigKeys.environmentName(lib.key));
    }
    if ((v == null || v.isBlank()) && lib == Library.CUBLAS) {
      v = System.getenv("STRUCTURA_CUBLAS");
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * Every attempt for {@code lib}, in order (pure: only lists directories, loads nothing).
   *
   * @param override a file or directory that replaces the search, or null
   * @param cudaHome {@code $CUDA_HOME}, or null
   * @param userHome the user's home, for {@code ~/.local}, or null
   */
  static List<Attempt> searchOrder(Library lib, String override, String cudaHome, String userHome) {
    List<Attempt> out = new ArrayList<>();
    if (override != null) {
      Path p = Path.of(override);
      if (Files.isDirectory(p)) {
        addDirectory(lib, p, out);
      } else {
        out.add(new ByPath(p, companionIn(lib, p.getParent())));
      }
      return out;
    }
    for (String s : lib.sonames) {
      out.add(new BySoname(s));
    }
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(Path.of("/usr/local/cuda/lib64"));
    if (cudaHome != null && !cudaHome.isBlank()) {
      dirs.add(Path.of(cudaHome, "lib64"));
    }
    if (lib == Library.DRIVER) {
      SYSTEM_DIRECTORIES.forEach(d -> dirs.add(Path.of(d)));
    } else {
      for (String root : PYTHON_ROOTS) {
        Path base = root.startsWith("~") ? (userHome == null ? null : Path.of(userHome, root.substring(2))) : Path.of(root);
        if (base != null) {
          for (Path python : pythonDirectories(base)) {
            for (String packages : List.of("site-packages", "dist-packages")) {
              dirs.add(python.resolve(packages).resolve("nvidia/cublas/lib"));
              dirs.add(python.resolve(packages).resolve("nvidia/cu13/lib"));
            }
          }
        }
      }
    }
    for (Path d : dirs) {
      if (Files.isDirectory(d)) {
        addDirectory(lib, d, out);
      }
    }
    return out;
  }

  /** Loads {@code lib} with the first attempt that works, into the global arena (never unloaded). */
  static Loaded load(Library lib, String override) throws NotFound {
    List<Attempt> attempts = searchOrder(lib, override, System.getenv("CUDA_HOME"), System.getProperty("user.home"));
    List<String> tried = new ArrayList<>();
    Set<String> absentDirs = new LinkedHashSet<>();
    List<String> failures = new ArrayList<>();
    boolean loaderTried = false;
    for (Attempt a : attempts) {
      try {
        SymbolLookup symbols = switch (a) {
          case BySoname s -> SymbolLookup.libraryLookup(s.soname(), Arena.global());
          case ByPath p -> {
            if (!Files.exists(p.file())) {
              throw new IllegalArgumentException("no such file");
            }
            if (p.companion() != null && Files.exists(p.companion())) {
              SymbolLookup.libraryLookup(p.companion(), Arena.global());
            }
            yield SymbolLookup.libraryLookup(p.file(), Arena.global());
          }
        };
        return new Loaded(symbols, a.describe());
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        tried.add(a.describe() + ": " + why);
        // keep the message short: absent files collapse into their directories
        if (a instanceof BySoname) {
          loaderTried = true;
        } else if (a instanceof ByPath p && "no such file".equals(why)) {
          absentDirs.add(String.valueOf(p.file().getParent()));
        } else {
          failures.add(a.describe() + ": " + why);
        }
      }
    }
    String name = lib.sonames.get(0);
    List<String> where = new ArrayList<>();
    if (loaderTried) {
      where.add("the loader's search path (LD_LIBRARY_PATH, ld.so.cache)");
    }
    if (!absentDirs.isEmpty()) {
      where.add(String.join(", ", absentDirs));
    }
    String looked = String.join("; ", where) + (failures.isEmpty() ? "" : "; failed: " + String.join("; ", failures));
    String message = override != null
        ? name + " could not be loaded from " + lib.key + "=" + override + " (" + String.join("; ", tried) + ")"
        : name + " not found (looked in " + looked + ")";
    return throwNotFound(message, tried, override != null);
  }

  private static Loaded throwNotFound(String message, List<String> tried, boolean overridden) throws NotFound {
    throw new NotFound(message, tried, overridden);
  }

  private static void addDirectory(Library lib, Path dir, List<Attempt> out) {
    for (String s : lib.sonames) {
      out.add(new ByPath(dir.resolve(s), companionIn(lib, dir)));
    }
  }

  /** The first companion library present in {@code dir}, or the preferred name when none is. */
  private static Path companionIn(Library lib, Path dir) {
    if (lib.companions.isEmpty() || dir == null) {
      return null;
    }
    for (String c : lib.companions) {
      if (Files.exists(dir.resolve(c))) {
        return dir.resolve(c);
      }
    }
    return dir.resolve(lib.companions.get(0));
  }

  /** {@code base/python3*} directories, sorted; none when base is unreadable. */
  private static List<Path> pythonDirectories(Path base) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, "python3*")) {
      ds.forEach(out::add);
    } catch (IOException | RuntimeException e) {
      // an unreadable directory only narrows the search
    }
    out.sort(null);
    return out;
  }
}
