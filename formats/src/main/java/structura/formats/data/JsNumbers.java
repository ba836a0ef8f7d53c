package structura.formats.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers printed as JavaScript prints them ({@code String(x)}, {@code x.toPrecision(p)},
 * {@code x.toFixed(f)}; ECMA-262 Number.prototype), which is how the data files were first
 * written. {@code toPrecision} and {@code toFixed} round the exact binary value, ties away from
 * zero, as the specification's "pick the larger n" does for the magnitude.
 */
final class JsNumbers {
  private JsNumbers() {}

  /** {@code String(x)}: the shortest round-trip digits, plain between 1e-7 and 1e21. */
  static String string(double x) {
    if (x == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(x)).stripTrailingZeros();   // JDK 19+: shortest digits
    double a = Math.abs(x);
    if (a >= 1e-7 && a < 1e21) {
      return d.toPlainString();
    }
    return exponential(x < 0, d.unscaledValue().abs().toString(), exponent(d));
  }

  /** {@code x.toPrecision(p)} for finite x and 1 &lt;= p &lt;= 100. */
  static String toPrecision(double x, int p) {
    if (x == 0) {
      return p == 1 ? "0" : "0." + "0".repeat(p - 1);   // -0 prints as 0
    }
    BigDecimal rounded = new BigDecimal(Math.abs(x)).round(new MathContext(p, RoundingMode.HALF_UP));
    int e = exponent(rounded);
    String digits = rounded.unscaledValue().toString();
    digits = digits.length() >= p ? digits.substring(0, p) : digits + "0".repeat(p - digits.length());
    String sign = x < 0 ? "-" : "";
    if (e < -6 || e >= p) {
      return exponential(x < 0, digits, e);
    }
    if (e >= 0) {
      return sign + digits.substring(0, e + 1) + (e + 1 < p ? "." + digits.substring(e + 1) : "");
    }
    return sign + "0." + "0".repeat(-e - 1) + digits;
  }

  /** {@code x.toFixed(f)} for finite |x| &lt; 1e21 and 0 &lt;= f &lt;= 100. */
  static String toFixed(double x, int f) {
    String s = new BigDecimal(Math.abs(x)).setScale(f, RoundingMode.HALF_UP).toPlainString();
    return x < 0 ? "-" + s : s;   // as in JavaScript: (-0.001).toFixed(2) is "-0.00", (-0).toFixed(2) "0.00"
  }

  /** The decimal exponent of the leading digit. */
  private static int exponent(BigDecimal d) {
    return d.precision() - 1 - d.scale();
  }

  private static String exponential(boolean negative, String digits, int e) {
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (negative ? "-" : "") + mantissa + "e" + (e >= 0 ? "+" : "-") + Math.abs(e);
  }
}
