package structura.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.cli.StructuraCli;

/**
 * {@code structura pca --engine spark} end to end: the CLI runs in this JVM on the shared
 * {@code local[2,3]} context (the engine uses a running context with the master asked for), except
 * the unreachable master, which needs a JVM without a context.
 */
class SparkCliTest {
  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = StructuraCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  private Path spikedParquet(String name) {
    List<Row> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 600; i++) {
      double a = 5 * random.nextGaussian();
      rows.add(RowFactory.create(a + random.nextGaussian(), -a + random.nextGaussian(), random.nextGaussian(), 0.5 * a));
    }
    DataType d = DataTypes.DoubleType;
    return ParquetRowsTest.write(dir.resolve(name), rows, new String[] {"a", "b", "c", "e"}, new DataType[] {d, d, d, d});
  }

  /** No output file and no staging leftovers in the directory. */
  private void assertNothingWritten(Path... outputs) throws IOException {
    for (Path o : outputs) {
      assertFalse(Files.exists(o), o + " was written");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".structura-tmp-")), "staging files left behind");
    }
  }

  @Test
  void parquetInputOnSparkWritesComponentsAndReport() throws IOException {
    Path input = spikedParquet("data.parquet");
    Path out = dir.resolve("pcs.csv");
    Path json = dir.resolve("report.json");
    Run run = cli("pca", "--input", input.toString(), "--engine", "spark", "--master", "local[2,3]", "--rank", "1",
        "--partitions", "3", "--out", out.toString(), "--json", json.toString(), "--check");
    assertEquals(0, run.exit(), run.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(4, lines.size());
    // The planted direction is (1, -1, 0, 0.5)/1.5.
    double b0 = Double.parseDouble(lines.get(0).trim());
    double b1 = Double.parseDouble(lines.get(1).trim());
    assertTrue(Math.abs(Math.abs(b0) - 2 / 3.0) < 0.05 && Math.abs(b0 + b1) < 0.05, lines.toString());
    String report = Files.readString(json);
    assertTrue(report.contains("\"passes\": 1") || report.contains("\"passes\":1"), report);
    assertTrue(report.contains("subspace_distance"), report);
  }

  @Test
  void nonNumericParquetColumnIsRefusedAndNothingIsWritten() throws IOException {
    List<Row> rows = List.of(RowFactory.create(1.0, "x"), RowFactory.create(2.0, "y"), RowFactory.create(4.0, "z"));
    Path input = ParquetRowsTest.write(dir.resolve("mixed.parquet"), rows, new String[] {"v", "name"},
        new DataType[] {DataTypes.DoubleType, DataTypes.StringType});
    Path out = dir.resolve("never.npy");
    Run run = cli("pca", "--input", input.toString(), "--engine", "spark", "--master", "local[2,3]", "--rank", "1",
        "--out", out.toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("STRUCTURA-F002") && run.err().contains("mixed.parquet")
        && run.err().contains("'name'"), run.err());
    assertNothingWritten(out);
  }

  /**
   * A part file whose first page header is overwritten: its footer (and so the schema) reads fine,
   * but the task reading its rows fails on every one of its three attempts.
   */
  @Test
  void jobWhoseTaskAlwaysFailsEndsWithACodedErrorAndNoOutput() throws IOException {
    Path input = spikedParquet("corrupt.parquet");
    Path part;
    try (Stream<Path> files = Files.list(input)) {
      part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
      f.seek(4); // after the magic "PAR1": the first page header
      f.write(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
    }
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc")); // Hadoop would refuse the checksum first
    Path out = dir.resolve("never.npy");
    Path json = dir.resolve("never.json");
    Run run = cli("pca", "--input", input.toString(), "--engine", "spark", "--master", "local[2,3]", "--rank", "1",
        "--partitions", "2", "--out", out.toString(), "--json", json.toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("STRUCTURA-D002"), run.err());
    assertNothingWritten(out, json);
  }

  /**
   * A standalone master that cannot be reached: a coded error within the timeout, in a JVM of its
   * own (this one already runs a SparkContext, and Spark allows one per JVM).
   */
  @Test
  void unreachableMasterFailsWithinTheTimeoutWithACodedError() throws Exception {
    Path input = dir.resolve("in.csv");
    Files.writeString(input, "1,2,3\n4,5,6\n7,8,10\n");
    Path out = dir.resolve("never.npy");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--") || a.startsWith("-XX") || a.startsWith("-Dlog4j2") || a.startsWith("-Dio.netty"))
        .toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), StructuraCli.class.getName(), "pca",
        "--input", input.toString(), "--rank", "1", "--engine", "spark", "--master", "spark://10.255.255.1:7077",
        "--timeout", "10", "--out", out.toString()));
    Path log = dir.resolve("child.log");
    long t0 = System.nanoTime();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = child.waitFor(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!ended) {
      child.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "the CLI did not end within 120 s:\n" + text);
    assertEquals(2, child.exitValue(), text);
    assertTrue(text.contains("STRUCTURA-D003") && text.contains("spark://10.255.255.1:7077") && text.contains("10 s"), text);
    // 10 s of waiting plus a JVM and Spark driver start on a loaded machine.
    assertTrue(seconds < 60, "took " + seconds + " s");
    assertNothingWritten(out);
  }
}
