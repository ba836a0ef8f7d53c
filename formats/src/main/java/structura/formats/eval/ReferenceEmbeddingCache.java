package structura.formats.eval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.formats.LabeledText;

/**
 * The reference model's embeddings of a split, kept on disk between evaluations: evaluating many
 * compressed models against one original (the results table: 14 models) embeds the original's
 * texts once instead of 14 times, which is most of an evaluation's time (the original is the
 * slower model).
 *
 * <p>An entry is found only by a SHA-256 over everything the embeddings depend on: the bytes of
 * the model file and of the tokenizer, the maximum length, the pooling, the batch size (batches
 * set the padding ONNX Runtime sees) and every text in order. Any change misses the cache; nothing
 * is ever reused for other inputs. Entries are written to a temporary file and moved into place.
 * Format: int n, int d, then n·d big-endian float32, row by row.
 */
final class ReferenceEmbeddingCache {
  private final Path dir;
  private final String modelKey;

  /**
   * @param dir the cache folder (created when needed)
   * @param model the reference's ONNX file
   * @param tokenizer its tokenizer.json
   */
  ReferenceEmbeddingCache(Path dir, Path model, Path tokenizer, int maxLength, boolean meanPooling, int batchSize) {
    this.dir = dir;
    this.modelKey = "structura reference embeddings v1\n" + sha256(model) + "\n" + sha256(tokenizer) + "\n" + maxLength + "\n"
        + (meanPooling ? "mean" : "cls") + "\n" + batchSize + "\n";
  }

  /** The file of one split's embeddings. */
  Path file(List<LabeledText> texts) {
    MessageDigest md = digest();
    md.update(modelKey.getBytes(StandardCharsets.UTF_8));
    md.update(Integer.toString(texts.size()).getBytes(StandardCharsets.UTF_8));
    for (LabeledText t : texts) {
      md.update((byte) 0);
      md.update(t.text().getBytes(StandardCharsets.UTF_8));
    }
    return dir.resolve(HexFormat.of().formatHex(md.digest()) + ".f32");
  }

  /** The cached embeddings of these texts, if present. */
  Optional<float[][]> read(List<LabeledText> texts) {
    Path f = file(texts);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
      int n = in.readInt();
      int d = in.readInt();
      if (n != texts.size() || d < 1) {
        return Optional.empty();
      }
      float[][] x = new float[n][d];
      for (float[] row : x) {
        for (int j = 0; j < d; j++) {
          row[j] = in.readFloat();
        }
      }
      return Optional.of(x);
    } catch (IOException e) {
      return Optional.empty();   // a damaged entry is recomputed and replaced
    }
  }

  /** Stores the embeddings of these texts. */
  void write(List<LabeledText> texts, float[][] x) {
    Path f = file(texts);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".embeddings-", ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(x.length);
        out.writeInt(x.length == 0 ? 0 : x[0].length);
        for (float[] row : x) {
          for (float v : row) {
            out.writeFloat(v);
          }
        }
      }
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, "cannot write the reference embeddings to " + f + ": "
          + e.getMessage() + ".", "Pass a writable --reference-cache folder, or leave the option out.", e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String sha256(Path file) {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new StructuraException(ErrorCode.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage() + ".",
          "Check that the file exists and is readable.", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
