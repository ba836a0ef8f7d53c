package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.backend.cuda.CudaLibraryLookup.ByPath;
import structura.backend.cuda.CudaLibraryLookup.BySoname;
import structura.backend.cuda.CudaLibraryLookup.Library;

class CudaLibraryLookupTest {
  @Test
  void cublasIsSearchedByLoaderFirstThenToolkitThenPipWheelsWithLtAsCompanion(@TempDir Path home) throws IOException {
    Path wheel = Files.createDirectories(home.resolve(".local/lib/python3.12/site-packages/nvidia/cublas/lib"));
    Files.createFile(wheel.resolve("libcublasLt.so.13"));
    Path cudaHome = Files.createDirectories(home.resolve("cuda/lib64")).getParent();

    List<CudaLibraryLookup.Attempt> order = CudaLibraryLookup.searchOrder(Library.CUBLAS, null, cudaHome.toString(),
        home.toString());

    assertEquals(List.of(new BySoname("libcublas.so.13"), new BySoname("libcublas.so.12"), new BySoname("libcublas.so")),
        order.subList(0, 3));
    int cudaHomeAt = order.indexOf(new ByPath(cudaHome.resolve("lib64/libcublas.so.13"),
        cudaHome.resolve("lib64/libcublasLt.so.13")));
    int wheelAt = order.indexOf(new ByPath(wheel.resolve("libcublas.so.13"), wheel.resolve("libcublasLt.so.13")));
    assertTrue(cudaHomeAt > 2, order.toString());
    assertTrue(wheelAt > cudaHomeAt, order.toString());
  }

  @Test
  void overrideDirectoryReplacesTheSearch(@TempDir Path dir) {
    List<CudaLibraryLookup.Attempt> order = CudaLibraryLookup.searchOrder(Library.DRIVER, dir.toString(), null, null);
    assertEquals(List.of(new ByPath(dir.resolve("libcuda.so.1"), null), new ByPath(dir.resolve("libcuda.so"), null)), order);
  }

  @Test
  void overrideFileIsTheOnlyAttemptAndItsFailureNamesTheKeyAndPath(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere/libcublas.so.13");
    List<CudaLibraryLookup.Attempt> order = CudaLibraryLookup.searchOrder(Library.CUBLAS, missing.toString(), null, null);
    assertEquals(1, order.size());
    assertInstanceOf(ByPath.class, order.get(0));

    CudaLibraryLookup.NotFound e = assertThrows(CudaLibraryLookup.NotFound.class,
        () -> CudaLibraryLookup.load(Library.CUBLAS, missing.toString()));
    assertTrue(e.getMessage().contains("structura.cuda.cublas=" + missing), e.getMessage());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    assertTrue(e.overridden);
  }

  @Test
  void configuredValueWinsOverSystemProperty() {
    String before = System.getProperty(CudaLibraryLookup.CUBLAS_KEY);
    System.setProperty(CudaLibraryLookup.CUBLAS_KEY, "/from/property");
    try {
      assertEquals("/from/config", CudaLibraryLookup.override(Library.CUBLAS, " /from/config "));
      assertEquals("/from/property", CudaLibraryLookup.override(Library.CUBLAS, null));
    } finally {
      if (before == null) {
        System.clearProperty(CudaLibraryLookup.CUBLAS_KEY);
      } else {
        System.setProperty(CudaLibraryLookup.CUBLAS_KEY, before);
      }
    }
  }
}
