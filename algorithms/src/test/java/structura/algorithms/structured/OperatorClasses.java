package structura.algorithms.structured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import structura.api.operator.LinearOperator;

/**
 * The concrete {@link LinearOperator} classes that exist, found by listing the class files of
 * the modules (a target/classes folder or a jar) that hold {@code LinearOperator} and the
 * facade, never from a hand-kept list: a new operator is seen by the ambiguity check the moment
 * it is compiled.
 */
final class OperatorClasses {
  private OperatorClasses() {}

  static List<Class<? extends LinearOperator>> scan() {
    List<Class<? extends LinearOperator>> out = new ArrayList<>();
    for (Class<?> anchor : new Class<?>[] {LinearOperator.class, Linalg.class}) {
      for (String name : classNames(anchor)) {
        Class<?> c = load(name, anchor.getClassLoader());
        if (c != null && LinearOperator.class.isAssignableFrom(c) && !c.isInterface()
            && !Modifier.isAbstract(c.getModifiers())) {
          out.add(c.asSubclass(LinearOperator.class));
        }
      }
    }
    return out;
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static List<String> classNames(Class<?> anchor) {
    try {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        return list(location);
      }
      try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
        return list(jar.getPath("/"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> list(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.endsWith(".class") && !p.equals("module-info.class") && !p.startsWith("META-INF"))
          .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
          .toList();
    }
  }
}
