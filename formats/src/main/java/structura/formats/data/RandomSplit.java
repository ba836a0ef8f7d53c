package structura.formats.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seeded train/test split of the kernel data sets: in input order, each row goes to the test
 * file when the next {@link Mulberry32} number (seed {@value #SEED}) is below
 * {@value #TEST_PROBABILITY}, else to the training file. Files are the rows joined by '\n' with a
 * final '\n'.
 */
final class RandomSplit {
  static final int SEED = 15;
  static final double TEST_PROBABILITY = 0.1;

  private RandomSplit() {}

  /** {@code <name>-train.csv} and {@code <name>-test.csv}, in that order. */
  static Map<String, String> of(List<String> rows, String name) {
    Mulberry32 random = new Mulberry32(SEED);
    List<String> train = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (String row : rows) {
      (random.next() < TEST_PROBABILITY ? test : train).add(row);
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put(name + "-train.csv", String.join("\n", train) + "\n");
    files.put(name + "-test.csv", String.join("\n", test) + "\n");
    return files;
  }
}
