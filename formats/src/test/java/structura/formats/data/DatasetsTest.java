package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import structura.api.InvalidArgumentException;
import structura.formats.DataFormatException;

/** The data set table and the bunny conversion (numbers printed as JavaScript prints them). */
class DatasetsTest {
  @Test
  void numbersArePrintedAsJavaScriptPrintsThem() {
    assertEquals("1.301895", Datasets.jsNumber(1.301895));
    assertEquals("2.5", Datasets.jsNumber(2.50));
    assertEquals("-3", Datasets.jsNumber(-3.0));
    assertEquals("0", Datasets.jsNumber(-0.0));
    assertEquals("0.1", Datasets.jsNumber(0.1));
    assertEquals("0.0000001", Datasets.jsNumber(1e-7));
    assertEquals("1e-8", Datasets.jsNumber(1e-8));
    assertEquals("-1.5e-9", Datasets.jsNumber(-1.5e-9));
    assertEquals("123456789012345680000", Datasets.jsNumber(123456789012345678901.0));
    assertEquals("1e+21", Datasets.jsNumber(1e21));
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
