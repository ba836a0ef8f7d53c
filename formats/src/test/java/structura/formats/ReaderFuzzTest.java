package structura.formats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.StructuraException;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Seeded mutation fuzzing of the model and corpus readers: bit flips, byte overwrites,
 * truncations, splices (a slice copied elsewhere), duplicated slices and corrupted length fields
 * (the safetensors header length, protobuf varints). Every case must end in a valid result or a
 * coded {@link StructuraException}, never another exception, and within a per-case time limit
 * of 5 s (a hang fails the test). Each reader gets a fixed number of seeded cases (about 3,000 in
 * all, some 25 s on a loaded two-core machine), scaled by {@code -Dstructura.fuzz.scale=K} for a
 * longer campaign; {@value #SECONDS_PER_READER} s per reader bound the run on a slower machine
 * (fewer cases then, never a failure for it).
 */
class ReaderFuzzTest {
  static final int SECONDS_PER_READER = 10;
  private static final long SEED = 19;

  @TempDir
  Path dir;

  private static int scale() {
    return Integer.getInteger("structura.fuzz.scale", 1);
  }

  private static long deadline() {
    return System.nanoTime() + Duration.ofSeconds((long) SECONDS_PER_READER * scale()).toNanos();
  }

  /** One mutation of {@code in}: the kind and place drawn from {@code rnd}. */
  static byte[] mutate(byte[] in, SplittableRandom rnd, int lengthFieldAt) {
    byte[] b = in.clone();
    int n = b.length;
    int rounds = 1 + rnd.nextInt(3);
    for (int r = 0; r < rounds && n > 0; r++) {
      switch (rnd.nextInt(7)) {
        case 0 -> {   // bit flips
          for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
            int i = rnd.nextInt(n);
            b[i] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        case 1 -> {   // random bytes over a short run
          int i = rnd.nextInt(n);
          for (int k = i; k < Math.min(n, i + 1 + rnd.nextInt(16)); k++) {
            b[k] = (byte) rnd.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, rnd.nextInt(n)); // truncation
        case 3 -> {   // splice: a slice copied over another place
          int from = rnd.nextInt(n);
          int to = rnd.nextInt(n);
          int len = Math.min(rnd.nextInt(64) + 1, Math.min(n - from, n - to));
          System.arraycopy(b.clone(), from, b, to, len);
        }
        case 4 -> {   // a slice duplicated (inserted)
          int from = rnd.nextInt(n);
          int len = Math.min(rnd.nextInt(64) + 1, n - from);
          int at = rnd.nextInt(n);
          byte[] c = new byte[n + len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, from, c, at, len);
          System.arraycopy(b, at, c, at + len, n - at);
          b = c;
        }
        case 5 -> {   // a length field set to an extreme or nearby value
          if (lengthFieldAt >= 0 && n >= lengthFieldAt + 8) {
            long v = ByteBuffer.wrap(b, lengthFieldAt, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long[] choices = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, v + 1, v - 1, v * 2, 100_000_001L, n};
            ByteBuffer.wrap(b, lengthFieldAt, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(choices[rnd.nextInt(choices.length)]);
          } else {
            // protobuf: a byte with the varint continuation bit set, a length that runs long
            b[rnd.nextInt(n)] = (byte) (0x80 | rnd.nextInt(128));
          }
        }
        default -> {  // one byte set to a boundary value
          byte[] boundaries = {0, (byte) 0xff, 0x7f, (byte) 0x80, '"', '{', '}', '[', ']', ',', ':', '\n', '-', '9'};
          b[rnd.nextInt(n)] = boundaries[rnd.nextInt(boundaries.length)];
        }
      }
      n = b.length;
    }
    return b;
  }

  /** Runs the reader on mutants of {@code original} written to {@code file}; counts how each ended. */
  private void fuzz(String what, int cases, byte[] original, Path file, int lengthFieldAt, Function<Path, Object> read)
      throws IOException {
    SplittableRandom rnd = new SplittableRandom(SEED ^ what.hashCode());
    long deadline = deadline();
    int valid = 0;
    int coded = 0;
    int done = 0;
    for (; done < cases * scale() && System.nanoTime() < deadline; done++) {
      byte[] mutant = mutate(original, rnd, lengthFieldAt);
      Files.write(file, mutant);
      int caseNo = done;
      try {
        Object result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read.apply(file),
            () -> what + " case " + caseNo + " hangs");
        assertNotNull(result);
        valid++;
      } catch (StructuraException e) {
        assertTrue(e.getMessage().startsWith("STRUCTURA-"), e.getMessage());
        coded++;
      } catch (RuntimeException | Error e) {
        if (e instanceof org.opentest4j.AssertionFailedError) {
          throw e;
        }
        Path keep = dir.resolve("failing-" + what);
        Files.write(keep, mutant);
        fail(what + " case " + caseNo + " (seed " + SEED + ") ended in an uncoded " + e, e);
      }
    }
    assertTrue(done >= 50, what + ": only " + done + " cases ran in the time limit");
    assertTrue(coded > 0, what + ": no mutant was rejected (" + valid + " valid), so the mutations do nothing");
  }

  @Test
  void onnxReader() throws IOException {
    TransformerNetwork net = RandomNetworks.bert(11, 30, 2, 4, 8, 1);
    Path good = dir.resolve("good.onnx");
    OnnxWriter.writeBert(net, good);
    fuzz("onnx", 250, Files.readAllBytes(good), dir.resolve("mutant.onnx"), -1, OnnxModels::readBert);
  }

  @Test
  void safetensorsTensorReader() throws IOException {
    Path model = dir.resolve("model");
    Safetensors.write(RandomNetworks.bert(12, 30, 2, 4, 8, 1), model);
    fuzz("safetensors", 400, Files.readAllBytes(model.resolve("model.safetensors")), dir.resolve("mutant.safetensors"), 0,
        Safetensors::readTensors);
  }

  @Test
  void safetensorsDirectoryReaderWithMutatedConfig() throws IOException {
    Path model = dir.resolve("model");
    Safetensors.write(RandomNetworks.bert(13, 30, 2, 4, 8, 1), model);
    byte[] config = Files.readAllBytes(model.resolve("config.json"));
    fuzz("config.json", 400, config, model.resolve("config.json"), -1, f -> Safetensors.read(f.getParent()));
  }

  @Test
  void corpusReaders() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      jsonl.append("{\"text\": \"message ").append(i).append(" \\u00e9\\n with \\\"quotes\\\"\", \"label\": ")
          .append(i % 3 == 0 ? "\"spam\"" : i % 3 == 1 ? "1" : "null").append("}\n");
    }
    byte[] lines = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    fuzz("jsonl", 700, lines, dir.resolve("mutant.jsonl"), -1, TextCorpus::read);
    byte[] array = ("[" + jsonl.toString().strip().replace("\n", ",\n") + "]").getBytes(StandardCharsets.UTF_8);
    fuzz("json-array", 700, array, dir.resolve("mutant.json"), -1, TextCorpus::read);
    fuzz("plain", 700, "first text\nsecond, with ü\n\nthird\n".getBytes(StandardCharsets.UTF_8), dir.resolve("mutant.txt"), -1,
        TextCorpus::read);
  }
}
