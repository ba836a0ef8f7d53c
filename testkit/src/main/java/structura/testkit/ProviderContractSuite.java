package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;

/**
 * The contract every {@link BackendProvider} keeps, whether or not its hardware is present:
 * cheap identity methods, a probe that never throws and explains unavailability, idempotent
 * close, and the same provider class declared in {@code module-info} and
 * {@code META-INF/services}.
 */
public abstract class ProviderContractSuite {
  private static final String SERVICE = "META-INF/services/" + BackendProvider.class.getName();

  /** A fresh provider instance. */
  protected abstract BackendProvider provider();

  @Test
  void identityIsWellFormed() {
    BackendProvider p = provider();
    assertTrue(p.id().matches("[a-z][a-z0-9-]*"), "id must be lower-kebab: " + p.id());
    assertFalse(p.displayName().isBlank(), "display name must not be blank");
  }

  @Test
  void probeNeverThrowsAndExplainsUnavailability() {
    Availability a = assertDoesNotThrow(() -> provider().probe());
    assertNotNull(a);
    assertFalse(a.summary().isBlank(), "probe summary must not be blank");
    if (a instanceof Availability.Unavailable u) {
      assertFalse(u.remedies().isEmpty(), "an unavailable backend must offer a remedy");
      u.remedies().forEach(r -> assertFalse(r.isBlank(), "remedies must not be blank"));
    }
  }

  @Test
  void openedBackendClosesIdempotently() {
    BackendProvider p = provider();
    BackendSuite.requireAvailable(p);
    Backend b = p.open(BackendConfig.builder().strict(true).build());
    assertEquals(p.id(), b.id(), "backend id must equal provider id");
    assertFalse(b.describe().isBlank());
    b.close();
    assertDoesNotThrow(b::close);
  }

  @Test
  void moduleInfoAndServiceFileNameTheSameProvider() throws IOException {
    Class<?> type = provider().getClass();
    Module module = type.getModule();
    String name = type.getName();
    if (module.isNamed()) {
      ModuleDescriptor d = module.getDescriptor();
      boolean declared = d.provides().stream()
          .anyMatch(pr -> pr.service().equals(BackendProvider.class.getName()) && pr.providers().contains(name));
      assertTrue(declared, module.getName() + " must declare 'provides " + BackendProvider.class.getName() + " with " + name + "'");
    }
    try (InputStream in = module.isNamed() ? module.getResourceAsStream(SERVICE) : classPathServiceFile(type)) {
      assertNotNull(in, SERVICE + " is missing from the provider's jar (class-path users need it)");
      List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).collect(Collectors.toList());
      assertTrue(lines.contains(name), SERVICE + " must list " + name + " but lists " + lines);
    }
  }

  /**
   * On the class path several jars carry the service file; the provider's own is the one in the
   * jar (or folder) its class was loaded from, not whichever the class loader finds first.
   */
  private static InputStream classPathServiceFile(Class<?> type) throws IOException {
    java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
    String home = source == null ? null : source.getLocation().toString();
    java.util.Enumeration<java.net.URL> all = type.getClassLoader().getResources(SERVICE);
    while (all.hasMoreElements()) {
      java.net.URL url = all.nextElement();
      String u = url.toString();
      if (home == null || u.startsWith(home) || u.startsWith("jar:" + home)) {
        return url.openStream();
      }
    }
    return null;
  }
}
