package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import structura.formats.DataFormatException;

/**
 * Passages of the public-domain corpora: the packing rule on hand-checked strings, and byte
 * equality with the independent reference converter ({@code scripts/passages-convert.py}) on
 * excerpts of both packages (fixtures in {@code resources/passages}, with how they were made).
 */
class TextPassagesTest {
  private static final Path FIXTURES = Path.of("src/test/resources/passages");

  @Test
  void sentencesEndAfterClosingQuotesAndOnlyBeforeASpace() {
    assertEquals(List.of("Call me Ishmael.", "\"Stop!\"", "Is it 3.5 feet?", "Yes"),
        TextPassages.sentences("Call me Ishmael. \"Stop!\" Is it 3.5 feet? Yes"));
    assertEquals(List.of("He said (so he did.)", "Then."), TextPassages.sentences("He said (so he did.) Then."));
  }

  @Test
  void aLongSentenceIsCutAtTheLastSpaceBeforeTheLimit() {
    String word = "a".repeat(99);
    String sentence = String.join(" ", java.util.Collections.nCopies(20, word));   // 20 × 99 + 19 = 1999 chars
    List<String> parts = TextPassages.sentences(sentence);
    assertEquals(2, parts.size());
    assertEquals(1299, parts.get(0).length());   // 13 words and 12 spaces: the last space before 1300 is at 1299
    assertEquals(699, parts.get(1).length());
    assertEquals(sentence, parts.get(0) + " " + parts.get(1));
  }

  @Test
  void shortSentencesArePackedAcrossParagraphsToAtLeast200Characters() {
    String s = "x".repeat(89) + ".";   // 90 characters
    String text = s + " " + s + "\n\n" + s + "\n" + s + " \t  " + s + "\n" + s + "\nTail.";
    List<String> p = TextPassages.passages(text);
    // 90+1+90 = 181 < 200 at the paragraph's end: continues; +91 = 272 ≥ 200. The short "Tail." joins the last.
    assertEquals(List.of(s + " " + s + " " + s, s + " " + s + " " + s + " Tail."), p);
    assertEquals(272, p.get(0).length());
    assertTrue(p.stream().allMatch(x -> x.length() >= TextPassages.MIN_CHARS && x.length() <= TextPassages.MAX_CHARS));
  }

  @Test
  void aShortRemainderThatDoesNotFitIsDropped() {
    String passage = "a".repeat(198) + ". " + "b".repeat(1298) + ".";   // 199 + 1 + 1299 = 1499 characters
    assertEquals(List.of(passage), TextPassages.passages(passage + " " + "z".repeat(150) + "."));
    assertEquals(List.of(), TextPassages.passages("Only a short text."));
  }

  @Test
  void mobyDickMatchesTheReferenceConverter() throws IOException {
    String got = TextPassages.mobyDick(files("moby-dick"), Path.of("moby-dick.tgz"));
    String want = Files.readString(FIXTURES.resolve("moby-dick/expected.jsonl"));
    assertEquals(96, want.lines().count());
    assertEquals(want, got);
  }

  @Test
  void sotuMatchesTheReferenceConverterWithPartyLabels() throws IOException {
    String got = TextPassages.sotu(files("sotu"), Path.of("sotu.tgz"));
    assertEquals(Files.readString(FIXTURES.resolve("sotu/expected.jsonl")), got);
    assertTrue(got.contains("\"label\":\"none\",\"group\":\"1790\""), "Washington had no party");
    assertTrue(got.contains("\"label\":\"Democratic-Republican\",\"group\":\"1801\""));
  }

  @Test
  void aMissingFileOrFieldIsADataFormatError() {
    assertThrows(DataFormatException.class, () -> TextPassages.mobyDick(Map.of(), Path.of("m.tgz")));   // no epilogue
    Map<String, byte[]> bad = Map.of("package/data/1790_x.json", "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8));
    assertThrows(DataFormatException.class, () -> TextPassages.sotu(bad, Path.of("s.tgz")));   // no party
  }

  private static Map<String, byte[]> files(String corpus) throws IOException {
    Path root = FIXTURES.resolve(corpus);
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root.resolve("package"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
