package structura.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads text corpora: calibration texts for compression and labeled texts for evaluation.
 *
 * <p>Formats, chosen by the file name's extension:
 * <ul>
 *   <li>{@code .jsonl} and {@code .json}: JSON lines, one object per line with a string
 *       {@code "text"} and an optional {@code "label"} (a string, or a number or boolean, which is
 *       kept as its JSON text; {@code null} or absent means unlabeled). Other fields are ignored;
 *       blank lines are skipped. A {@code .json} file whose first non-blank character is
 *       {@code [} is read as one JSON array of such objects instead.</li>
 *   <li>any other extension: plain text, one text per line, unlabeled; blank lines are skipped.</li>
 * </ul>
 * Files are UTF-8 (a leading byte-order mark is ignored). The whole corpus is held in memory:
 * O(file size) memory and one pass over the file.
 */
public final class TextCorpus {
  private static final String JSONL_FIX = "Write one JSON object per line, e.g. {\"text\": \"Hello there\", \"label\": \"ham\"}; "
      + "for plain text with one text per line use another extension, such as .txt.";

  private TextCorpus() {}

  /**
   * Reads every text of a corpus file, in file order.
   *
   * @param file a {@code .jsonl}/{@code .json} file of JSON lines, or a plain-text file
   * @return the texts, at least one; labels are {@code null} for unlabeled texts
   * @throws DataFormatException if the file is missing or unreadable, is not UTF-8, holds no
   *     text, or (JSON) has a line that does not parse, is not an object, or lacks a string
   *     {@code "text"}; the message names the line
   */
  public static List<LabeledText> read(Path file) {
    if (Files.isDirectory(file)) {
      throw new DataFormatException(file, "is a directory, not a text file.", "Pass a file in it, e.g. "
          + file.resolve("calibration.jsonl") + ".");
    }
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, "no such file.", "Check the path; structura data fetch spam-assassin writes "
          + "data/spam-assassin/{train,test,calibration}.jsonl.");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".jsonl") || name.endsWith(".json");
    List<LabeledText> out;
    try {
      out = json ? readJson(file, name.endsWith(".json")) : readPlain(file);
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, 0, "not valid UTF-8 text.", "Convert the file to UTF-8 (e.g. iconv -t UTF-8).", e);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, "no such file.", "Check the path.", e);
    } catch (IOException e) {
      throw new DataFormatException(file, 0, "cannot read: " + e.getMessage(), "Check the file's permissions.", e);
    }
    if (out.isEmpty()) {
      throw new DataFormatException(file, "holds no text (the file is empty or every line is blank).",
          json ? JSONL_FIX : "Put one text per line.");
    }
    return out;
  }

  private static BufferedReader open(Path file) throws IOException {
    // a strict decoder: a file in another encoding is reported, not read as replacement characters
    return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
  }

  private static String stripBom(String line, int lineNo) {
    return lineNo == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  private static List<LabeledText> readPlain(Path file) throws IOException {
    List<LabeledText> out = new ArrayList<>();
    try (BufferedReader r = open(file)) {
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        line = stripBom(line, ++lineNo);
        if (!line.isBlank()) {
          out.add(LabeledText.unlabeled(line));
        }
      }
    }
    return out;
  }

  private static List<LabeledText> readJson(Path file, boolean mayBeArray) throws IOException {
    List<LabeledText> out = new ArrayList<>();
    try (BufferedReader r = open(file)) {
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        line = stripBom(line, ++lineNo);
        if (line.isBlank()) {
          continue;
        }
        if (mayBeArray && out.isEmpty() && line.stripLeading().startsWith("[")) {
          return readArray(file);
        }
        out.add(toText(file, lineNo, "", parse(file, lineNo, line)));
      }
    }
    return out;
  }

  /** A whole-file JSON array; lines are not known, so errors name the element's index instead. */
  private static List<LabeledText> readArray(Path file) throws IOException {
    JsonElement root;
    try (BufferedReader r = open(file)) {
      root = JsonParser.parseReader(r);
    } catch (JsonIOException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e);
    } catch (JsonParseException e) {
      throw new DataFormatException(file, 0, "not valid JSON: " + JsonErrors.describe(e), JSONL_FIX, e);
    }
    if (!root.isJsonArray()) {
      throw new DataFormatException(file, "starts with '[' but is not one JSON array.", JSONL_FIX);
    }
    JsonArray array = root.getAsJsonArray();
    List<LabeledText> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(toText(file, 0, "array element " + i + ": ", array.get(i)));
    }
    return out;
  }

  private static JsonElement parse(Path file, int lineNo, String line) {
    try {
      return JsonParser.parseString(line);
    } catch (JsonParseException e) {
      throw new DataFormatException(file, lineNo, "not valid JSON: " + JsonErrors.describe(e), JSONL_FIX, e);
    }
  }

  /** @param where a prefix locating the element in messages ("" when the line number does) */
  private static LabeledText toText(Path file, int lineNo, String where, JsonElement e) {
    if (!e.isJsonObject()) {
      throw new DataFormatException(file, lineNo, where + "not a JSON object (found " + kind(e) + ").", JSONL_FIX, null);
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement text = o.get("text");
    if (text == null || text.isJsonNull()) {
      throw new DataFormatException(file, lineNo, where + "the object has no \"text\" field (fields: " + o.keySet() + ").",
          JSONL_FIX, null);
    }
    if (!(text instanceof JsonPrimitive p && p.isString())) {
      throw new DataFormatException(file, lineNo, where + "\"text\" is " + kind(text) + ", not a string.", JSONL_FIX, null);
    }
    JsonElement label = o.get("label");
    String l;
    if (label == null || label.isJsonNull()) {
      l = null;
    } else if (label instanceof JsonPrimitive lp) {
      l = lp.getAsString();
    } else {
      throw new DataFormatException(file, lineNo, where + "\"label\" is " + kind(label) + "; it must be a string, a number or null.",
          JSONL_FIX, null);
    }
    return new LabeledText(text.getAsString(), l);
  }

  private static String kind(JsonElement e) {
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    return p.isNumber() ? "a number" : p.isBoolean() ? "a boolean" : "a string";
  }
}
