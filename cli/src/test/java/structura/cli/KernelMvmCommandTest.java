package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code structura kernel mvm} end to end: both methods, both file formats, and coded errors for bad input. */
class KernelMvmCommandTest {
  @TempDir
  Path dir;

  private Path csv(String name, int n, int d) throws IOException {
    SplittableRandom rnd = new SplittableRandom(5);
    StringBuilder sb = new StringBuilder("# points\n");
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        sb.append(t == 0 ? "" : ",").append(rnd.nextDouble());
      }
      sb.append('\n');
    }
    Path f = dir.resolve(name);
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void lazyAndDenseAgreeWithExactProductsAndWriteJson() throws IOException {
    Path points = csv("p.csv", 700, 3);
    for (String method : new String[] {"lazy", "dense"}) {
      Path json = dir.resolve(method + ".json");
      CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "matern32", "--lengthscale",
          "0.3", "--method", method, "--dtype", "F64", "--vectors", "2", "--json", json.toString());
      assertEquals(0, r.exit(), r.err() + r.out());
      JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      assertTrue(o.get("relative_error").getAsDouble() < 1e-12, o.toString());
      assertTrue(o.get("seconds").getAsDouble() > 0, o.toString());
      assertEquals(700, o.get("n").getAsInt());
    }
    CliRun f32 = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--lengthscale", "0.3", "--json",
        dir.resolve("f32.json").toString());
    assertEquals(0, f32.exit(), f32.err());
    double e = JsonParser.parseString(Files.readString(dir.resolve("f32.json"))).getAsJsonObject().get("relative_error").getAsDouble();
    assertTrue(e < 1e-5 && e > 0, "F32 error " + e);
  }

  @Test
  void fktMeetsItsOrderAndReportsTheFactorisationTime() throws IOException {
    Path points = csv("fkt.csv", 3000, 3);
    Path json = dir.resolve("fkt.json");
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale",
        "0.2", "--method", "fkt", "--fkt-order", "8", "--fkt-separation", "0.4", "--fkt-leaf", "64", "--json", json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("computes in F64") && r.out().contains("factorised in"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double e = o.get("relative_error").getAsDouble();
    assertTrue(e < 5e-4 && e > 0, o.toString());  // θ = 0.4, p = 8: about 1e-4 (docs/fkt.md)
    assertTrue(o.get("factor_seconds").getAsDouble() > 0 && o.get("seconds").getAsDouble() > 0, o.toString());
    assertEquals(8, o.get("fkt_order").getAsInt());
    Path high = csv("high.csv", 20, 9);
    CliRun bad = CliRun.of("--backend", "java", "kernel", "mvm", "--points", high.toString(), "--lengthscale", "1", "--method", "fkt");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("STRUCTURA-A001") && bad.err().contains("d = 9") && bad.err().contains("lazy"), bad.err());
  }

  @Test
  void fktGridSelectsTheFmmPath() throws IOException {
    Path points = csv("fmm.csv", 3000, 3);
    Path json = dir.resolve("fmm.json");
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale",
        "0.2", "--method", "fkt", "--fkt-order", "8", "--fkt-grid", "6", "--fkt-leaf", "32", "--json", json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double e = o.get("relative_error").getAsDouble();
    assertTrue(e < 1e-4 && e > 0, o.toString());  // p = 8, q = 6: about 1e-5 (docs/fkt.md)
    assertEquals(6, o.get("fkt_grid").getAsInt());
  }

  @Test
  void fktToleranceChoosesTheOrdersPerLevel() throws IOException {
    Path points = csv("fmm-tol.csv", 3000, 3);
    Path json = dir.resolve("fmm-tol.json");
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale",
        "0.2", "--method", "fkt", "--fkt-order", "8", "--fkt-grid", "6", "--fkt-leaf", "32", "--fkt-tolerance", "1e-4", "--json",
        json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double e = o.get("relative_error").getAsDouble();
    assertTrue(e <= 1e-4 && e > 0, o.toString());
    assertEquals(1e-4, o.get("fkt_tolerance").getAsDouble());
  }

  /**
   * Without --fkt-* flags, d ≤ 3 runs the FMM path at tolerance 1e-4 (FktOptions.defaults());
   * d = 4 runs the treecode; an explicit flag keeps the old meaning (the treecode at --fkt-order).
   */
  @Test
  void fktWithoutFlagsRunsTheToleranceDrivenFmmPathWhereItApplies() throws IOException {
    Path points = csv("default.csv", 3000, 3);
    Path json = dir.resolve("default.json");
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale",
        "0.2", "--method", "fkt", "--json", json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("FMM path, tolerance 1.0e-04"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("fmm", o.get("fkt_path").getAsString());
    assertEquals(1e-4, o.get("fkt_tolerance").getAsDouble());
    assertEquals(64, o.get("fkt_leaf").getAsInt());
    double e = o.get("relative_error").getAsDouble();
    assertTrue(e <= 1e-4 && e > 0, o.toString());

    Path json4 = dir.resolve("default4.json");
    CliRun r4 = CliRun.of("--backend", "java", "kernel", "mvm", "--points", csv("default4.csv", 1500, 4).toString(), "--kernel", "rbf",
        "--lengthscale", "0.5", "--method", "fkt", "--json", json4.toString());
    assertEquals(0, r4.exit(), r4.err() + r4.out());
    JsonObject o4 = JsonParser.parseString(Files.readString(json4)).getAsJsonObject();
    assertEquals("treecode", o4.get("fkt_path").getAsString());
    assertEquals(8, o4.get("fkt_order").getAsInt());
    assertEquals(256, o4.get("fkt_leaf").getAsInt());

    Path jsonExplicit = dir.resolve("explicit.json");
    CliRun explicit = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale",
        "0.2", "--method", "fkt", "--fkt-order", "6", "--json", jsonExplicit.toString());
    assertEquals(0, explicit.exit(), explicit.err() + explicit.out());
    JsonObject oe = JsonParser.parseString(Files.readString(jsonExplicit)).getAsJsonObject();
    assertEquals("treecode", oe.get("fkt_path").getAsString());
    assertEquals(6, oe.get("fkt_order").getAsInt());
    assertEquals(0.4, oe.get("fkt_separation").getAsDouble());
    assertEquals(256, oe.get("fkt_leaf").getAsInt());

    // an explicit grid asks for the FMM path, which d = 4 does not have: an error, not a silent treecode
    CliRun grid4 = CliRun.of("--backend", "java", "kernel", "mvm", "--points", csv("grid4.csv", 300, 4).toString(), "--kernel", "rbf",
        "--lengthscale", "0.5", "--method", "fkt", "--fkt-grid", "6");
    assertNotEquals(0, grid4.exit(), grid4.out());
    assertTrue(grid4.err().contains("STRUCTURA-A001") && grid4.err().contains("d <= 3"), grid4.err());
  }

  @Test
  void readsNpy() throws IOException {
    int n = 50;
    String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", 2), }";
    int pad = 64 - (10 + header.length() + 1) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + n * 2 * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < n * 2; i++) {
      b.putDouble(i * 0.01);
    }
    Path f = dir.resolve("p.npy");
    Files.write(f, b.array());
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", f.toString(), "--lengthscale", "1", "--dtype", "F64");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("50 points in 2-D"), r.out());
  }

  @Test
  void badInputGetsCodedErrorsNamingTheLine() throws IOException {
    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "1,2\n3,4\n5,NaN\n");
    CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", nan.toString(), "--lengthscale", "1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-F002") && r.err().contains("line 3"), r.err());
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "1,2\n3,4,5\n");
    r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", ragged.toString(), "--lengthscale", "1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("line 2") && r.err().contains("ragged"), r.err());
    Path ok = csv("ok.csv", 10, 2);
    r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", ok.toString(), "--lengthscale", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("lengthscale"), r.err());
    r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", ok.toString(), "--lengthscale", "1", "--kernel", "sinc");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Unknown kernel 'sinc'"), r.err());
    r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", dir.resolve("missing.csv").toString(), "--lengthscale", "1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("missing.csv"), r.err());
  }

  @Test
  void approximateMethodsReportTheirRankAndError() throws IOException {
    Path points = csv("approx.csv", 800, 3);
    for (String[] m : new String[][] {{"lowrank", "1e-4", "1e-3"}, {"nystrom", "300", "1e-2"}, {"rff", "2000", "0.2"}}) {
      Path json = dir.resolve(m[0] + ".json");
      CliRun r = CliRun.of("--backend", "java", "kernel", "mvm", "--points", points.toString(), "--kernel", "rbf", "--lengthscale", "0.5",
          "--method", m[0], m[0].equals("lowrank") ? "--tolerance" : "--rank", m[1], "--dtype", "F64", "--json", json.toString());
      assertEquals(0, r.exit(), r.err() + r.out());
      JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      double e = o.get("relative_error").getAsDouble();
      assertTrue(e < Double.parseDouble(m[2]) && e > 0, m[0] + ": " + o);
      assertTrue(o.get("rank").getAsInt() > 0 && o.get("factor_seconds").getAsDouble() > 0, o.toString());
    }
  }
}
