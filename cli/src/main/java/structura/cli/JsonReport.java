package structura.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import structura.formats.io.OutputTransaction;

/**
 * The JSON reports of the commands ({@code compress}, {@code eval}, {@code bench}, {@code kernel mvm}, {@code gp}):
 * written through the shared output helper, with non-finite numbers as {@code null} because JSON
 * has no NaN or infinity. The caller checks the path with an {@code OutputPlan} before its work.
 */
final class JsonReport {
  private static final TypeAdapter<Double> FINITE_OR_NULL = new TypeAdapter<>() {
    @Override
    public void write(JsonWriter out, Double value) throws IOException {
      if (value == null || !Double.isFinite(value)) {
        out.nullValue();
      } else {
        out.value(value);
      }
    }

    @Override
    public Double read(JsonReader in) {
      throw new UnsupportedOperationException("write-only");
    }
  };

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
      .registerTypeAdapter(Double.class, FINITE_OR_NULL).registerTypeAdapter(double.class, FINITE_OR_NULL).create();

  private JsonReport() {}

  /** {@code value} as a JSON tree, non-finite numbers as null: for reports that add fields to a record's. */
  static JsonObject tree(Object value) {
    return GSON.toJsonTree(value).getAsJsonObject();
  }

  /** {@code value} as pretty JSON in UTF-8 with a final newline, for a caller staging it in its own transaction. */
  static byte[] bytes(Object value) {
    return (GSON.toJson(value) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code value} as pretty JSON to {@code path}; replaces an existing file only with {@code force}. */
  static void write(Path path, Object value, boolean force) {
    byte[] bytes = bytes(value);
    try (OutputTransaction outputs = new OutputTransaction(force)) {
      outputs.write(path, o -> o.write(bytes));
      outputs.commit();
    }
  }
}
