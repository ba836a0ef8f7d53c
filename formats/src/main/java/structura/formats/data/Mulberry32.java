package structura.formats.data;

/**
 * mulberry32, the small seeded generator (Tommy Ettinger's) the kernel data splits were first made
 * with in JavaScript, ported with int arithmetic so that the same seed gives the same sequence
 * bit for bit: {@code Math.imul} is int multiplication, {@code >>>} the same shift, {@code | 0}
 * the int wrap-around Java has anyway. Not for anything but reproducing those splits.
 */
final class Mulberry32 {
  private int state;

  Mulberry32(int seed) {
    this.state = seed;
  }

  /** The next number in [0, 1): the 32-bit output divided by 2^32, as the JavaScript returns it. */
  double next() {
    state += 0x6D2B79F5;
    int t = (state ^ (state >>> 15)) * (1 | state);
    t = (t + ((t ^ (t >>> 7)) * (61 | t))) ^ t;
    return ((t ^ (t >>> 14)) & 0xFFFFFFFFL) / 4294967296.0;
  }
}
