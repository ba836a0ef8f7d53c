package structura.formats;

import com.google.gson.JsonParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our wording for gson's parse failures. Gson's messages advise calling
 * {@code JsonReader.setStrictness(Strictness.LENIENT)} and link its troubleshooting page: advice
 * for programmers using gson, not for a user whose file is malformed. Only the position is kept.
 */
final class JsonErrors {
  private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

  private JsonErrors() {}

  /** "malformed JSON at line L column C", or "malformed JSON" when gson gave no position. */
  static String describe(RuntimeException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    Matcher p = POSITION.matcher(m);
    String where = p.find() ? " at line " + p.group(1) + " column " + p.group(2) : "";
    if (e instanceof JsonParseException && m.contains("End of input")) {
      return "malformed JSON: it ends early" + where;
    }
    return "malformed JSON" + where;
  }
}
