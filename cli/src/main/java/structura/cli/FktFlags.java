package structura.cli;

import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import structura.algorithms.kernel.fkt.FastKernelTransform;
import structura.algorithms.kernel.fkt.FktOptions;

/**
 * The {@code --fkt-*} flags of {@code kernel mvm} and {@code gp}, one picocli mixin for both, and
 * their {@link FktOptions}. In {@code kernel mvm}, with none of them on the command line:
 * {@link FktOptions#defaults()} (the FMM path at tolerance 1e-4 for d ≤ 3, the treecode at p = 8,
 * θ = 0.4 beyond); with any of them: exactly the values given, the others at the flag defaults
 * below (the treecode unless {@code --fkt-grid} is positive), so that explicit settings never
 * change meaning. {@code gp} always takes the flags ({@link #explicit()}): the FMM default at 1e-4,
 * whose near field is F32, made CG meet negative curvature on the precipitation GP with
 * σ_n²/σ_f² ≈ 10⁻⁹ (docs/performance.md). An explicit {@code --fkt-grid} with d ≥ 4 is an error
 * ({@link FastKernelTransform#factor}), not a silent treecode.
 */
final class FktFlags {
  /** The flags that make the options explicit. */
  static final String[] NAMES = {"--fkt-order", "--fkt-separation", "--fkt-leaf", "--fkt-grid", "--fkt-tolerance"};

  @Option(names = "--fkt-order", defaultValue = "8", paramLabel = "P",
      description = "FKT truncation order p (default ${DEFAULT-VALUE}; treecode with theta: 6 and 0.5 for about 2e-3, 8 and 0.4 for "
          + "1e-4, 10 and 0.3 for 1e-6; the FMM path's ceiling under --fkt-tolerance; docs/fkt.md).")
  int order;

  @Option(names = "--fkt-separation", defaultValue = "0.4", paramLabel = "THETA",
      description = "FKT treecode separation ratio theta in (0, 1) (default ${DEFAULT-VALUE}; smaller is more accurate and slower).")
  double separation;

  @Option(names = "--fkt-leaf", defaultValue = "" + FktOptions.AUTOMATIC_LEAF_SIZE, paramLabel = "SIZE",
      description = "FKT leaf size; 0 takes the path's own: " + FktOptions.FMM_LEAF_SIZE + " on the FMM path, "
          + FktOptions.DEFAULT_LEAF_SIZE + " on the treecode (default ${DEFAULT-VALUE}).")
  int leaf;

  @Option(names = "--fkt-grid", defaultValue = "0", paramLabel = "Q",
      description = "FKT Chebyshev points per dimension of the FMM path's local expansions (d <= 3 only; 6 with order 8 for "
          + "about 1e-5, docs/fkt.md); 0 keeps the treecode (default ${DEFAULT-VALUE}). kernel mvm with no --fkt-* flag at all: "
          + "the FMM path with orders per level for tolerance 1e-4 (p <= 8, q <= 6, leaf 64) for d <= 3, the treecode with "
          + "p = 8, theta = 0.4 beyond.")
  int grid;

  @Option(names = "--fkt-tolerance", defaultValue = "0", paramLabel = "T",
      description = "FMM path only: choose the orders per octree level for this accuracy (e.g. 1e-4), with --fkt-order and "
          + "--fkt-grid as ceilings (docs/fkt.md); 0 uses them on every level (default ${DEFAULT-VALUE}).")
  double tolerance;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Whether any {@code --fkt-*} flag was given. */
  boolean anyGiven() {
    ParseResult parsed = command.commandLine().getParseResult();
    for (String name : NAMES) {
      if (parsed.hasMatchedOption(name)) {
        return true;
      }
    }
    return false;
  }

  /** The options: {@link FktOptions#defaults()} when no flag was given, else {@link #explicit()}. */
  FktOptions options() {
    return anyGiven() ? explicit() : FktOptions.defaults();
  }

  /** The options of the flag values as given (or at their flag defaults). */
  FktOptions explicit() {
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
    report.put("fkt_grid", fmm ? o.interpolationOrderFor(FastKernelTransform.FMM_MAX_DIMENSION) : 0);
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
