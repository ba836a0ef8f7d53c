package structura.formats.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.formats.LabeledText;
import structura.formats.TextCorpus;

class EvalDataTest {
  static final Path SUBSET = Path.of("src/test/resources/spam-assassin-subset");

  @Test
  void hashSplitAgreesWithTheDataScript() {
    // SpamAssassinSplits (structura data fetch spam-assassin) put these texts in its test and train splits with the same rule
    for (LabeledText t : TextCorpus.read(SUBSET.resolve("test.jsonl"))) {
      assertTrue(EvalData.heldOut(t.text()), t.text());
    }
    for (LabeledText t : TextCorpus.read(SUBSET.resolve("train.jsonl"))) {
      assertFalse(EvalData.heldOut(t.text()), t.text());
    }
  }

  @Test
  void loadSplitsOneFileWithoutDuplicatesAndCountsOverlapOfTwo(@TempDir Path dir) throws IOException {
    Path train = SUBSET.resolve("train.jsonl");
    Path test = SUBSET.resolve("test.jsonl");
    Path both = dir.resolve("both.jsonl");
    // the test texts twice: a split keeps each text once
    Files.writeString(both, Files.readString(train) + Files.readString(test) + Files.readString(test));
    EvalData split = EvalData.load(both, null, null);
    assertEquals(TextCorpus.read(train), split.train());
    assertEquals(TextCorpus.read(test), split.test());
    assertEquals(List.of("ham", "spam"), split.labels());
    assertEquals(0, split.overlap());
    EvalData two = EvalData.load(test, train, null);
    assertEquals(20, two.test().size());
    assertEquals(0, two.overlap());
    assertEquals(40, EvalData.load(train, both, null).overlap(), "the train file holds every text of the test file");
    assertArrayEquals(new int[] {0, 1}, split.classes(List.of(new LabeledText("x", "ham"), new LabeledText("y", "spam"))));
  }

  @Test
  void unitIsTheFirst32BitsOfSha256() {
    // SHA-256("abc") = ba7816bf 8f01cfea ...
    assertEquals(0xba7816bfL / 4294967296.0, EvalData.unit("", "abc"), 0.0);
    assertEquals(0xba7816bfL / 4294967296.0, EvalData.unit("a", "bc"), 0.0);
  }

  @Test
  void limitIsStratifiedDeterministicAndKeepsOrder() {
    List<LabeledText> texts = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      texts.add(new LabeledText("text " + i, i % 10 == 0 ? "rare" : i % 3 == 0 ? "b" : "a"));
    }
    // 9 rare, 27 b, 54 a
    List<LabeledText> ten = EvalData.limit(texts, 10, "limit\n");
    assertEquals(10, ten.size());
    Map<String, Integer> c = EvalData.counts(ten);
    assertEquals(Map.of("a", 6, "b", 3, "rare", 1), c);
    assertEquals(ten, EvalData.limit(new ArrayList<>(texts.reversed()), 10, "limit\n").reversed(),
        "the choice depends on the texts only, and file order is kept");
    List<LabeledText> two = EvalData.limit(texts, 3, "limit\n");
    assertEquals(Map.of("a", 1, "b", 1, "rare", 1), EvalData.counts(two), "every label first, when n allows");
    assertSame(texts, EvalData.limit(texts, 90, "limit\n"));
  }
}
