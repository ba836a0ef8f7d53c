package structura.formats.data;

import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * The text of an HTML mail part, with its line structure: parsed by jsoup (HTML5 tree building,
 * every named and numeric character reference decoded), then the {@code <body>} rendered as a
 * browser lays out text. Whitespace inside text collapses to one space (kept as written inside
 * {@code <pre>} and {@code <textarea>}); {@code <br>} is a line break; a block element
 * ({@link #BLOCKS}) starts and ends on its own line, so consecutive paragraphs are separated by
 * a blank line; table cells are separated by a space. {@code <head>} (title, meta), scripts,
 * styles and comments give no text. Jsoup's {@code Element.text()} would put everything on one
 * line, and {@code wholeText()} keeps source line breaks instead of the rendered ones.
 * Cost: linear in the size of the HTML.
 */
final class HtmlText {
  /** Elements that break the line before and after them. */
  static final Set<String> BLOCKS = Set.of("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
      "blockquote", "ul", "ol", "dl", "dt", "dd", "pre", "hr", "center", "form", "address", "section", "article",
      "header", "footer", "nav", "aside", "caption", "fieldset", "figure", "figcaption", "main", "textarea");
  private static final Set<String> CELLS = Set.of("td", "th");
  private static final Set<String> VERBATIM = Set.of("pre", "textarea");
  private static final Pattern HTML_SPACE = Pattern.compile("[ \\t\\n\\f\\r]+");

  private HtmlText() {}

  /** The text of {@code html} (a document or a fragment), line breaks as '\n'; not yet tidied. */
  static String of(String html) {
    Renderer renderer = new Renderer();
    renderer.traverse(Jsoup.parse(html).body());
    return renderer.out.toString();
  }

  private static final class Renderer implements NodeVisitor {
    final StringBuilder out = new StringBuilder();
    private int verbatimDepth;

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode text) {
        out.append(verbatimDepth > 0 ? text.getWholeText() : HTML_SPACE.matcher(text.getWholeText()).replaceAll(" "));
      } else if (node instanceof Element e) {
        String name = e.normalName();
        if (name.equals("br")) {
          out.append('\n');
        } else if (BLOCKS.contains(name)) {
          out.append('\n');
        } else if (CELLS.contains(name)) {
          out.append(' ');
        }
        if (VERBATIM.contains(name)) {
          verbatimDepth++;
        }
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element e) {
        String name = e.normalName();
        if (BLOCKS.contains(name)) {
          out.append('\n');
        } else if (CELLS.contains(name)) {
          out.append(' ');
        }
        if (VERBATIM.contains(name)) {
          verbatimDepth--;
        }
      }
    }
  }
}
