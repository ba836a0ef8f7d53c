package structura.cli;

import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import structura.algorithms.kernel.fkt.FastKernelTransform;
import structura.algorithms.kernel.fkt.FktOptions;

/**
 * The {@code --fkt-*} flags of {@code kernel mvm} and {@code gp} as {@link FktOptions}. In
 * {@code kernel mvm}, with none of them on the command line: {@link FktOptions#defaults()} (the FMM
 * path at tolerance 1e-4 for d ≤ 3, the treecode at p = 8, θ = 0.4 beyond); with any of them:
 * exactly the values given, the others at their flag defaults (the treecode unless
 * {@code --fkt-grid} is positive), as before 2026-12-05, so that explicit settings never change
 * meaning. {@code gp} always takes the flags ({@link #explicit}; its defaults are the treecode at
 * p = 8, θ = 0.4): the FMM default at 1e-4, whose near field is F32, made CG meet negative
 * curvature on the precipitation GP with σ_n²/σ_f² ≈ 10⁻⁹ (docs/performance.md).
 */
final class FktFlags {
  /** The flags that make the options explicit. */
  static final String[] NAMES = {"--fkt-order", "--fkt-separation", "--fkt-leaf", "--fkt-grid", "--fkt-tolerance"};

  private FktFlags() {}

  /** Whether any {@code --fkt-*} flag was given. */
  static boolean anyGiven(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    for (String name : NAMES) {
      if (parsed.hasMatchedOption(name)) {
        return true;
      }
    }
    return false;
  }

  /** The options: the defaults when no flag was given, else the flag values ({@link #explicit}). */
  static FktOptions options(CommandSpec spec, int order, double separation, int leaf, int grid, double tolerance) {
    if (!anyGiven(spec)) {
      return FktOptions.defaults();
    }
    return explicit(order, separation, leaf, grid, tolerance);
  }

  /** The options of the flag values as given (or at their flag defaults). */
  static FktOptions explicit(int order, double separation, int leaf, int grid, double tolerance) {
    return FktOptions.ofOrder(order).withSeparation(separation).withLeafSize(leaf).withInterpolationOrder(grid)
        .withTolerance(tolerance);
  }

  /** The effective settings of a factorised transform, for the JSON report and the console. */
  static void report(FastKernelTransform fkt, Map<String, Object> report) {
    FktOptions o = fkt.options();
    boolean fmm = !fkt.levelOrders().isEmpty();
    report.put("fkt_path", fmm ? "fmm" : "treecode");
    report.put("fkt_order", o.order());
    report.put("fkt_separation", o.separation());
    report.put("fkt_leaf", o.leafSizeFor(fmm));
    report.put("fkt_grid", fmm ? o.interpolationOrder() : 0);
    report.put("fkt_tolerance", fmm ? o.tolerance() : 0.0);
    if (fmm) {
      report.put("fkt_level_orders", fkt.levelOrders());
    }
  }

  /** One line describing the path and orders, for the console. */
  static String describe(FastKernelTransform fkt) {
    FktOptions o = fkt.options();
    boolean fmm = !fkt.levelOrders().isEmpty();
    return fmm
        ? String.format(java.util.Locale.ROOT, "FMM path, tolerance %.1e, leaf %d, p/q per level %s", o.tolerance(),
            o.leafSizeFor(true), fkt.levelOrders())
        : String.format(java.util.Locale.ROOT, "treecode, order %d, separation %.3g, leaf %d", o.order(), o.separation(),
            o.leafSizeFor(false));
  }
}
