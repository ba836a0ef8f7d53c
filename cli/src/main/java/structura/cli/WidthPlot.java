package structura.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import structura.algorithms.compress.CompressionReport;
import structura.formats.io.OutputTransaction;

/**
 * The kept fraction of heads and of FFN neurons per block as paired bars, the picture of where a
 * global budget put its cuts ({@code structura compress --plot}). Attention bars count heads times
 * their query/key plus value widths; for low-rank (svd) blocks the bars are the kept fraction of
 * the attention and FFN weight parameters, {@code Σ k·(m+n) / Σ m·n}. Written by {@link Charts}.
 */
final class WidthPlot {
  private WidthPlot() {}

  /** Stages the chart as PNG at {@code png} and SVG beside it. */
  static void stage(OutputTransaction outputs, Path png, CompressionReport r) {
    Charts.stage(outputs, png, Math.max(560, 140 + 60 * r.blocks().size()), 380, List.of(chart(r)));
  }

  static CategoryChart chart(CompressionReport r) {
    boolean lowRank = r.blocks().stream().anyMatch(b -> !b.ranks().isEmpty());
    CategoryChart chart = new CategoryChartBuilder()
        .title(String.format(Locale.ROOT, "%s, %s: kept fraction per block (MACs %.1f%%)", r.method(), r.budget(),
            100 * r.macFraction()))
        .xAxisTitle("block").yAxisTitle(lowRank ? "fraction of weight parameters kept" : "fraction kept").build();
    Charts.style(chart.getStyler()).setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.00");
    List<Integer> blocks = new ArrayList<>();
    List<Double> attention = new ArrayList<>();
    List<Double> ffn = new ArrayList<>();
    for (CompressionReport.BlockReport b : r.blocks()) {
      double fh = (double) b.headsAfter() * (b.queryKeyDimAfter() + b.valueDimAfter())
          / (b.headsBefore() * (double) (b.queryKeyDimBefore() + b.valueDimBefore()));
      double fn = (double) b.neuronsAfter() / b.neuronsBefore();
      if (!b.ranks().isEmpty()) {
        fh = weightFraction(b.ranks(), List.of("query", "key", "value", "output"));
        fn = weightFraction(b.ranks(), List.of("up", "gate", "down"));
      }
      blocks.add(b.block());
      attention.add(fh);
      ffn.add(fn);
    }
    chart.addSeries("attention", blocks, attention);
    chart.addSeries(lowRank ? "FFN" : "FFN neurons", blocks, ffn);
    return chart;
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
}
