package structura.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;

class BackendSelectionTest {

  private static BackendConfig.Builder isolated() {
    return BackendConfig.builder().systemProperties(new Properties()).environment(Map.of());
  }

  private static Properties props(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }

  private static BackendRegistry registry(BackendProvider... providers) {
    return BackendRegistry.of(java.util.Arrays.stream(providers).map(BackendRegistry.Candidate::of).toList());
  }

  @Test
  void precedenceIsProgrammaticThenCliThenPropertyThenEnvironment() {
    Map<String, String> env = Map.of("STRUCTURA_BACKEND", "from-env");
    Properties sys = props("structura.backend", "from-property");
    BackendConfig all = BackendConfig.builder().systemProperties(sys).environment(env)
        .cli(ConfigKeys.BACKEND, "from-cli", "--backend").backend("from-code").build();
    assertEquals("from-code", all.backend().value());
    assertEquals(SettingSource.PROGRAMMATIC, all.backend().source());

    BackendConfig cli = BackendConfig.builder().systemProperties(sys).environment(env)
        .cli(ConfigKeys.BACKEND, "from-cli", "--backend").build();
    assertEquals("from-cli", cli.backend().value());
    assertEquals(SettingSource.CLI, cli.backend().source());
    assertEquals("--backend", cli.backend().origin());

    BackendConfig property = BackendConfig.builder().systemProperties(sys).environment(env).build();
    assertEquals("from-property", property.backend().value());
    assertEquals(SettingSource.SYSTEM_PROPERTY, property.backend().source());

    BackendConfig environment = BackendConfig.builder().systemProperties(new Properties()).environment(env).build();
    assertEquals("from-env", environment.backend().value());
    assertEquals(SettingSource.ENVIRONMENT, environment.backend().source());
    assertEquals("STRUCTURA_BACKEND", environment.backend().origin());

    BackendConfig none = isolated().build();
    assertEquals("auto", none.backend().value());
    assertEquals(SettingSource.DEFAULT, none.backend().source());
    assertTrue(none.automatic());
  }

  @Test
  void strictThreadsAndDevicePropertiesResolveWithProvenance() {
    BackendConfig c = BackendConfig.builder()
        .systemProperties(props("structura.threads", "3"))
        .environment(Map.of("STRUCTURA_STRICT", "yes", "STRUCTURA_OPENCL_DEVICE", "gpu"))
        .build();
    assertEquals(3, c.threads().value());
    assertEquals(SettingSource.SYSTEM_PROPERTY, c.threads().source());
    assertTrue(c.strict().value());
    assertEquals(SettingSource.ENVIRONMENT, c.strict().source());
    assertEquals("gpu", c.property(ConfigKeys.OPENCL_DEVICE).orElseThrow().value());
    assertEquals(List.of("structura.backend", "structura.strict", "structura.threads", "structura.opencl.device"),
        List.copyOf(c.allSettings().keySet()));
  }

  @Test
  void unparsableSettingsNameTheirOrigin() {
    StructuraException threads = assertThrows(StructuraException.class,
        () -> BackendConfig.builder().systemProperties(props("structura.threads", "many")).environment(Map.of()).build());
    assertEquals(ErrorCode.INVALID_CONFIGURATION, threads.code());
    assertTrue(threads.getMessage().contains("-Dstructura.threads"), threads.getMessage());
    StructuraException strict = assertThrows(StructuraException.class,
        () -> isolated().property("x", "y").cli(ConfigKeys.STRICT, "maybe", "--strict").build());
    assertTrue(strict.getMessage().contains("--strict"), strict.getMessage());
    assertThrows(StructuraException.class, () -> isolated().threads(0).build());
    // issue 19: 100000 threads died with an OutOfMemoryError; above the bound it is a coded error naming the source
    assertEquals(BackendConfig.MAX_THREADS, isolated().threads(BackendConfig.MAX_THREADS).build().threads().value());
    StructuraException many = assertThrows(StructuraException.class,
        () -> BackendConfig.builder().systemProperties(props("structura.threads", "100000")).environment(Map.of()).build());
    assertEquals(ErrorCode.INVALID_CONFIGURATION, many.code());
    assertTrue(many.getMessage().contains("-Dstructura.threads") && many.getMessage().contains("1024"), many.getMessage());
  }

  @Test
  void autoPicksHighestPriorityAvailableAndExplainsSkips() {
    BackendRegistry r = registry(
        FakeProvider.available("slow", 10),
        FakeProvider.unavailable("gpu", BackendPriority.ACCELERATOR, "no device found"),
        FakeProvider.available("simd", BackendPriority.CPU_SIMD),
        FakeProvider.available("cpu-opencl", BackendPriority.EXPLICIT_ONLY));
    BackendSelection s = r.select(isolated().build());
    assertEquals("simd", s.chosen().id());
    assertTrue(s.automatic());
    assertTrue(s.explanation().contains("gpu (unavailable: no device found)"), s.explanation());
    assertTrue(s.explanation().contains("slow (lower priority 10)"), s.explanation());
    assertEquals(List.of("gpu", "simd", "slow", "cpu-opencl"), r.reports().stream().map(ProviderReport::id).toList());
  }

  @Test
  void explicitUnknownBackendFailsWithCodeOriginAndWhatWasFound() {
    BackendRegistry r = registry(FakeProvider.available("java", 0), FakeProvider.unavailable("gpu", 200, "no device"));
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> r.select(isolated().cli(ConfigKeys.BACKEND, "cuda", "--backend").build()));
    assertEquals(ErrorCode.BACKEND_UNKNOWN, e.code());
    assertEquals("cuda", e.requested());
    assertTrue(e.getMessage().startsWith("STRUCTURA-B001"), e.getMessage());
    assertTrue(e.getMessage().contains("--backend"), e.getMessage());
    assertTrue(e.getMessage().contains("java (available"), e.getMessage());
    assertTrue(e.getMessage().contains("gpu (unavailable: no device)"), e.getMessage());
    assertEquals(2, e.found().size());
  }

  @Test
  void explicitUnavailableBackendFailsWithReasonAndRemedyInsteadOfFallingBack() {
    FakeProvider gpu = FakeProvider.unavailable("gpu", 200, "no device");
    BackendRegistry r = registry(FakeProvider.available("java", 0), gpu);
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> r.select(BackendConfig.builder().systemProperties(props("structura.backend", "gpu")).environment(Map.of()).build()));
    assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("no device"), e.getMessage());
    assertTrue(e.getMessage().contains("install the gpu driver"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dstructura.backend"), e.getMessage());
    assertEquals(0, gpu.opened.get());
  }

  @Test
  void brokenProvidersAreIsolatedAndReported() {
    BackendProvider throwsInProbe = new FakeProvider("flaky", 300, null, null) {
      @Override
      public Availability probe() {
        throw new IllegalStateException("probe exploded");
      }
    };
    BackendRegistry r = BackendRegistry.of(List.of(
        new BackendRegistry.Candidate("com.example.ThrowsInConstructor", () -> {
          throw new ExceptionInInitializerError("static init failed");
        }),
        BackendRegistry.Candidate.of(throwsInProbe),
        new BackendRegistry.Candidate("com.example.Null", () -> null),
        BackendRegistry.Candidate.of(FakeProvider.available("java", 0))));
    assertEquals("java", r.select(isolated().build()).chosen().id());
    List<ProviderReport> broken = r.reports().stream().filter(p -> p.status() == ProviderReport.Status.BROKEN).toList();
    assertEquals(3, broken.size());
    ProviderReport flaky = r.find("flaky").orElseThrow();
    assertEquals(ProviderReport.Status.BROKEN, flaky.status());
    Availability.Unavailable u = (Availability.Unavailable) flaky.availability();
    assertInstanceOf(IllegalStateException.class, u.cause());
    assertFalse(u.remedies().isEmpty());
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> r.select(isolated().backend("flaky").build()));
    assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    assertSame(u.cause(), e.getCause());
  }

  @Test
  void duplicateIdsAreShadowedNotMerged() {
    FakeProvider first = FakeProvider.available("dup", 50);
    FakeProvider second = FakeProvider.available("dup", 20);
    BackendRegistry r = registry(second, first);
    assertEquals(ProviderReport.Status.AVAILABLE, r.find("dup").orElseThrow().status());
    assertEquals(50, r.find("dup").orElseThrow().priority());
    assertEquals(1, r.reports().stream().filter(p -> p.status() == ProviderReport.Status.SHADOWED).count());
  }

  @Test
  void openFailureKeepsItsCause() {
    UnsatisfiedLinkError link = new UnsatisfiedLinkError("libfoo.so: cannot open shared object file");
    BackendRegistry r = registry(new FakeProvider("native", 100, Availability.available("ok"), link));
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> r.select(isolated().build()).open());
    assertEquals(ErrorCode.BACKEND_FAILED, e.code());
    assertSame(link, e.getCause());
    assertTrue(e.getMessage().contains("libfoo.so"), e.getMessage());
  }

  @Test
  void severalBackendsCanBeOpenAtOnce() {
    BackendRegistry r = registry(FakeProvider.available("one", 1), FakeProvider.available("two", 2));
    try (Compute a = r.select(isolated().backend("one").build()).open();
         Compute b = r.select(isolated().backend("two").build()).open()) {
      assertNotSame(a, b);
      assertEquals("one", a.backendId());
      assertEquals("two", b.backendId());
      Matrix x = Matrix.of(structura.api.DType.F64, 1, 2, 1, 2);
      Matrix y = Matrix.of(structura.api.DType.F64, 2, 1, 3, 4);
      assertEquals(11.0, a.multiply(Transpose.N, x, Transpose.N, y).get(0, 0));
      assertEquals(11.0, b.multiply(Transpose.N, x, Transpose.N, y).get(0, 0));
    }
  }

  @Test
  void serviceLoaderFindsTheReferenceBackendOnTheModulePath() {
    BackendRegistry r = BackendRegistry.discover();
    ProviderReport java = r.find("java").orElseThrow();
    assertTrue(java.available());
    assertTrue(java.provider().orElseThrow().getClass().getModule().isNamed(), "api must run as a named module");
    assertTrue(getClass().getModule().isNamed(), "tests must run on the module path");
    try (Compute c = r.select(isolated().backend("java").build()).open()) {
      assertEquals("java", c.backendId());
    }
  }
}
