package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The splits of a mini package ({@code src/test/resources/spam-assassin-mini}, written by its
 * {@code make_fixture.py}) against texts worked out by hand from the crafted mails: MIME through
 * Mime4j, HTML through jsoup, the charset rules, tidying, dedupe, label conflicts and the split.
 */
class SpamAssassinSplitsTest {
  static final Path MINI = Path.of("src/test/resources/spam-assassin-mini");

  /** Each kept mail's text, by file, derived by hand from make_fixture.py. */
  static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("easy-ham-1/00000", "Subject: plain hello\n\nHello world tabs\n\nmany blank lines");
    // RFC 2047 words (UTF-8 base64, Latin-1 Q) and a quoted-printable UTF-8 body with a soft break
    EXPECTED.put("easy-ham-1/00001", "Subject: Hello \u2603 and caf\u00e9 au lait\n\nsoftbreak and caf\u00e9 and \u2603 done");
    EXPECTED.put("easy-ham-1/00002", "Subject: base64 with a broken byte\n\nok \ufffd end");
    EXPECTED.put("easy-ham-1/00003", "Subject: folded header\n\nbody of folded\nwith CRLF");
    EXPECTED.put("easy-ham-1/00004", "Subject: duplicate text\n\nthe same body");
    // 8bit: the package's UTF-8 is kept, whatever the declared charset
    EXPECTED.put("easy-ham-1/00005", "Subject: eight bit\n\nna\u00efve caf\u00e9");
    // multipart/alternative: text/plain wins over the text/html part placed first
    EXPECTED.put("easy-ham-2/00000", "Subject: multipart\n\nplain part wins");
    // HTML only: head, script and comment dropped, entities decoded, blocks and <br> as line breaks
    EXPECTED.put("easy-ham-2/00001", "Subject: html only\n\ncaf\u00e9 & \u00e9 \u263a x<y\n\nline\n\na");
    // quoted-printable windows-1252 HTML: curly quotes, two paragraphs, source line breaks as spaces
    EXPECTED.put("easy-ham-2/00003", "Subject: Caf\u00e9\n\nFirst \u201cparagraph\u201d\n\nSecond line boldtext");
    // multipart/mixed: the attachment and the image dropped, the attached message's text kept
    EXPECTED.put("hard-ham-1/00000", "Subject: attachment\n\nkept text\n\ninner message text");
    // unknown charset: bytes that are not UTF-8 are read as windows-1252, UTF-8 bytes as UTF-8
    EXPECTED.put("hard-ham-1/00002", "Subject: unknown charset\n\nna\u00efve \u20ac 5");
    EXPECTED.put("hard-ham-1/00003", "Subject: unknown charset, UTF-8 bytes\n\nna\u00efve \u20ac 5");
    EXPECTED.put("spam-1/00001", "Subject: BUY NOW\n\n\u201cQuoted\u201d \u00a3100");
    EXPECTED.put("spam-1/00002", "Subject: long\n\n" + "word ".repeat(1635) + "wo");   // cut at 8,192 chars
    EXPECTED.put("spam-2/00000", "Subject: ctrl chars\n\nlinewithcontrols and emoji \ud83d\ude00");
  }

  private static Map<String, byte[]> packageFiles() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(MINI.resolve("package"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(MINI.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static String mail(String name) throws Exception {
    String json = Files.readString(MINI.resolve("package/data/" + name + ".json"));
    return JsonParser.parseString(json).getAsJsonObject().get("text").getAsString();
  }

  @Test
  void eachMailBecomesTheTextWorkedOutByHand() throws Exception {
    for (var e : EXPECTED.entrySet()) {
      assertEquals(e.getValue(), MailText.of(mail(e.getKey())), e.getKey());
    }
    assertEquals("", MailText.of(mail("hard-ham-1/00001")));   // no subject, only an octet stream
  }

  @Test
  void theSplitsKeepEachDistinctTextOnceAndSplitByItsHash() throws Exception {
    SpamAssassinSplits.Splits splits = SpamAssassinSplits.build(packageFiles());
    List<JsonObject> train = lines(splits.files().get("train.jsonl"));
    List<JsonObject> test = lines(splits.files().get("test.jsonl"));
    Map<String, String> groupOf = new LinkedHashMap<>();
    for (JsonObject r : concat(train, test)) {
      assertEquals(null, groupOf.put(r.get("text").getAsString(), r.get("group").getAsString()), "a text twice");
      assertEquals(r.get("group").getAsString().startsWith("spam") ? "spam" : "ham", r.get("label").getAsString());
    }
    Map<String, String> expectedGroups = new LinkedHashMap<>();
    EXPECTED.forEach((file, text) -> expectedGroups.put(text, file.substring(0, file.indexOf('/'))));
    // every kept text once, in its first group; the duplicate, the conflict and the empty mail are out
    assertEquals(expectedGroups, groupOf);
    for (JsonObject r : test) {
      assertTrue(sha256Unit("split\n" + r.get("text").getAsString()) < 0.2);
    }
    for (JsonObject r : train) {
      assertFalse(sha256Unit("split\n" + r.get("text").getAsString()) < 0.2);
    }
    // fewer than 512 training texts: the calibration set is all of them, in hash order
    List<JsonObject> calibration = lines(splits.files().get("calibration.jsonl"));
    assertEquals(Set.copyOf(train), Set.copyOf(calibration));
    for (int i = 1; i < calibration.size(); i++) {
      assertTrue(sha256Unit("calibration\n" + calibration.get(i - 1).get("text").getAsString())
          <= sha256Unit("calibration\n" + calibration.get(i).get("text").getAsString()));
    }

    JsonObject counts = JsonParser.parseString(splits.files().get("counts.json")).getAsJsonObject();
    assertEquals(3, counts.get("duplicates").getAsInt());   // easy-ham-2's copy and the two spam copies of the conflict
    assertEquals(1, counts.get("conflicts").getAsInt());
    assertEquals(1, counts.get("empty").getAsInt());
    JsonObject groups = counts.getAsJsonObject("groups");
    int[] files = {6, 4, 5, 3, 2};
    int[] kept = {6, 3, 3, 2, 1};
    int i = 0;
    for (String g : List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2")) {
      assertEquals(files[i], groups.getAsJsonObject(g).get("files").getAsInt(), g);
      assertEquals(kept[i++], groups.getAsJsonObject(g).get("kept").getAsInt(), g);
    }
    assertEquals(train.size(), counts.getAsJsonObject("train").get("total").getAsInt());
    assertEquals(test.size(), counts.getAsJsonObject("test").get("total").getAsInt());
  }

  @Test
  void theSameFilesGiveTheSameBytes() throws Exception {
    assertEquals(SpamAssassinSplits.build(packageFiles()), SpamAssassinSplits.build(packageFiles()));
  }

  @Test
  void theTestSubsetTakesShortTextsOfBothLabels() throws Exception {
    SpamAssassinSplits.Splits splits = SpamAssassinSplits.build(packageFiles());
    Set<String> train = texts(splits.files().get("train.jsonl"));
    List<JsonObject> subset = lines(splits.testSubset().get("train.jsonl"));
    assertFalse(subset.isEmpty());
    for (JsonObject r : subset) {
      String text = r.get("text").getAsString();
      assertTrue(train.contains(text));
      assertTrue(text.length() <= 1500, "short texts only");
    }
    assertTrue(texts(splits.files().get("test.jsonl")).containsAll(texts(splits.testSubset().get("test.jsonl"))));
  }

  @Test
  void charsetsFollowTheWhatwgLabelsForLatin1() {
    byte[] latin1 = {(byte) 0x93, 'a', (byte) 0x94};
    assertEquals("\u201ca\u201d", new String(latin1, MailText.charset("ISO-8859-1", latin1)));
    assertEquals("\u201ca\u201d", new String(latin1, MailText.charset(null, latin1)));
    byte[] utf8 = "\u00e9".getBytes(StandardCharsets.UTF_8);
    assertEquals("\u00e9", new String(utf8, MailText.charset("us-ascii", utf8)));
    assertEquals("KOI8-R", MailText.charset("koi8-r", utf8).name());
  }

  private static List<JsonObject> lines(String jsonl) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (!line.isEmpty()) {
        out.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return out;
  }

  private static Set<String> texts(String jsonl) {
    Set<String> out = new HashSet<>();
    lines(jsonl).forEach(r -> out.add(r.get("text").getAsString()));
    return out;
  }

  private static List<JsonObject> concat(List<JsonObject> a, List<JsonObject> b) {
    List<JsonObject> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The first 32 bits of SHA-256 as a number in [0, 1), computed here independently of the code under test. */
  private static double sha256Unit(String s) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    return (((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL)) / 4294967296.0;
  }
}
