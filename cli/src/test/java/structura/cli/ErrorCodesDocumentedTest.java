package structura.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;

/** Every {@link ErrorCode}, the new output codes included, has its row with a fix in docs/errors.md. */
class ErrorCodesDocumentedTest {
  @Test
  void everyCodeHasARow() throws IOException {
    String doc = Files.readString(Path.of("../docs/errors.md"));
    for (ErrorCode c : ErrorCode.values()) {
      String row = "| <a id=\"" + c.code() + "\"></a>`" + c.code() + "` | " + c.name() + " |";
      assertTrue(doc.contains(row), c + " " + c.name() + " has no row in docs/errors.md");
    }
  }
}
