package structura.formats.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import structura.formats.DataFormatException;

/**
 * The Gaussian-process regression splits of vega-datasets' {@code data/annual-precip.json}
 * (global annual precipitation for 2016 on a 1° grid, NOAA CFSv2): {@code precip-train.csv} and
 * {@code precip-test.csv}, lines {@code x,y,z,precipitation}. Each valid grid cell (i, j), centre
 * lon = translate[0] + scale[0](i + 0.5), lat = translate[1] + scale[1](j + 0.5) in degrees, is
 * mapped to the unit sphere (cos lat cos lon, cos lat sin lon, sin lat); coordinates are printed
 * with 10 significant digits ({@code toPrecision(10)}), the value as JavaScript prints it. Rows
 * in grid order (j outer, i inner), split by {@link RandomSplit}. The same bytes as the Node
 * script this replaces (DatasetsTest). Cost: linear in the grid (60,480 cells, well under a second).
 */
final class PrecipitationSplits {
  private PrecipitationSplits() {}

  /** The two files by name; {@code source} names the tarball in errors. */
  static Map<String, String> build(byte[] json, Path source) {
    try {
      JsonObject grid = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      int width = grid.get("width").getAsInt();
      int height = grid.get("height").getAsInt();
      JsonArray scale = grid.getAsJsonArray("scale");
      JsonArray translate = grid.getAsJsonArray("translate");
      JsonArray values = grid.getAsJsonArray("values");
      List<String> rows = new ArrayList<>(width * height);
      for (int j = 0; j < height; j++) {
        for (int i = 0; i < width; i++) {
          JsonElement v = values.get(j * width + i);
          if (v.isJsonNull()) {
            continue;   // a cell without data (none in vega-datasets 3.2.1)
          }
          // the operations and their order as in the JavaScript, so that every double is the same
          double lon = (translate.get(0).getAsDouble() + scale.get(0).getAsDouble() * (i + 0.5)) * Math.PI / 180;
          double lat = (translate.get(1).getAsDouble() + scale.get(1).getAsDouble() * (j + 0.5)) * Math.PI / 180;
          rows.add(JsNumbers.toPrecision(StrictMath.cos(lat) * StrictMath.cos(lon), 10) + ","
              + JsNumbers.toPrecision(StrictMath.cos(lat) * StrictMath.sin(lon), 10) + ","
              + JsNumbers.toPrecision(StrictMath.sin(lat), 10) + "," + JsNumbers.string(v.getAsDouble()));
        }
      }
      return RandomSplit.of(rows, "precip");
    } catch (RuntimeException e) {   // Gson's parse errors, missing fields, a short values array
      throw new DataFormatException(source, 0, "package/data/annual-precip.json is not the expected grid ("
          + e.getMessage() + ").", "Delete the tarball and fetch again.", e);
    }
  }
}
