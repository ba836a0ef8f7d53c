package structura.formats.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyFactory;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * The readable text of one mail, {@code "Subject: <subject>\n\n<body>"}: the message is parsed by
 * Apache Mime4j's DOM, HTML is reduced to text by {@link HtmlText} (jsoup).
 *
 * <ul>
 *   <li>Subject: the header's value with RFC 2047 encoded words decoded by Mime4j
 *       ({@code Message.getSubject()}); other headers are dropped.
 *   <li>Body: the text/plain and text/html leaves of the MIME tree (multiparts and attached
 *       message/rfc822 walked to a depth of {@value #MAX_DEPTH}; parts with
 *       {@code Content-Disposition: attachment} and non-text types skipped). If any text/plain
 *       leaf exists, all of them, joined by a blank line, are the body; otherwise the HTML leaves
 *       reduced to text.
 *   <li>Transfer encodings (base64, quoted-printable) are undone by Mime4j. Charsets: the package
 *       ships each mail as a JSON string (the original bytes decoded as UTF-8, undecodable bytes
 *       already U+FFFD), so the mail is re-encoded as UTF-8 before parsing. A part without a
 *       transfer encoding (7bit, 8bit, binary) therefore holds that UTF-8 and is read as UTF-8
 *       whatever its declared charset. A base64 or quoted-printable part holds the original bytes
 *       and is read in its declared charset, with the WHATWG label mapping for the common
 *       mislabel (iso-8859-1 and us-ascii read as windows-1252, their superset that mailers
 *       actually wrote); a missing or unknown charset is UTF-8 when the bytes are valid UTF-8,
 *       else windows-1252. Malformed input becomes U+FFFD.
 *   <li>Tidying: C0 controls but tab and line breaks removed, CR LF and CR as LF, runs of spaces,
 *       tabs and no-break spaces as one space, lines trimmed (JavaScript's white space), at most
 *       one blank line in a row, the whole trimmed; the subject on one line; the text cut at
 *       {@value #MAX_CHARS} chars (never inside a surrogate pair). "" when nothing is readable.
 * </ul>
 *
 * Mime4j runs with a lenient configuration: no line-length or header limits, strict parsing
 * off, decoding problems silently repaired. Cost: linear in the mail's size.
 */
final class MailText {
  /** The longest text kept, in UTF-16 units. */
  static final int MAX_CHARS = 8192;
  private static final int MAX_DEPTH = 8;

  private static final MimeConfig LENIENT = MimeConfig.custom()
      .setStrictParsing(false)
      .setMaxLineLen(-1)
      .setMaxHeaderCount(-1)
      .setMaxHeaderLen(-1)
      .setMaxTotalHeaderCount(-1)
      .setMaxTotalHeaderLen(-1)
      .setMaxContentLen(-1)
      .build();
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private record Leaf(String type, String text) {}

  /**
   * Mime4j's default factory decodes a text body in its declared charset when it is parsed (the
   * default us-ascii turns every non-ASCII byte into U+FFFD). This one keeps the bytes: Latin-1
   * maps each byte to one char and back, so {@code getInputStream()} returns the part's bytes
   * (transfer encoding undone) and {@link #decode} reads them once, by the rules above.
   */
  private static final BodyFactory BYTES_UNCHANGED = new BodyFactory() {
    @Override
    public BinaryBody binaryBody(InputStream in) throws IOException {
      return BasicBodyFactory.INSTANCE.binaryBody(in);
    }

    @Override
    public TextBody textBody(InputStream in, String mimeCharset) throws IOException {
      return BasicBodyFactory.INSTANCE.textBody(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  };

  private MailText() {}

  /**
   * The text of a mail given as the package stores it (a string holding the RFC 822 message).
   *
   * @throws IllegalStateException for a mail beyond Mime4j's part count or nesting limits
   */
  static String of(String rawMail) {
    Message message = parse(JsText.utf8Bytes(rawMail));
    List<Leaf> leaves = new ArrayList<>();
    collect(message, 0, leaves);
    List<String> plain = leaves.stream().filter(l -> l.type().equals("text/plain")).map(Leaf::text).toList();
    List<String> chosen = !plain.isEmpty() ? plain
        : leaves.stream().filter(l -> l.type().equals("text/html")).map(l -> HtmlText.of(l.text())).toList();
    String subject = tidy(message.getSubject() == null ? "" : message.getSubject()).replace('\n', ' ');
    String text = tidy(String.join("\n\n", chosen));
    String out = (subject.isEmpty() ? "" : "Subject: " + subject + (text.isEmpty() ? "" : "\n\n")) + text;
    if (out.length() > MAX_CHARS) {
      int end = MAX_CHARS;
      if (Character.isHighSurrogate(out.charAt(end - 1))) {
        end--;   // never split a surrogate pair
      }
      out = JsText.trimEnd(out.substring(0, end));
    }
    return out;
  }

  private static Message parse(byte[] mail) {
    DefaultMessageBuilder builder = new DefaultMessageBuilder();
    builder.setMimeEntityConfig(LENIENT);
    builder.setDecodeMonitor(DecodeMonitor.SILENT);
    builder.setBodyFactory(BYTES_UNCHANGED);
    try {
      return builder.parseMessage(new ByteArrayInputStream(mail));
    } catch (MimeIOException e) {
      // lenient parsing reports no malformed input; only the limits left in LENIENT (parts, nesting) can throw
      throw new IllegalStateException("a mail beyond Mime4j's part or nesting limits", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);   // an in-memory stream: not reached
    }
  }

  /** Appends the text leaves of {@code entity}, depth first, in document order. */
  private static void collect(Entity entity, int depth, List<Leaf> leaves) {
    Body body = entity.getBody();
    if (body instanceof Multipart multipart) {
      if (depth < MAX_DEPTH) {
        multipart.getBodyParts().forEach(part -> collect(part, depth + 1, leaves));
      }
      return;
    }
    if (body instanceof Message inner) {   // message/rfc822
      if (depth < MAX_DEPTH) {
        collect(inner, depth + 1, leaves);
      }
      return;
    }
    String type = entity.getMimeType().toLowerCase(Locale.ROOT);
    boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType());
    if ((type.equals("text/plain") || type.equals("text/html")) && !attachment && body instanceof SingleBody single) {
      leaves.add(new Leaf(type, decode(single, entity.getContentTransferEncoding(), entity.getCharset())));
    }
  }

  private static final Pattern UNCHANGED_ENCODINGS = Pattern.compile("7bit|8bit|binary");

  private static String decode(SingleBody body, String transferEncoding, String declaredCharset) {
    byte[] bytes;
    try (InputStream in = body.getInputStream()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);   // in-memory storage: not reached
    }
    String encoding = transferEncoding == null ? "7bit" : transferEncoding.trim().toLowerCase(Locale.ROOT);
    if (UNCHANGED_ENCODINGS.matcher(encoding).matches()) {
      return new String(bytes, StandardCharsets.UTF_8);   // the package's own UTF-8, see the class comment
    }
    return new String(bytes, charset(declaredCharset, bytes));
  }

  /** The charset a base64 or quoted-printable part is read in; see the class comment. */
  static Charset charset(String declared, byte[] bytes) {
    String label = declared == null ? "" : declared.trim().toLowerCase(Locale.ROOT);
    Charset named = label.isEmpty() ? null : CharsetUtil.lookup(label);
    if (named == null || named.equals(StandardCharsets.US_ASCII)) {
      return isUtf8(bytes) ? StandardCharsets.UTF_8 : WINDOWS_1252;
    }
    return named.equals(StandardCharsets.ISO_8859_1) ? WINDOWS_1252 : named;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n?");
  private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]");
  private static final Pattern BLANKS = Pattern.compile("[ \\t\\u00a0]+");
  private static final Pattern MANY_NEWLINES = Pattern.compile("\\n{3,}");

  /** The whitespace rules of the class comment. */
  static String tidy(String s) {
    String t = CONTROLS.matcher(s).replaceAll("");
    t = LINE_BREAK.matcher(t).replaceAll("\n");
    String[] lines = t.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = JsText.trim(BLANKS.matcher(lines[i]).replaceAll(" "));
    }
    t = String.join("\n", lines);
    t = MANY_NEWLINES.matcher(t).replaceAll("\n\n");
    return JsText.trim(t);
  }
}
