package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code structura data fetch}: the listing and the usage errors, all before any download (the
 * conversions themselves are tested in structura.formats.data against fixtures).
 */
class DataFetchCommandTest {
  @TempDir
  Path dir;

  @Test
  void listNamesEveryDataSetWithItsPackage() {
    CliRun run = CliRun.of("data", "fetch", "--list");
    assertEquals(ExitCodes.OK, run.exit(), run.err());
    for (String id : new String[] {"spam-assassin", "bunny", "moby-dick", "sotu", "annual-precip", "co2-concentration"}) {
      assertTrue(run.out().contains(id), id);
    }
    assertTrue(run.out().contains("npm vega-datasets@3.2.1"), run.out());
  }

  @Test
  void aTestSubsetGoesWithSpamAssassinAloneAndNothingIsWritten() {
    Path data = dir.resolve("data");
    CliRun run = CliRun.of("data", "fetch", "bunny", "--test-subset", dir.resolve("subset").toString(),
        "--data-dir", data.toString());
    assertEquals(ExitCodes.USAGE, run.exit());
    assertTrue(run.err().contains("--test-subset goes with spam-assassin alone"), run.err());
    assertFalse(Files.exists(data));
    assertEquals(ExitCodes.USAGE, CliRun.of("data", "fetch", "spam-assassin", "bunny", "--test-subset", "x",
        "--data-dir", data.toString()).exit());
  }

  @Test
  void anUnknownNameIsAUsageError() {
    CliRun run = CliRun.of("data", "fetch", "iris", "--data-dir", dir.resolve("data").toString());
    assertEquals(ExitCodes.USAGE, run.exit());
    assertTrue(run.err().contains("co2-concentration"), run.err());
  }
}
