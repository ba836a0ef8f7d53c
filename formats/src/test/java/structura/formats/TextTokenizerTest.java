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
  void missingFileIsAModelFormatError() {
    assertThrows(ModelFormatException.class, () -> TextTokenizer.load(Path.of("no/such/tokenizer.json"), 8));
  }
}
