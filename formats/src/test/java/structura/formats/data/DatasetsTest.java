package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.api.InvalidArgumentException;
import structura.formats.DataFormatException;

/**
 * The data set table and the conversions that reproduce files first written by Node scripts:
 * numbers printed as JavaScript prints them (expected strings printed by Node 20), mulberry32
 * (first outputs printed by Node), the bunny CSV, and the vega-datasets regression splits against
 * the Node conversion's output for a mini grid and CSV ({@code src/test/resources/vega-mini},
 * made by its {@code make_fixture.mjs}). On the real vega-datasets 3.2.1 files the Java output was
 * compared once too: the four CSVs are identical.
 */
class DatasetsTest {
  static final Path VEGA = Path.of("src/test/resources/vega-mini");

  @Test
  void toPrecisionAndToFixedRoundTheExactValueAsJavaScriptDoes() {
    assertEquals("0.5000000000", JsNumbers.toPrecision(0.5, 10));
    assertEquals("1.234567890e+11", JsNumbers.toPrecision(123456789012.0, 10));
    assertEquals("10.00000000", JsNumbers.toPrecision(9.99999999999, 10));   // the carry adds a digit before the point
    assertEquals("1.00e-7", JsNumbers.toPrecision(1e-7, 3));
    assertEquals("0.0000012", JsNumbers.toPrecision(0.000001234, 2));
    assertEquals("-1.500000000e-9", JsNumbers.toPrecision(-1.5e-9, 10));
    assertEquals("1235", JsNumbers.toPrecision(1234.5678, 4));
    assertEquals("0", JsNumbers.toPrecision(0, 1));
    assertEquals("0.000000000", JsNumbers.toPrecision(-0.0, 10));
    assertEquals("-0.00", JsNumbers.toFixed(-0.001, 2));
    assertEquals("0.00", JsNumbers.toFixed(-0.0, 2));
    assertEquals("1.00", JsNumbers.toFixed(1.005, 2));   // 1.005 is 1.00499999999999989... in binary
    assertEquals("3", JsNumbers.toFixed(2.5, 0));
    assertEquals("1958.1667", JsNumbers.toFixed(1958 + 2 / 12.0, 4));
  }

  @Test
  void mulberry32GivesTheJavaScriptSequence() {
    Mulberry32 r = new Mulberry32(15);
    assertEquals(0.2378400256857276, r.next());
    assertEquals(0.40412471746094525, r.next());
    assertEquals(0.402795132715255, r.next());
    Mulberry32 negative = new Mulberry32(-7);
    assertEquals(0.43306733411736786, negative.next());
    assertEquals(0.32539576734416187, negative.next());
  }

  @Test
  void vegaSplitsAreTheNodeConversionsBytes() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.putAll(PrecipitationSplits.build(Files.readAllBytes(VEGA.resolve("annual-precip.json")), Path.of("vega.tgz")));
    files.putAll(Co2Splits.build(Files.readAllBytes(VEGA.resolve("co2-concentration.csv")), Path.of("vega.tgz")));
    assertEquals(List.of("precip-train.csv", "precip-test.csv", "co2-train.csv", "co2-test.csv"), List.copyOf(files.keySet()));
    for (var e : files.entrySet()) {
      assertEquals(Files.readString(VEGA.resolve("expected").resolve(e.getKey())), e.getValue(), e.getKey());
    }
    // hand-checkable: 71 cells (one empty), 40 months, each row in exactly one file
    assertEquals(71, lines(files.get("precip-train.csv")) + lines(files.get("precip-test.csv")));
    assertEquals(40, lines(files.get("co2-train.csv")) + lines(files.get("co2-test.csv")));
    assertTrue(files.get("co2-train.csv").startsWith("1958.1667,315.70\n1958.2500,317.46\n"));
  }

  @Test
  void malformedVegaFilesAreDataFormatErrors() {
    assertThrows(DataFormatException.class, () -> Co2Splits.build("Date,CO2\n1958,315\n".getBytes(), Path.of("v.tgz")));
    assertThrows(DataFormatException.class, () -> Co2Splits.build("Date,CO2\nyear-03-01,315\n".getBytes(), Path.of("v.tgz")));
    assertThrows(DataFormatException.class,
        () -> PrecipitationSplits.build("{\"width\": 2, \"height\": 1, \"values\": [1]}".getBytes(), Path.of("v.tgz")));
  }

  private static int lines(String file) {
    return file.split("\n").length;
  }
  @Test
  void numbersArePrintedAsJavaScriptPrintsThem() {
    assertEquals("1.301895", JsNumbers.string(1.301895));
    assertEquals("2.5", JsNumbers.string(2.50));
    assertEquals("-3", JsNumbers.string(-3.0));
    assertEquals("0", JsNumbers.string(-0.0));
    assertEquals("0.1", JsNumbers.string(0.1));
    assertEquals("0.0000001", JsNumbers.string(1e-7));
    assertEquals("1e-8", JsNumbers.string(1e-8));
    assertEquals("-1.5e-9", JsNumbers.string(-1.5e-9));
    assertEquals("123456789012345680000", JsNumbers.string(123456789012345678901.0));
    assertEquals("1e+21", JsNumbers.string(1e21));
  }

  @Test
  void bunnyPositionsBecomeCsvLines() {
    String js = "exports.positions=[[1.301895,0.122622,2.550061],[-0.10,2,3e-8]];\nexports.cells=[[0,1,2]]";
    byte[] csv = Datasets.bunnyCsv(Path.of("bunny.tgz"), js.getBytes(StandardCharsets.UTF_8));
    assertEquals("1.301895,0.122622,2.550061\n-0.1,2,3e-8\n", new String(csv, StandardCharsets.UTF_8));
    assertThrows(DataFormatException.class, () -> Datasets.bunnyCsv(Path.of("bunny.tgz"), "module.exports={}".getBytes()));
  }

  @Test
  void dataSetsAreFoundByName() {
    assertEquals(Datasets.Dataset.CO2_CONCENTRATION, Datasets.byId("co2-concentration"));
    var e = assertThrows(InvalidArgumentException.class, () -> Datasets.byId("iris"));
    assertTrue(e.getMessage().contains("spam-assassin, bunny, moby-dick, sotu, annual-precip, co2-concentration"), e.getMessage());
  }
}
