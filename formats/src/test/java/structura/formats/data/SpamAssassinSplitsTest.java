package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java splits against the Node converter they replace, byte for byte, on a mini package whose
 * mails exercise MIME, HTML, broken UTF-8, controls, duplicates and label conflicts; the expected
 * files and the mails are made by {@code src/test/resources/spam-assassin-mini/make_fixture.py}
 * with {@code scripts/spam-assassin-convert.mjs}. (On the real 0.2.3 package the outputs were
 * compared too: identical train, test, calibration, counts and committed test subset.)
 */
class SpamAssassinSplitsTest {
  static final Path MINI = Path.of("src/test/resources/spam-assassin-mini");

  @Test
  void theSplitsAreByteIdenticalToTheNodeConverters() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(MINI.resolve("package"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(MINI.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    SpamAssassinSplits.Splits splits = SpamAssassinSplits.build(files);
    for (String name : new String[] {"train.jsonl", "test.jsonl", "calibration.jsonl", "counts.json"}) {
      assertEquals(Files.readString(MINI.resolve("expected").resolve(name)), splits.files().get(name), name);
    }
    for (String name : new String[] {"train.jsonl", "test.jsonl"}) {
      assertEquals(Files.readString(MINI.resolve("expected/subset").resolve(name)), splits.testSubset().get(name), name);
    }
  }

  @Test
  void javaScriptTextSemantics() {
    // Node's decoder replaces each maximal invalid subpart: an encoded surrogate is three, the JDK's one
    assertEquals("\uFFFD\uFFFD\uFFFD", JsText.utf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    assertEquals("\uFFFD(\uFFFD", JsText.utf8(new byte[] {(byte) 0xE2, 0x28, (byte) 0xA1}));
    assertEquals("a", new String(JsText.base64("YQ==YQ=="), java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals("abc", new String(JsText.base64("YW Jj*"), java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals("ab", new String(JsText.base64("YWJ"), java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals("x", JsText.trim("\u00a0\ufeff x\u2028"));
    StringBuilder json = new StringBuilder();
    JsText.stringify(json, "q\"\\\n\u0001\ud800é");
    assertEquals("\"q\\\"\\\\\\n\\u0001\\ud800é\"", json.toString());
  }
}
