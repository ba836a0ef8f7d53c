package structura.cli;

import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.AxesChart;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.Styler;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * The one way the CLI writes a chart: XChart panels side by side in one picture, written as PNG at
 * the path the user gave and as SVG beside it ({@code plot.png} and {@code plot.svg}), both staged
 * in the run's {@link OutputTransaction} so they appear together or not at all. Both images are
 * painted by the same code on a {@link Graphics2D} (a raster for PNG, VectorGraphics2D's recorder
 * for SVG), so they cannot drift apart. XChart draws every label as glyph outlines (so the SVG
 * looks the same without the fonts); the SVG therefore also carries its words as text, in its
 * {@code <title>} (the panel titles) and {@code <desc>} (per panel: axis titles and legend
 * entries), where search, screen readers and tests find them. Headless: nothing opens a window.
 */
final class Charts {
  private Charts() {}

  /** The SVG written beside {@code png}: its name with {@code .png} replaced (or {@code .svg} appended). */
  static Path svgBeside(Path png) {
    String name = png.getFileName().toString();
    String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    return png.resolveSibling(stem + ".svg");
  }

  /** Declares {@code png} and its SVG as outputs of {@code option} ({@code null}: no chart asked for). */
  static OutputPlan plan(OutputPlan plan, String option, Path png) {
    return plan.output(option, png, OutputPlan.Shape.FILE)
        .output(option + "'s SVG", png == null ? null : svgBeside(png), OutputPlan.Shape.FILE);
  }

  /**
   * Stages the panels, each {@code width}×{@code height} pixels, left to right, as PNG at
   * {@code png} and SVG beside it. Nothing is visible until {@code outputs} commits.
   */
  static void stage(OutputTransaction outputs, Path png, int width, int height, List<? extends AxesChart<?, ?>> panels) {
    stage(outputs, png, width, height, panels.size(), panels);
  }

  /**
   * Stages the panels, each {@code width}×{@code height} pixels, in rows of {@code columns}
   * (left to right, then top to bottom), as PNG at {@code png} and SVG beside it.
   */
  static void stage(OutputTransaction outputs, Path png, int width, int height, int columns,
      List<? extends AxesChart<?, ?>> panels) {
    byte[] raster = png(width, height, columns, panels);
    byte[] vector = svg(width, height, columns, panels);
    outputs.write(png, o -> o.write(raster));
    outputs.write(svgBeside(png), o -> o.write(vector));
  }

  /** A light, readable style shared by every chart: white background, legend below the plot. */
  static <S extends Styler> S style(S styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    styler.setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    return styler;
  }

  static byte[] png(int width, int height, List<? extends AxesChart<?, ?>> panels) {
    return png(width, height, panels.size(), panels);
  }

  static byte[] png(int width, int height, int columns, List<? extends AxesChart<?, ?>> panels) {
    headless();
    BufferedImage image = new BufferedImage(width * columns, height * rows(panels, columns), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    paint(g, width, height, columns, panels);
    g.dispose();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);   // no I/O: only a JDK defect
    }
  }

  static byte[] svg(int width, int height, List<? extends AxesChart<?, ?>> panels) {
    return svg(width, height, panels.size(), panels);
  }

  static byte[] svg(int width, int height, int columns, List<? extends AxesChart<?, ?>> panels) {
    headless();
    VectorGraphics2D g = new VectorGraphics2D();
    paint(g, width, height, columns, panels);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Processors.get("svg").getDocument(g.getCommands(),
          new PageSize(0, 0, width * columns, height * rows(panels, columns))).writeTo(bytes);
      return withLabels(bytes.toString(StandardCharsets.UTF_8), panels).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an SVG in memory", e);
    }
  }

  /** Inserts {@code <title>} and {@code <desc>} as the first children of the root {@code <svg>} element. */
  private static String withLabels(String svg, List<? extends AxesChart<?, ?>> panels) {
    StringBuilder title = new StringBuilder();
    StringBuilder desc = new StringBuilder();
    for (AxesChart<?, ?> p : panels) {
      title.append(title.isEmpty() ? "" : " | ").append(p.getTitle());
      desc.append(String.format(java.util.Locale.ROOT, "%s%s: x axis: %s; y axis: %s; legend: %s.", desc.isEmpty() ? "" : "\n",
          p.getTitle(), p.getXAxisTitle(), p.getYAxisTitle(),
          String.join(", ", p.getSeriesCollection().stream().filter(Series::isShowInLegend).map(Series::getName).toList())));
    }
    int root = svg.indexOf("<svg");
    int end = root < 0 ? -1 : svg.indexOf('>', root);
    if (end < 0) {
      throw new IllegalStateException("VectorGraphics2D wrote no <svg> element");   // a defect, not a user error
    }
    return svg.substring(0, end + 1) + "\n<title>" + xml(title.toString()) + "</title>\n<desc>" + xml(desc.toString())
        + "</desc>" + svg.substring(end + 1);
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static int rows(List<?> panels, int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be at least 1, got " + columns);
    }
    return Math.max(1, (panels.size() + columns - 1) / columns);
  }

  private static void paint(Graphics2D g, int width, int height, int columns, List<? extends AxesChart<?, ?>> panels) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width * columns, height * rows(panels, columns));
    AffineTransform origin = g.getTransform();
    for (int i = 0; i < panels.size(); i++) {
      g.setTransform(origin);
      g.translate((i % columns) * width, (i / columns) * height);
      panels.get(i).paint(g, width, height);
    }
    g.setTransform(origin);
  }

  /** Java 2D text rendering must not look for a display; set before AWT's first use. */
  private static void headless() {
    System.setProperty("java.awt.headless", "true");
  }
}
