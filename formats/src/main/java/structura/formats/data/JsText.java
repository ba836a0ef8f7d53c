package structura.formats.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few JavaScript (Node.js) text semantics that {@link SpamAssassinSplits} must reproduce to
 * write byte for byte what the earlier Node converter wrote: JavaScript's whitespace ({@code \s},
 * {@code trim}), Node's lenient base64, the WHATWG UTF-8 decoder (one U+FFFD per maximal invalid
 * subpart, where the JDK's decoder may merge several), UTF-8 encoding of lone surrogates as U+FFFD,
 * and {@code JSON.stringify} of a string. Package-private.
 */
final class JsText {
  private JsText() {}

  /** JavaScript's {@code \s} as a Java regex character class (the JDK's {@code \s} is ASCII only). */
  static final String SPACE = "[\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";

  /** JavaScript's {@code .}: any UTF-16 unit but the line terminators. */
  static final String ANY = "[^\\n\\r\\u2028\\u2029]";

  static boolean isSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000',
          '\uFEFF' -> true;
      default -> c >= '\u2000' && c <= '\u200A';
    };
  }

  static String trim(String s) {
    return trimEnd(trimStart(s));
  }

  static String trimStart(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String trimEnd(String s) {
    int e = s.length();
    while (e > 0 && isSpace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(0, e);
  }

  /** {@code Buffer.toString('latin1')}: one char per byte. */
  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** {@code Buffer.toString('utf8')}: the WHATWG UTF-8 decoder, U+FFFD for each maximal invalid subpart. */
  static String utf8(byte[] b) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        out.append((char) c);
        i++;
        continue;
      }
      int need;
      int lower = 0x80;
      int upper = 0xBF;
      int cp;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0) {
          lower = 0xA0;
        } else if (c == 0xED) {
          upper = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0) {
          lower = 0x90;
        } else if (c == 0xF4) {
          upper = 0x8F;
        }
      } else {
        out.append('\uFFFD');
        i++;
        continue;
      }
      int j = i + 1;
      boolean ok = true;
      for (int k = 0; k < need; k++, j++) {
        if (j >= b.length) {
          ok = false;
          break;
        }
        int d = b[j] & 0xff;
        if (d < lower || d > upper) {
          ok = false;
          break;
        }
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (d & 0x3F);
      }
      if (ok) {
        out.appendCodePoint(cp);
        i = j;
      } else {
        out.append('\uFFFD');   // the lead byte and the valid continuation bytes so far
        i = j;
      }
    }
    return out.toString();
  }

  /** {@code Buffer.from(s, 'utf8')}: UTF-8, with a lone surrogate encoded as U+FFFD (the JDK writes '?'). */
  static byte[] utf8Bytes(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      int cp = ch;
      if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        cp = Character.toCodePoint(ch, s.charAt(++i));
      } else if (Character.isSurrogate(ch)) {
        cp = 0xFFFD;
      }
      if (cp < 0x80) {
        out.write(cp);
      } else if (cp < 0x800) {
        out.write(0xC0 | cp >> 6);
        out.write(0x80 | cp & 0x3F);
      } else if (cp < 0x10000) {
        out.write(0xE0 | cp >> 12);
        out.write(0x80 | cp >> 6 & 0x3F);
        out.write(0x80 | cp & 0x3F);
      } else {
        out.write(0xF0 | cp >> 18);
        out.write(0x80 | cp >> 12 & 0x3F);
        out.write(0x80 | cp >> 6 & 0x3F);
        out.write(0x80 | cp & 0x3F);
      }
    }
    return out.toByteArray();
  }

  /**
   * {@code Buffer.from(s, 'base64')}: both alphabets ({@code +/} and {@code -_}), other characters
   * skipped, decoding stops at the first {@code '='}, and a final partial group yields the whole
   * bytes it holds.
   */
  static byte[] base64(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4 + 3);
    int acc = 0;
    int bits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v;
      if (c >= 'A' && c <= 'Z') {
        v = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        v = c - 'a' + 26;
      } else if (c >= '0' && c <= '9') {
        v = c - '0' + 52;
      } else if (c == '+' || c == '-') {
        v = 62;
      } else if (c == '/' || c == '_') {
        v = 63;
      } else if (c == '=') {
        break;   // padding: the end of the data
      } else {
        continue;   // whitespace and other characters are skipped
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.write((acc >> bits) & 0xff);
      }
    }
    return out.toByteArray();
  }

  /** {@code JSON.stringify} of a string: quotes, and escapes for '"', '\\', controls and lone surrogates. */
  static void stringify(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean lone = Character.isHighSurrogate(c) ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
              : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
