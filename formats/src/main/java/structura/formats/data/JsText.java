package structura.formats.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JavaScript text rules the data files were defined with and still follow: JavaScript's white
 * space for {@code trim} (wider than {@link String#strip}: it includes U+FEFF and no-break spaces),
 * UTF-8 encoding with a lone surrogate as U+FFFD (the JDK writes '?'; the split hashes and
 * {@link MailText} use it), and {@code JSON.stringify} of a string (the JSON lines of
 * {@link SpamAssassinSplits} and {@link TextPassages}). Package-private.
 */
final class JsText {
  private JsText() {}

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
