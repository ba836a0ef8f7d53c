package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchStructuredCommandTest {
  @Test
  void printsTheTableAndWritesOneJsonObjectPerRow(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("bench.json");
    CliRun run = CliRun.of("bench", "structured", "--size", "64", "--json", json.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("kronecker 8x8 (x) 8x8 SPD"), run.out());
    JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
    assertEquals(7, rows.size());
    for (JsonElement e : rows) {
      JsonObject o = e.getAsJsonObject();
      for (String key : new String[] {"operator", "function", "n", "structured_seconds", "dense_seconds", "speedup",
          "relative_error"}) {
        assertTrue(o.has(key), key + " missing in " + o);
      }
      assertTrue(o.get("relative_error").getAsDouble() < 1e-10, o.toString());
    }
  }

  @Test
  void aTooSmallSizeIsAUsageOrInputError() {
    CliRun run = CliRun.of("bench", "structured", "--size", "8");
    assertTrue(run.exit() != 0, run.out());
    assertTrue(run.err().contains("STRUCTURA-A001"), run.err());
  }
}
