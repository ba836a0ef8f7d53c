package structura.algorithms.compress;

/**
 * Where a compression method comes from.
 *
 * @param authors the authors as printed
 * @param title the paper title
 * @param venue venue and year
 * @param url an arXiv or proceedings address
 */
public record Citation(String authors, String title, String venue, String url) {
  @Override
  public String toString() {
    return authors + ", \"" + title + "\", " + venue + ". " + url;
  }
}
