package structura.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Checks on a chart the CLI wrote: a decodable, non-blank PNG and, beside it, a well-formed SVG
 * with drawing in it whose text ({@code <title>}, {@code <desc>}; XChart draws the visible labels
 * as outlines) holds the titles, axis titles and legend labels.
 */
final class ChartFiles {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private ChartFiles() {}

  /** Asserts both files and returns the PNG image. */
  static BufferedImage check(Path png, String... texts) throws Exception {
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), png + " is not a PNG");
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null && image.getWidth() > 100 && image.getHeight() > 100, png + " does not decode");
    assertTrue(distinctColours(image) > 4, png + " is blank");

    Path svg = Charts.svgBeside(png);
    assertEquals(png.getFileName().toString().replace(".png", ".svg"), svg.getFileName().toString());
    List<String> words = svgText(svg);
    String all = String.join("\n", words);
    for (String t : texts) {
      assertTrue(words.contains(t) || all.contains(t), svg + " has no text '" + t + "' among " + words);
    }
    return image;
  }

  /** The text content of the SVG's title, desc and text elements (well-formedness is checked by parsing). */
  static List<String> svgText(Path svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    // the SVG's DOCTYPE names an external DTD: do not fetch it
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document d = f.newDocumentBuilder().parse(svg.toFile());
    assertEquals("svg", d.getDocumentElement().getLocalName());
    assertTrue(d.getElementsByTagNameNS("*", "path").getLength() > 20, svg + " has almost no drawing");
    List<String> out = new ArrayList<>();
    for (String element : List.of("title", "desc", "text")) {
      NodeList nodes = d.getElementsByTagNameNS("*", element);
      for (int i = 0; i < nodes.getLength(); i++) {
        out.add(nodes.item(i).getTextContent().strip());
      }
    }
    return out;
  }

  private static int distinctColours(BufferedImage image) throws IOException {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
