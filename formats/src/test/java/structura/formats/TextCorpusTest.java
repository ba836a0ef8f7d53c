package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;

class TextCorpusTest {
  @TempDir
  Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private DataFormatException fails(Path file) {
    DataFormatException e = assertThrows(DataFormatException.class, () -> TextCorpus.read(file));
    assertEquals(ErrorCode.DATA_FORMAT, e.code());
    assertTrue(e.getMessage().startsWith("STRUCTURA-F002: " + file), e.getMessage());
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
    return e;
  }

  @Test
  void jsonLinesWithAndWithoutLabels() throws IOException {
    Path f = write("c.jsonl", "\uFEFF{\"text\": \"Free money!\\nClick\", \"label\": \"spam\", \"group\": \"spam-1\"}\n"
        + "\n   \n{\"text\": \"Lunch at 12?\", \"label\": \"ham\"}\r\n{\"text\": \"no label\"}\n"
        + "{\"text\": \"null label\", \"label\": null}\n{\"text\": \"\", \"label\": 1}\n{\"text\":\"ünïcödé ✓\",\"label\":true}");
    List<LabeledText> t = TextCorpus.read(f);
    assertEquals(List.of(new LabeledText("Free money!\nClick", "spam"), new LabeledText("Lunch at 12?", "ham"),
        LabeledText.unlabeled("no label"), LabeledText.unlabeled("null label"), new LabeledText("", "1"),
        new LabeledText("ünïcödé ✓", "true")), t);
  }

  @Test
  void plainTextIsOneTextPerLineSkippingBlankLines() throws IOException {
    List<LabeledText> t = TextCorpus.read(write("c.txt", "first line\n\n  \t\nsecond {\"text\": 1}\r\nthird"));
    assertEquals(List.of("first line", "second {\"text\": 1}", "third"), t.stream().map(LabeledText::text).toList());
    t.forEach(x -> assertNull(x.label()));
  }

  @Test
  void jsonFileMayAlsoBeOneArray() throws IOException {
    Path f = write("c.json", "  [\n {\"text\": \"a\", \"label\": \"x\"},\n {\"text\": \"b\"}\n]\n");
    assertEquals(List.of(new LabeledText("a", "x"), LabeledText.unlabeled("b")), TextCorpus.read(f));
    DataFormatException e = fails(write("bad.json", "[{\"text\": \"a\"}, {\"txt\": \"b\"}]"));
    assertTrue(e.getMessage().contains("array element 1"), e.getMessage());
  }

  @Test
  void emptyOrBlankFilesAreErrors() throws IOException {
    fails(write("empty.jsonl", ""));
    fails(write("blank.txt", "\n  \n\n"));
  }

  @Test
  void malformedLineNamesItsNumber() throws IOException {
    DataFormatException e = fails(write("c.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n"));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("line 3: not valid JSON"), e.getMessage());
    assertEquals(2, fails(write("trailing.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"a\"} {\"text\": \"b\"}\n")).line());
  }

  @Test
  void missingOrWrongTypedFieldsAreErrors() throws IOException {
    DataFormatException noText = fails(write("a.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"x\", \"label\": \"ham\"}"));
    assertEquals(2, noText.line());
    assertTrue(noText.getMessage().contains("no \"text\" field (fields: [body, label])"), noText.getMessage());
    assertEquals(1, fails(write("b.jsonl", "{\"text\": 42}")).line());
    assertEquals(1, fails(write("c.jsonl", "[\"text\"]")).line());
    assertEquals(1, fails(write("d.jsonl", "\"just a string\"")).line());
    assertEquals(1, fails(write("e.jsonl", "{\"text\": \"a\", \"label\": [\"x\"]}")).line());
  }

  @Test
  void missingFileAndBadEncodingAreErrors() throws IOException {
    assertTrue(fails(dir.resolve("absent.jsonl")).getMessage().contains("no such file"));
    fails(dir);   // a directory is not a corpus
    Path latin1 = dir.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
    assertTrue(fails(latin1).getMessage().contains("UTF-8"));
  }
}
