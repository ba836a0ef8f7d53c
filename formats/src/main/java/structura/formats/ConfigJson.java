package structura.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * Typed, validated access to a HuggingFace {@code config.json}: every value is checked for its
 * JSON type and range where it is read, and a wrong one is a {@link ModelFormatException} naming
 * the file and the key ({@code num_hidden_layers: 6.5}, a string or negative {@code hidden_size},
 * a malformed {@code structura_layers} entry), never a raw parse exception or a silent default.
 */
final class ConfigJson {
  /** Widths and counts above this are not a model this library can hold in memory; caught here as corrupt values. */
  static final int MAX_DIMENSION = 1 << 24;

  private final JsonObject json;
  private final Path file;

  ConfigJson(JsonObject json, Path file) {
    this.json = json;
    this.file = file;
  }

  JsonObject json() {
    return json;
  }

  boolean has(String key) {
    JsonElement e = json.get(key);
    return e != null && !e.isJsonNull();
  }

  /** A required string. */
  String string(String key) {
    return string(json.get(key), key, null);
  }

  /** An optional string, {@code dflt} when absent or null. */
  String string(String key, String dflt) {
    return has(key) ? string(json.get(key), key, null) : dflt;
  }

  /** A required integer in [min, {@link #MAX_DIMENSION}]. */
  int integer(String key, int min) {
    return integer(json.get(key), key, min);
  }

  /** An optional integer in [min, {@link #MAX_DIMENSION}], {@code dflt} when absent or null. */
  int integer(String key, int min, int dflt) {
    return has(key) ? integer(json.get(key), key, min) : dflt;
  }

  /** An optional finite real number that is {@code > 0} when {@code positive}, {@code dflt} when absent or null. */
  double real(String key, double dflt, boolean positive) {
    return has(key) ? real(json.get(key), key, positive) : dflt;
  }

  /** An optional boolean, {@code dflt} when absent or null. */
  boolean bool(String key, boolean dflt) {
    if (!has(key)) {
      return dflt;
    }
    JsonElement e = json.get(key);
    if (e instanceof JsonPrimitive p && p.isBoolean()) {
      return p.getAsBoolean();
    }
    throw wrong(key, e, "true or false");
  }

  /** Per-layer geometry that {@code Safetensors.write} records for pruned networks. */
  record LayerGeometry(int heads, int kvHeads, int headDim, int valueDim, double scale, int[][] rotaryFrequencies) {}

  /** {@code structura_layers[l]}, or {@code null} when the key is absent; a present key must be an array of objects. */
  LayerGeometry layer(int l, int layers) {
    if (!has("structura_layers")) {
      return null;
    }
    JsonElement all = json.get("structura_layers");
    if (!all.isJsonArray()) {
      throw wrong("structura_layers", all, "an array with one object per layer");
    }
    JsonArray array = all.getAsJsonArray();
    if (array.size() != layers) {
      throw new ModelFormatException(file, "structura_layers", "describes " + array.size() + " layers but num_hidden_layers is "
          + layers + ".", "Write config.json and weights together with Safetensors.write.");
    }
    String key = "structura_layers[" + l + "]";
    JsonElement e = array.get(l);
    if (!e.isJsonObject()) {
      throw wrong(key, e, "an object with heads, kv_heads, head_dim, value_dim and scale");
    }
    JsonObject o = e.getAsJsonObject();
    int[][] freq = null;
    if (o.has("rotary_frequencies") && !o.get("rotary_frequencies").isJsonNull()) {
      freq = frequencies(o.get("rotary_frequencies"), key + ".rotary_frequencies");
    }
    return new LayerGeometry(integer(o.get("heads"), key + ".heads", 1), integer(o.get("kv_heads"), key + ".kv_heads", 1),
        integer(o.get("head_dim"), key + ".head_dim", 1), integer(o.get("value_dim"), key + ".value_dim", 1),
        real(o.get("scale"), key + ".scale", true), freq);
  }

  private int[][] frequencies(JsonElement e, String key) {
    if (!e.isJsonArray()) {
      throw wrong(key, e, "an array of integer arrays (per head, the kept rotary frequency indices)");
    }
    JsonArray heads = e.getAsJsonArray();
    int[][] out = new int[heads.size()][];
    for (int h = 0; h < heads.size(); h++) {
      JsonElement row = heads.get(h);
      if (!row.isJsonArray()) {
        throw wrong(key + "[" + h + "]", row, "an array of integers");
      }
      List<JsonElement> values = row.getAsJsonArray().asList();
      out[h] = new int[values.size()];
      for (int i = 0; i < values.size(); i++) {
        out[h][i] = integer(values.get(i), key + "[" + h + "][" + i + "]", 0);
      }
    }
    return out;
  }

  private String string(JsonElement e, String key, String dflt) {
    if (e == null || e.isJsonNull()) {
      throw new ModelFormatException(file, key, "missing key.", "Add " + key + " to config.json.");
    }
    if (e instanceof JsonPrimitive p && p.isString()) {
      return p.getAsString();
    }
    throw wrong(key, e, "a string");
  }

  private int integer(JsonElement e, String key, int min) {
    if (e == null || e.isJsonNull()) {
      throw new ModelFormatException(file, key, "missing key.", "Add " + key + " to config.json.");
    }
    if (e instanceof JsonPrimitive p && p.isNumber()) {
      try {
        BigDecimal v = new BigDecimal(p.getAsString());
        int i = v.intValueExact();
        if (i >= min && i <= MAX_DIMENSION) {
          return i;
        }
      } catch (ArithmeticException | NumberFormatException ex) {
        // not an integer, or out of int range: reported below
      }
    }
    throw wrong(key, e, "an integer from " + min + " to " + MAX_DIMENSION);
  }

  private double real(JsonElement e, String key, boolean positive) {
    if (e instanceof JsonPrimitive p && p.isNumber()) {
      try {
        double v = Double.parseDouble(p.getAsString());
        if (Double.isFinite(v) && (!positive || v > 0)) {
          return v;
        }
      } catch (NumberFormatException ex) {
        // reported below
      }
    }
    if (e == null || e.isJsonNull()) {
      throw new ModelFormatException(file, key, "missing key.", "Add " + key + " to config.json.");
    }
    throw wrong(key, e, positive ? "a positive finite number" : "a finite number");
  }

  private ModelFormatException wrong(String key, JsonElement e, String expected) {
    String shown = e.toString();
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return new ModelFormatException(file.toString(), null, "key '" + key + "' is " + shown + "; it must be " + expected + ".",
        "Fix " + key + " in config.json (HuggingFace writes it with save_pretrained).", null);
  }
}
