package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code structura gp} end to end on a smooth synthetic function, and its coded errors. */
class GpCommandTest {
  @TempDir
  Path dir;

  private Path data(String name, int n, long seed, int d) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(d == 2 ? "x1,x2,y\n" : "x1,y\n");
    for (int i = 0; i < n; i++) {
      double a = rnd.nextDouble(-2, 2);
      double b = rnd.nextDouble(-2, 2);
      double y = Math.sin(1.5 * a) + 0.5 * Math.cos(b) + 0.01 * rnd.nextGaussian();
      sb.append(a).append(',');
      if (d == 2) {
        sb.append(b).append(',');
      }
      sb.append(y).append('\n');
    }
    Path f = dir.resolve(name);
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void fitsHyperparametersAndPredictsASmoothFunction() throws IOException {
    Path train = data("train.csv", 300, 1, 2);
    Path test = data("test.csv", 80, 2, 2);
    Path json = dir.resolve("gp.json");
    CliRun r = CliRun.of("--backend", "java", "gp", "--train", train.toString(), "--test", test.toString(), "--kernel", "rbf", "--json",
        json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("fit 24/24"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double rmse = o.get("rmse").getAsDouble();
    assertTrue(rmse < 0.05, "rmse " + rmse);  // the targets vary by about 1; the noise is 0.01
    assertTrue(o.get("mean_nlpd").getAsDouble() < 0, o.toString());  // better than a unit Gaussian
    assertTrue(o.get("seconds").getAsDouble() > 0);
  }

  @Test
  void testFileOfAnotherDimensionIsACodedError() throws IOException {
    Path train = data("train.csv", 30, 1, 2);
    Path test = data("test1d.csv", 10, 2, 1);
    CliRun r = CliRun.of("--backend", "java", "gp", "--train", train.toString(), "--test", test.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A002") && r.err().contains("test1d.csv") && r.err().contains("train.csv"), r.err());
    Path dup = dir.resolve("dup.csv");
    Files.writeString(dup, "0,0,1\n0,0,2\n1,1,0\n");
    r = CliRun.of("--backend", "java", "gp", "--train", dup.toString(), "--test", dup.toString(), "--lengthscale", "1", "--noise", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-N001") && r.err().contains("noise"), r.err());
  }

  @Test
  void lazyMethodFitsByMarginalLikelihoodAndReportsTheNystromBaseline() throws IOException {
    Path train = data("train.csv", 400, 3, 2);
    Path test = data("test.csv", 80, 4, 2);
    Path json = dir.resolve("lazy.json");
    CliRun r = CliRun.of("--backend", "java", "gp", "--train", train.toString(), "--test", test.toString(), "--kernel", "rbf",
        "--method", "lazy", "--fit-iterations", "40", "--nystrom-baseline", "100", "--json", json.toString());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("Stage 1/3") && r.out().contains("MarginalLikelihoodFit iteration 40"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertTrue(o.get("rmse").getAsDouble() < 0.05, o.toString());
    assertTrue(o.get("mean_nlpd").getAsDouble() < 0, o.toString());
    assertTrue(o.get("cg_converged").getAsBoolean(), o.toString());
    assertTrue(o.get("nystrom_rmse").getAsDouble() > 0 && o.get("noise").getAsDouble() > 0 && o.get("lengthscale").getAsDouble() > 0,
        o.toString());
  }

  @Test
  void lazyMethodBadInputGetsCodedErrors() throws IOException {
    Path train = data("train.csv", 30, 1, 2);
    Path test1d = data("test1d.csv", 10, 2, 1);
    CliRun r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", train.toString(), "--test", test1d.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A002") && r.err().contains("test1d.csv"), r.err());
    r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", train.toString(), "--test", train.toString(), "--lengthscale",
        "-1", "--noise", "0.1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("lengthscale"), r.err());
    Path dup = dir.resolve("dup.csv");
    Files.writeString(dup, "0,0,1\n0,0,2\n1,1,0\n");
    r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", dup.toString(), "--test", dup.toString(), "--lengthscale", "1",
        "--noise", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("noise") && r.err().contains("duplicated"), r.err());
    r = CliRun.of("--backend", "java", "gp", "--method", "bogus", "--train", train.toString(), "--test", train.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("dense, lazy or fkt"), r.err());
  }

  /**
   * {@code --method fkt}: the CG GP with its products by the fast kernel transform gives the lazy
   * method's predictions (same fixed hyperparameters; p = 10, θ = 0.3 is about 1e-6 per product)
   * and reports the factorisation.
   */
  @Test
  void fktMethodMatchesTheLazyMethod() throws IOException {
    Path train = data("train.csv", 1500, 5, 2);
    Path test = data("test.csv", 80, 6, 2);
    double[] rmse = new double[2];
    String[] methods = {"lazy", "fkt"};
    for (int m = 0; m < 2; m++) {
      Path json = dir.resolve(methods[m] + ".json");
      CliRun r = CliRun.of("--backend", "java", "gp", "--train", train.toString(), "--test", test.toString(), "--kernel", "rbf",
          "--method", methods[m], "--lengthscale", "0.8", "--noise", "1e-3", "--fkt-order", "10", "--fkt-separation", "0.3",
          "--fkt-leaf", "64", "--cg-tolerance", "1e-8", "--json", json.toString());
      assertEquals(0, r.exit(), r.err() + r.out());
      JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      assertTrue(o.get("cg_converged").getAsBoolean(), o.toString());
      rmse[m] = o.get("rmse").getAsDouble();
      if (m == 1) {
        assertTrue(r.out().contains("FKT factorised") && o.get("fkt_order").getAsInt() == 10, r.out());
      }
    }
    assertTrue(rmse[0] < 0.05, "lazy rmse " + rmse[0]);
    assertEquals(rmse[0], rmse[1], 1e-4 * rmse[0] + 1e-6, "fkt against lazy");
  }

  /**
   * The two preconditioners give the same GP (same fixed hyperparameters, tolerance 1e-8), the
   * JSON names the preconditioner and its set-up time, and bad preconditioner options are coded
   * errors naming the option.
   */
  @Test
  void preconditionersGiveTheSameGpAndBadOnesAreCodedErrors() throws IOException {
    Path train = data("train.csv", 800, 7, 2);
    Path test = data("test.csv", 60, 8, 2);
    double[] rmse = new double[2];
    String[] kinds = {"vecchia", "pivoted-cholesky"};
    for (int m = 0; m < 2; m++) {
      Path json = dir.resolve(kinds[m] + ".json");
      CliRun r = CliRun.of("--backend", "java", "gp", "--train", train.toString(), "--test", test.toString(), "--method", "lazy",
          "--lengthscale", "0.3", "--noise", "1e-4", "--outputscale", "0.5", "--preconditioner", kinds[m], "--cg-tolerance", "1e-8",
          "--variance", "nearest", "--json", json.toString());
      assertEquals(0, r.exit(), r.err() + r.out());
      JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      assertTrue(o.get("cg_converged").getAsBoolean(), o.toString());
      assertEquals(kinds[m], o.get("preconditioner").getAsString());
      assertEquals(0.5, o.get("variance").getAsDouble());
      assertTrue(o.get("preconditioner_seconds").getAsDouble() >= 0);
      rmse[m] = o.get("rmse").getAsDouble();
    }
    assertTrue(rmse[0] < 0.05, "rmse " + rmse[0]);
    assertEquals(rmse[0], rmse[1], 1e-5 * rmse[0], "vecchia against pivoted Cholesky");
    CliRun r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", train.toString(), "--test", test.toString(),
        "--preconditioner", "ilu");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("--preconditioner ilu"), r.err());
    r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", train.toString(), "--test", test.toString(),
        "--preconditioner-neighbours", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("--preconditioner-neighbours 0"), r.err());
    r = CliRun.of("--backend", "java", "gp", "--method", "lazy", "--train", train.toString(), "--test", test.toString(),
        "--outputscale", "-1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("STRUCTURA-A001") && r.err().contains("--outputscale"), r.err());
  }
}
