package structura.formats.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import structura.formats.DataFormatException;
import structura.formats.LabeledText;
import structura.formats.TextCorpus;

/**
 * The labeled train and test texts of an evaluation, and the deterministic choices made on them.
 * Every choice hashes the text with SHA-256 (salted by purpose), so it depends on nothing but the
 * texts: the same files give the same splits on every machine and in every order.
 *
 * <ul>
 *   <li>Split (when no separate train file is given): a text is held out for testing when the
 *       first 32 bits of SHA-256("split\n" + text), read as an unsigned fraction of 2³², are below
 *       {@link #TEST_FRACTION}: the rule of {@code structura data fetch spam-assassin}, so splitting its
 *       train+test union again gives back its splits. Identical texts are kept once.</li>
 *   <li>Limit: at most N texts per split, stratified by label (quotas proportional to the label
 *       counts by largest remainder, at least one per label when N allows), within each label the
 *       texts with the smallest SHA-256("limit\n" + text); file order is kept.</li>
 * </ul>
 *
 * @param train the texts the probe is fit on
 * @param test the held-out texts (fidelity and probe accuracy)
 * @param labels the class labels, sorted; index = class id of the probe
 */
public record EvalData(List<LabeledText> train, List<LabeledText> test, List<String> labels) {
  /** Fraction of texts held out when one file is split. */
  public static final double TEST_FRACTION = 0.2;

  /**
   * Reads and checks the data.
   *
   * @param data labeled texts: the test split when {@code train} is given, else split into both
   * @param train labeled training texts, or {@code null}
   * @param limit at most this many texts per split (stratified), or {@code null} for all
   * @throws DataFormatException if a file is missing or malformed, a text has no label, a split
   *     is empty or has a single class, or the test split has labels the train split lacks
   */
  public static EvalData load(Path data, Path train, Integer limit) {
    List<LabeledText> all = requireLabels(data, TextCorpus.read(data));
    List<LabeledText> tr;
    List<LabeledText> te;
    Path trainSource = train == null ? data : train;
    if (train == null) {
      tr = new ArrayList<>();
      te = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (LabeledText t : all) {
        if (seen.add(t.text())) {
          (heldOut(t.text()) ? te : tr).add(t);
        }
      }
    } else {
      te = all;
      tr = requireLabels(train, TextCorpus.read(train));
    }
    if (limit != null) {
      tr = limit(tr, limit, "limit\n");
      te = limit(te, limit, "limit\n");
    }
    Set<String> trainLabels = new TreeSet<>();
    tr.forEach(t -> trainLabels.add(t.label()));
    Set<String> testLabels = new TreeSet<>();
    te.forEach(t -> testLabels.add(t.label()));
    String how = train == null ? " (the " + (int) Math.round(100 * (1 - TEST_FRACTION)) + "% of --data not held out)" : "";
    if (tr.isEmpty() || te.isEmpty()) {
      throw new DataFormatException(train == null ? data : (tr.isEmpty() ? train : data), 0,
          (tr.isEmpty() ? "the train split" + how : "the test split") + " is empty.",
          "Pass more texts, or a separate --train file.", null);
    }
    if (trainLabels.size() < 2) {
      throw new DataFormatException(trainSource, 0, "the train split" + how + " has a single class, " + trainLabels
          + "; the probe needs at least two.", "Pass labeled texts of at least two classes (e.g. ham and spam).", null);
    }
    Set<String> unseen = new TreeSet<>(testLabels);
    unseen.removeAll(trainLabels);
    if (!unseen.isEmpty()) {
      throw new DataFormatException(data, 0, "the test split has labels " + unseen + " that the train split lacks "
          + trainLabels + "; the probe cannot predict them.", "Train on data that covers every label.", null);
    }
    return new EvalData(List.copyOf(tr), List.copyOf(te), List.copyOf(trainLabels));
  }

  private static List<LabeledText> requireLabels(Path file, List<LabeledText> texts) {
    int missing = 0;
    int first = -1;
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).label() == null) {
        missing++;
        first = first < 0 ? i : first;
      }
    }
    if (missing > 0) {
      throw new DataFormatException(file, 0, missing + " of " + texts.size() + " texts have no label (the first is text #"
          + (first + 1) + ")" + (missing == texts.size() ? ": the file is unlabeled" : "") + ".",
          "Evaluation needs labeled JSON lines, {\"text\": \"...\", \"label\": \"spam\"}; structura data fetch spam-assassin "
              + "writes such files.", null);
    }
    return texts;
  }

  /** Whether a text belongs to the held-out split. */
  public static boolean heldOut(String text) {
    return unit("split\n", text) < TEST_FRACTION;
  }

  /** The first 32 bits of SHA-256(salt + text) as a fraction in [0, 1). */
  static double unit(String salt, String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((salt + text).getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
      return v / 4294967296.0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * At most {@code n} texts, stratified by label (see the class comment), in their original order.
   * Returns the list itself when it is no longer than {@code n}.
   */
  static List<LabeledText> limit(List<LabeledText> texts, int n, String salt) {
    if (texts.size() <= n) {
      return texts;
    }
    Map<String, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < texts.size(); i++) {
      byLabel.computeIfAbsent(texts.get(i).label(), k -> new ArrayList<>()).add(i);
    }
    List<String> labels = new ArrayList<>(byLabel.keySet());
    int[] quota = new int[labels.size()];
    double[] remainder = new double[labels.size()];
    int given = 0;
    for (int c = 0; c < quota.length; c++) {
      double exact = (double) n * byLabel.get(labels.get(c)).size() / texts.size();
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      given += quota[c];
    }
    // every label gets one text before any gets its remainder, when n allows: a class of 1% must not vanish
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < quota.length; c++) {
      order.add(c);
    }
    order.sort(Comparator.<Integer>comparingInt(c -> quota[c] == 0 ? 0 : 1).thenComparingDouble(c -> -remainder[c])
        .thenComparingInt(c -> c));
    for (int k = 0; given < n && k < order.size(); k++) {
      quota[order.get(k)]++;
      given++;
    }
    boolean[] keep = new boolean[texts.size()];
    for (int c = 0; c < quota.length; c++) {
      List<Integer> idx = new ArrayList<>(byLabel.get(labels.get(c)));
      Map<Integer, Double> key = new LinkedHashMap<>();
      idx.forEach(i -> key.put(i, unit(salt, texts.get(i).text())));
      idx.sort(Comparator.comparingDouble((Integer i) -> key.get(i)).thenComparingInt(i -> i));
      for (int k = 0; k < Math.min(quota[c], idx.size()); k++) {
        keep[idx.get(k)] = true;
      }
    }
    List<LabeledText> out = new ArrayList<>(n);
    for (int i = 0; i < texts.size(); i++) {
      if (keep[i]) {
        out.add(texts.get(i));
      }
    }
    return out;
  }

  /** How many test texts also occur, verbatim, among the train texts (0 for a split of one file). */
  public int overlap() {
    Set<String> seen = new HashSet<>();
    train.forEach(t -> seen.add(t.text()));
    return (int) test.stream().filter(t -> seen.contains(t.text())).count();
  }

  /** Class index of each text, by position of its label in {@link #labels()}. */
  public int[] classes(List<LabeledText> texts) {
    Map<String, Integer> id = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      id.put(labels.get(i), i);
    }
    return texts.stream().mapToInt(t -> id.get(t.label())).toArray();
  }

  /** Count of each label in the texts, labels sorted. */
  public static Map<String, Integer> counts(List<LabeledText> texts) {
    Map<String, Integer> m = new TreeMap<>();
    texts.forEach(t -> m.merge(t.label(), 1, Integer::sum));
    return m;
  }
}
