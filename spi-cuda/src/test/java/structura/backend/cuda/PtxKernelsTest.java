package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import structura.api.backend.RadialKernel;

/**
 * {@link PtxKernels} against the packaged PTX, without a GPU: every launch names an entry of the
 * module, passes exactly its parameters (count and PTX type, so an int passed where the kernel
 * takes a 64-bit value fails here rather than as garbage on the device), in the documented order,
 * and stays within the hardware's launch limits at the largest shapes we run.
 */
class PtxKernelsTest {
  private static final Map<String, List<String>> PTX = PtxSignatures.packaged();
  private static final int MAX_GRID_X = Integer.MAX_VALUE;
  private static final int MAX_THREADS = 1024;

  /** One call of every DeviceKernels method at the given sizes (rows m, columns n). */
  private static List<Consumer<DeviceKernels>> everyMethod(int m, int n, int d, int k) {
    RadialKernel gaussian = RadialKernel.of(RadialKernel.Kind.GAUSSIAN, 2.0);
    return List.of(
        g -> g.softmaxRows(m, n, 0.125f, 0x1000L, n, 0x2000L, 0),
        g -> g.gelu(m, n, 0x1000L, n),
        g -> g.silu(m, n, 0x1000L, n),
        g -> g.swiglu(m, n, 0x1000L, n, 0x2000L, n),
        g -> g.layerNorm(m, n, 0x1000L, n, 0x2000L, 0x3000L, 1e-12f),
        g -> g.rmsNorm(m, n, 0x1000L, n, 0x2000L, 1e-6f),
        g -> g.attentionSoftmax(m, 1, 1, n, 0.125f, 0x1000L, 0x2000L, true),  // m rows of n keys
        g -> g.addRowVector(m, n, 0x2000L, 0x1000L, n),
        g -> g.gatherRows(m, n, 0x1000L, n, 0x2000L, 0x3000L, n, true),
        g -> g.widenToF64(m, n, 0x1000L, n, 0x2000L, n),
        g -> g.kernelMultiplyF32(gaussian, m, n, d, k, 0x1000L, d, 0x2000L, d, 0x3000L, k, 0f, 0x4000L, k),
        g -> g.kernelMultiplyF64(gaussian, m, n, d, k, 0x1000L, d, 0x2000L, d, 0x3000L, k, 0.5, 0x4000L, k));
  }

  private static List<RecordingLauncher.Launch> launchEveryMethod(int m, int n, int d, int k) {
    RecordingLauncher launcher = new RecordingLauncher();
    PtxKernels kernels = new PtxKernels(launcher);
    for (Consumer<DeviceKernels> call : everyMethod(m, n, d, k)) {
      int before = launcher.launches.size();
      call.accept(kernels);
      assertEquals(before + 1, launcher.launches.size(), "each method launches exactly one kernel");
    }
    return launcher.launches;
  }

  @Test
  void everyLaunchMatchesItsPtxEntryParameterByParameter() {
    for (RecordingLauncher.Launch launch : launchEveryMethod(70, 33, 3, 5)) {
      List<String> params = PTX.get(launch.function());
      if (params == null) {
        fail(launch.function() + " is not an entry of the packaged PTX; entries: " + PTX.keySet());
      }
      assertEquals(params.size(), launch.args().size(), launch.function() + ": argument count vs " + params);
      for (int p = 0; p < params.size(); p++) {
        Object arg = launch.args().get(p);
        assertEquals(PtxSignatures.javaType(params.get(p)), arg == null ? null : arg.getClass(),
            launch.function() + " parameter " + p + " is ." + params.get(p) + " but the launch passes " + arg);
      }
    }
  }

  @Test
  void everyPtxEntryIsLaunchedBySomeMethod() {
    Set<String> launched = new TreeSet<>();
    launchEveryMethod(5, 7, 2, 3).forEach(l -> launched.add(l.function()));
    assertEquals(new TreeSet<>(PTX.keySet()), launched);
  }

  @Test
  void argumentsAreInTheKernelsOrder() {
    // same-typed parameters in the wrong order would pass the type check: pin a few exactly
    RecordingLauncher launcher = new RecordingLauncher();
    PtxKernels kernels = new PtxKernels(launcher);
    kernels.attentionSoftmax(2, 3, 5, 7, 0.5f, 0x10L, 0x20L, true);
    assertEquals(List.<Object>of(2, 3, 5, 7, 0.5f, 0x10L, 0x20L, 1), launcher.single().args());

    launcher.launches.clear();
    kernels.softmaxRows(4, 9, 0.3f, 0x10L, 11, 0L, 0);
    assertEquals(List.<Object>of(4, 9, 0.3f, 0x10L, 11, 0L, 0), launcher.single().args());

    launcher.launches.clear();
    kernels.layerNorm(4, 9, 0x10L, 11, 0x20L, 0x30L, 1e-5f);
    assertEquals(List.<Object>of(4, 9, 0x10L, 11, 0x20L, 0x30L, 1e-5f), launcher.single().args());

    launcher.launches.clear();
    kernels.gatherRows(6, 8, 0x10L, 9, 0x20L, 0x30L, 10, false);
    assertEquals(List.<Object>of(6, 8, 0x10L, 9, 0x20L, 0x30L, 10, 0), launcher.single().args());

    launcher.launches.clear();
    RadialKernel rq = new RadialKernel(RadialKernel.Kind.RATIONAL_QUADRATIC, 1.5, 0.75);
    kernels.kernelMultiplyF64(rq, 100, 50, 3, 2, 0x10L, 4, 0x20L, 5, 0x30L, 6, 0.25, 0x40L, 7);
    RecordingLauncher.Launch launch = launcher.single();
    int tile = PtxKernels.pairwiseTile(50, 3, Double.BYTES);
    assertEquals(List.<Object>of(4, 1.5, 0.75, 100, 50, 3, 2, 0x10L, 4, 0x20L, 5, 0x30L, 6, 0.25, 0x40L, 7, tile),
        launch.args());
    assertEquals((tile * (3 + 4) + 256 * 4) * Double.BYTES, launch.sharedBytes());
    assertEquals((100 + 63) / 64, launch.gridX());  // 64 target rows per block of 256 threads
    assertEquals(256, launch.blockX());
  }

  @Test
  void geometryStaysWithinHardwareLimitsAndCoversLargeShapes() {
    int[][] shapes = {{1, 1, 1, 1}, {1_000_000, 16, 3, 1}, {49_152, 128, 20, 4}, {4_096, 384, 1_000, 300_000},
        {1_000_000, 1_000_000, 13_000, 1_000_000}};
    for (int[] s : shapes) {
      for (RecordingLauncher.Launch l : launchEveryMethod(s[0], s[1], s[2], s[3])) {
        String ctx = l.function() + " at " + java.util.Arrays.toString(s) + ": " + l;
        assertTrue(l.gridX() >= 1 && l.gridX() <= MAX_GRID_X, ctx);
        assertTrue(l.gridY() >= 1 && l.gridY() <= PtxKernels.MAX_GRID_Y, ctx);
        assertEquals(1, l.gridZ(), ctx);
        assertEquals(1, l.blockY(), ctx);
        assertEquals(1, l.blockZ(), ctx);
        assertTrue(l.blockX() % 32 == 0 && l.blockX() <= MAX_THREADS, ctx);  // whole warps: the row kernels rely on it
        assertTrue(l.sharedBytes() >= 0 && l.sharedBytes() <= PtxKernels.MAX_SHARED_BYTES, ctx);
        long threads = (long) l.gridX() * l.blockX();
        boolean capped = l.gridX() == PtxKernels.MAX_BLOCKS;  // the kernels stride over the rest
        switch (l.function()) {
          case "softmax_rows_f32", "layer_norm_f32", "rms_norm_f32", "attention_softmax_f32" ->
              assertTrue(capped || threads / 32 >= s[0], ctx + ": a warp per row");
          case "kernel_multiply_f32", "kernel_multiply_f64" -> {
            assertTrue(threads / PtxKernels.PAIRWISE_SLICES >= s[0], ctx + ": a group of slices per target row");
            assertTrue(l.gridY() == PtxKernels.MAX_GRID_Y || (long) l.gridY() * PtxKernels.PAIRWISE_COLUMNS >= s[3], ctx);
            int tile = (Integer) l.args().get(l.args().size() - 1);
            int elementBytes = l.function().endsWith("f32") ? Float.BYTES : Double.BYTES;
            assertEquals(((long) tile * (s[2] + 4) + (long) l.blockX() * 4) * elementBytes, l.sharedBytes(), ctx);
          }
          default -> assertTrue(capped || threads >= (long) s[0] * s[1], ctx + ": a thread per element");
        }
      }
    }
  }

  @Test
  void pairwiseTileFitsSharedMemoryOrFallsBackToGlobalReads() {
    assertEquals(1, PtxKernels.pairwiseTile(1, 1, Float.BYTES));
    assertEquals(PtxKernels.MAX_TILE, PtxKernels.pairwiseTile(1_000_000, 3, Float.BYTES));
    assertEquals(PtxKernels.TILE_BUDGET_BYTES / ((20 + 4) * 8), PtxKernels.pairwiseTile(1_000, 20, Double.BYTES));
    assertEquals(1, PtxKernels.pairwiseTile(1_000, 4_000, Double.BYTES));  // 32 KB + 8 KB of partial sums fit
    assertEquals(0, PtxKernels.pairwiseTile(1_000, 13_000, Double.BYTES));  // 104 KB: global memory
  }

  @Test
  void zeroExtentsLaunchNothing() {
    RecordingLauncher launcher = new RecordingLauncher();
    PtxKernels kernels = new PtxKernels(launcher);
    for (Consumer<DeviceKernels> call : everyMethod(0, 5, 3, 2)) {
      call.accept(kernels);
    }
    kernels.gatherRows(0, 4, 1L, 4, 2L, 3L, 4, false);
    kernels.attentionSoftmax(0, 12, 128, 128, 1f, 1L, 0L, false);
    assertEquals(List.of(), launcher.launches);
  }

  @Test
  void kindCodesAreTheCudaSourcesDefines() throws IOException {
    String cu = Files.readString(Path.of("src/main/cuda/structura_kernels.cu"));
    Map<String, Integer> defines = new HashMap<>();
    Matcher m = Pattern.compile("#define KIND_(\\w+) (\\d+)").matcher(cu);
    while (m.find()) {
      defines.put(m.group(1), Integer.valueOf(m.group(2)));
    }
    List<String> checked = new ArrayList<>();
    for (RadialKernel.Kind kind : RadialKernel.Kind.values()) {
      String name = kind == RadialKernel.Kind.MATERN_12 ? "EXPONENTIAL" : kind.name();  // the same function
      assertEquals(defines.get(name), PtxKernels.kindCode(kind), kind + " vs #define KIND_" + name);
      checked.add(name);
    }
    assertTrue(checked.containsAll(defines.keySet()), "a KIND_ define without a RadialKernel.Kind: " + defines);
  }
}
