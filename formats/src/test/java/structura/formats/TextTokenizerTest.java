package structura.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.nn.TokenBatch;

/** The tokenizer.json of all-MiniLM-L6-v2 (bert-base-uncased WordPiece) through DJL, offline, on the module path. */
class TextTokenizerTest {
  @Test
  void encodesWithSpecialTokensTruncatesAndPads() {
    Path json = ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow();
    try (TextTokenizer tok = TextTokenizer.load(json, 16)) {
      // bert-base-uncased ids: [CLS]=101, hello=7592, world=2088, [SEP]=102; lower-casing applies
      assertArrayEquals(new int[] {101, 7592, 2088, 102}, tok.ids("Hello World"));
      int[] longIds = tok.ids("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen");
      assertEquals(16, longIds.length);
      assertEquals(102, longIds[15]);
      TokenBatch b = tok.encode(List.of("Hello World", "hello"));
      assertEquals(4, b.length());
      assertArrayEquals(new int[] {101, 7592, 102, 0}, java.util.Arrays.copyOfRange(b.inputIds(), 4, 8));
      assertArrayEquals(new int[] {1, 1, 1, 0}, java.util.Arrays.copyOfRange(b.attentionMask(), 4, 8));
    }
  }

  @Test
  void batchEncodingGivesTheIdsOfEachTextAlone() {
    Path json = ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow();
    StringBuilder longText = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      longText.append("word").append(i).append(i % 7 == 0 ? ".\n\n" : " ");
    }
    List<String> texts = List.of("Hello World", "", "   \t\n  ", longText.toString(), "Café naïve résumé — déjà vu",
        "日本語のテキストと English mixed", "emoji 🙂 and \u0007control\u0000chars", "Subject: Re: [Razor-users] False Positives");
    try (TextTokenizer tok = TextTokenizer.load(json, 64)) {
      List<int[]> batch = tok.ids(texts);
      assertEquals(texts.size(), batch.size());
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(tok.ids(texts.get(i)), batch.get(i), "text " + i);
      }
      assertEquals(64, batch.get(3).length);  // truncated like the single encoding
      assertEquals(List.of(), tok.ids(List.of()));
    }
  }

  @Test
  void missingFileIsAModelFormatError() {
    assertThrows(ModelFormatException.class, () -> TextTokenizer.load(Path.of("no/such/tokenizer.json"), 8));
  }
}
