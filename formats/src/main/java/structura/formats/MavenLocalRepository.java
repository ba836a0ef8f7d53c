package structura.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * Where Maven keeps its local repository, found as Maven finds it: the system property
 * {@code maven.repo.local} (as {@code -Dmaven.repo.local=…}), else {@code <localRepository>} in the
 * user's {@code ~/.m2/settings.xml}, else in the installation's {@code $MAVEN_HOME/conf/settings.xml},
 * else {@code ~/.m2/repository}. {@code ${user.home}}, {@code ${env.NAME}} and other system
 * properties in the setting are expanded. Package-private: {@link ModelZoo} reads zoo jars from it.
 *
 * @param path the repository folder
 * @param source where the choice came from, for messages ({@code -Dmaven.repo.local}, a settings file, the default)
 */
record MavenLocalRepository(Path path, String source) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env\\.)?([^}]+)}");

  /** The repository of this JVM's settings. */
  static MavenLocalRepository find() {
    return find(System.getProperties(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static MavenLocalRepository find(Properties system, Map<String, String> env, Path userHome) {
    String property = system.getProperty("maven.repo.local");
    if (property != null && !property.isBlank()) {
      return new MavenLocalRepository(Path.of(expand(property, system, env)), "-Dmaven.repo.local");
    }
    Path user = userHome.resolve(".m2/settings.xml");
    Optional<String> fromUser = localRepository(user);
    if (fromUser.isPresent()) {
      return new MavenLocalRepository(Path.of(expand(fromUser.get(), system, env)), user.toString());
    }
    String home = env.getOrDefault("MAVEN_HOME", env.get("M2_HOME"));
    if (home != null) {
      Path global = Path.of(home, "conf", "settings.xml");
      Optional<String> fromGlobal = localRepository(global);
      if (fromGlobal.isPresent()) {
        return new MavenLocalRepository(Path.of(expand(fromGlobal.get(), system, env)), global.toString());
      }
    }
    return new MavenLocalRepository(userHome.resolve(".m2/repository"), "the default ~/.m2/repository");
  }

  /** The jar of {@code groupId:artifactId:version} in this repository (it may not exist). */
  Path jar(String groupId, String artifactId, String version) {
    return path.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
        .resolve(artifactId + "-" + version + ".jar");
  }

  /** {@code <settings><localRepository>} of a settings file; empty when the file or the element is absent or unreadable. */
  private static Optional<String> localRepository(Path settings) {
    if (!Files.isRegularFile(settings)) {
      return Optional.empty();
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList nodes = f.newDocumentBuilder().parse(settings.toFile()).getDocumentElement()
          .getElementsByTagNameNS("*", "localRepository");
      String value = nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    } catch (Exception e) {
      return Optional.empty();   // Maven would stop on a broken settings file; we fall back and say which source we used
    }
  }

  private static String expand(String value, Properties system, Map<String, String> env) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = m.group(1) != null ? env.get(m.group(2)) : system.getProperty(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
    }
    return m.appendTail(out).toString();
  }
}
