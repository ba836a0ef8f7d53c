package structura.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import structura.algorithms.compress.CompressionReport;

/**
 * Draws the kept fraction of heads and of FFN neurons per block as paired bars (PNG, headless
 * Java 2D), the picture of where a global budget put its cuts. For low-rank (svd) blocks the bars
 * are the kept fraction of the attention and FFN weight parameters, {@code Σ k·(m+n) / Σ m·n}.
 */
final class WidthPlot {
  private WidthPlot() {}

  /** The plot as PNG bytes; the caller writes them through its {@code OutputTransaction}. */
  static byte[] png(CompressionReport r) {
    System.setProperty("java.awt.headless", "true");
    List<CompressionReport.BlockReport> blocks = r.blocks();
    int w = 140 + 70 * blocks.size();
    int h = 360;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int x0 = 60;
    int y0 = h - 50;
    int plotH = h - 110;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(String.format(Locale.ROOT, "%s, %s: kept fraction per block (MACs %.1f%%)", r.method(), r.budget(),
        100 * r.macFraction()), 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setStroke(new BasicStroke(1f));
    g.drawLine(x0, y0, w - 20, y0);
    g.drawLine(x0, y0, x0, y0 - plotH);
    for (int t = 0; t <= 4; t++) {
      int y = y0 - plotH * t / 4;
      g.setColor(new Color(220, 220, 220));
      g.drawLine(x0 + 1, y, w - 20, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.2f", t / 4.0), 20, y + 4);
    }
    Color heads = new Color(70, 120, 200);
    Color neurons = new Color(230, 140, 50);
    for (int i = 0; i < blocks.size(); i++) {
      CompressionReport.BlockReport b = blocks.get(i);
      double fh = (double) b.headsAfter() * (b.queryKeyDimAfter() + b.valueDimAfter())
          / (b.headsBefore() * (double) (b.queryKeyDimBefore() + b.valueDimBefore()));
      double fn = (double) b.neuronsAfter() / b.neuronsBefore();
      if (!b.ranks().isEmpty()) {
        fh = weightFraction(b.ranks(), List.of("query", "key", "value", "output"));
        fn = weightFraction(b.ranks(), List.of("up", "gate", "down"));
      }
      int bx = x0 + 20 + 70 * i;
      bar(g, heads, bx, y0, plotH, fh);
      bar(g, neurons, bx + 24, y0, plotH, fn);
      g.setColor(Color.BLACK);
      g.drawString(Integer.toString(b.block()), bx + 18, y0 + 16);
    }
    g.drawString("block", w / 2 - 10, y0 + 34);
    g.setColor(heads);
    g.fillRect(w - 230, 30, 12, 12);
    g.setColor(neurons);
    g.fillRect(w - 120, 30, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString("attention", w - 214, 41);
    g.drawString(blocks.stream().anyMatch(b -> !b.ranks().isEmpty()) ? "FFN" : "FFN neurons", w - 104, 41);
    g.dispose();
    return encode(img);
  }

  /** Low-rank layers: kept weight parameters {@code Σ k·(m+n)} (dense: {@code m·n}) over {@code Σ m·n} of the named layers. */
  private static double weightFraction(List<CompressionReport.LayerRank> ranks, List<String> names) {
    double kept = 0;
    double all = 0;
    for (CompressionReport.LayerRank r : ranks) {
      if (names.contains(r.layer())) {
        double dense = (double) r.out() * r.in();
        all += dense;
        kept += r.factored() ? (double) r.rank() * (r.out() + r.in()) : dense;
      }
    }
    return all == 0 ? 1 : kept / all;
  }

  /** Encodes the image as PNG (in memory: no I/O can fail). */
  static byte[] encode(BufferedImage img) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(img, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
  }

  private static void bar(Graphics2D g, Color c, int x, int y0, int plotH, double f) {
    int bh = (int) Math.round(plotH * Math.max(0, Math.min(1, f)));
    g.setColor(c);
    g.fillRect(x, y0 - bh, 22, bh);
  }
}
