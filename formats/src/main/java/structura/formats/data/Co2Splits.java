package structura.formats.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import structura.formats.DataFormatException;

/**
 * The Gaussian-process regression splits of vega-datasets' {@code data/co2-concentration.csv}
 * (monthly Mauna Loa CO2 in ppm, 1958-2020, Scripps CO2 Program): {@code co2-train.csv} and
 * {@code co2-test.csv}, lines {@code t,co2} with t = year + (month - 1)/12 printed with four
 * decimals ({@code toFixed(4)}) and co2 the file's text unchanged. Rows in file order (the header
 * line skipped), split by {@link RandomSplit}. The same bytes as the Node script this replaces
 * (DatasetsTest).
 */
final class Co2Splits {
  private Co2Splits() {}

  /** The two files by name; {@code source} names the tarball in errors. */
  static Map<String, String> build(byte[] csv, Path source) {
    String[] lines = JsText.trim(new String(csv, StandardCharsets.UTF_8)).split("\n", -1);
    List<String> rows = new ArrayList<>(lines.length);
    for (int k = 1; k < lines.length; k++) {
      String[] fields = lines[k].split(",", -1);
      String[] date = fields[0].split("-", -1);
      if (fields.length < 2 || date.length < 2) {
        throw new DataFormatException(source, k + 1, "package/data/co2-concentration.csv: '" + lines[k]
            + "' is not 'YYYY-MM-DD,co2,...'.", "Delete the tarball and fetch again.", null);
      }
      try {
        double t = Integer.parseInt(date[0]) + (Integer.parseInt(date[1]) - 1) / 12.0;
        rows.add(JsNumbers.toFixed(t, 4) + "," + fields[1]);
      } catch (NumberFormatException e) {
        throw new DataFormatException(source, k + 1, "package/data/co2-concentration.csv: '" + lines[k]
            + "' has no numeric year and month.", "Delete the tarball and fetch again.", e);
      }
    }
    return RandomSplit.of(rows, "co2");
  }
}
