package structura.algorithms.spectral;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The partition answers of a one-round method gathered at the driver, sorted by partition index
 * so that the merge order (thread pool, Spark tree) cannot change the answer.
 *
 * @param items the answers, by increasing partition index
 */
record LocalEigenspaces(List<LocalEigenspace> items) implements Serializable {
  static LocalEigenspaces of(LocalEigenspace one) {
    return new LocalEigenspaces(List.of(one));
  }

  /** Associative, commutative merge. */
  static LocalEigenspaces merge(LocalEigenspaces a, LocalEigenspaces b) {
    List<LocalEigenspace> all = new ArrayList<>(a.items.size() + b.items.size());
    all.addAll(a.items);
    all.addAll(b.items);
    all.sort(Comparator.comparingInt(LocalEigenspace::partition));
    return new LocalEigenspaces(List.copyOf(all));
  }
}
