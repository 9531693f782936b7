package dev.herald.im.routing;

import dev.herald.im.mapping.ImText;
import dev.herald.sip.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bodies a SIP MESSAGE may carry through Herald, read into {@link ImText}: {@code text/plain}
 * and {@code message/cpim} (RFC 3862) around {@code text/plain}. Pure: no I/O.
 */
public final class MessageBodies {

  /** The types listed in {@code Accept} of a 415. */
  public static final String ACCEPT = "text/plain, message/cpim";

  /**
   * The largest body Herald relays, in bytes. RFC 3428 §8: a MESSAGE over a transport without
   * congestion control should stay within 1300 bytes (the MTU being unknown), and longer content
   * belongs in a session (MSRP). Herald's outgoing leg may be UDP whatever the incoming one was, so
   * the bound applies to every MESSAGE, and to XMPP messages going to SIP.
   */
  public static final int MAX_BODY_BYTES = 1300;

  private MessageBodies() {}

  /** What a body read to: the text, or why it is refused. */
  public sealed interface Result permits Text, Refused {}

  public record Text(ImText text) implements Result {}

  public record Refused(Rejection rejection) implements Result {}

  /**
   * Reads a MESSAGE body.
   *
   * @param contentType the Content-Type's type/subtype, or null when the request had none
   * @param charset the charset parameter, or null
   * @param body the body's bytes
   * @param sipSubject the Subject header, or null
   */
  public static Result read(String contentType, String charset, byte[] body, String sipSubject) {
    if (body.length == 0) {
      return refused(400, "Bad Request (MESSAGE without a body: there is no message to deliver)");
    }
    if (body.length > MAX_BODY_BYTES) {
      return refused(
          513,
          "Message Too Large (body of "
              + body.length
              + " bytes; Herald relays at most "
              + MAX_BODY_BYTES
              + ", RFC 3428 §8)");
    }
    if (contentType == null) {
      return unsupported("no Content-Type");
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    String subject = sipSubject == null ? "" : sipSubject.strip();
    if (type.equals("text/plain")) {
      String text = decode(body, charset);
      return text == null
          ? refused(400, "Bad Request (the body is not " + charsetName(charset) + " text)")
          : new Text(new ImText(text, subject));
    }
    if (type.equals("message/cpim")) {
      return cpim(body, subject);
    }
    return unsupported(contentType);
  }

  /**
   * RFC 3862 §2: message headers, a blank line, the encapsulated MIME headers, a blank line, the
   * content. Herald reads the message headers' Subject (the first one, §3.5) and carries text/plain
   * content; anything else inside is refused.
   */
  private static Result cpim(byte[] bytes, String sipSubject) {
    String all = new String(bytes, StandardCharsets.UTF_8); // RFC 3862 §3.1: headers are UTF-8
    int[] cursor = {0};
    String subject = sipSubject;
    boolean subjectSeen = false;
    String line;
    while ((line = nextLine(all, cursor)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        return refused(400, "Bad Request (message/cpim header without a colon: " + line + ")");
      }
      String name = line.substring(0, colon).strip();
      String value = line.substring(colon + 1);
      if (name.equalsIgnoreCase("Subject") && !subjectSeen) {
        // Subject:;lang=fr text: a language parameter precedes the text (RFC 3862 §3.5).
        if (value.startsWith(";")) {
          int space = value.indexOf(' ');
          value = space < 0 ? "" : value.substring(space + 1);
        }
        subject = value.strip();
        subjectSeen = true;
      }
    }
    if (line == null) {
      return refused(400, "Bad Request (message/cpim without encapsulated MIME headers)");
    }
    String innerType = null;
    String innerCharset = null;
    while ((line = nextLine(all, cursor)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Type")) {
        String[] parts = line.substring(colon + 1).split(";");
        innerType = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
          String[] kv = parts[i].split("=", 2);
          if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
            innerCharset = kv[1].strip().replace("\"", "");
          }
        }
      }
    }
    if (line == null) {
      return refused(400, "Bad Request (message/cpim without content after its MIME headers)");
    }
    if (!"text/plain".equals(innerType)) {
      return unsupported(
          "message/cpim carrying " + (innerType == null ? "no Content-Type" : innerType));
    }
    // The content is bytes in its own charset; the headers before it were ASCII or UTF-8.
    int offset = all.substring(0, cursor[0]).getBytes(StandardCharsets.UTF_8).length;
    byte[] content = java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
    String text = decode(content, innerCharset);
    if (text == null) {
      return refused(
          400,
          "Bad Request (the message/cpim content is not " + charsetName(innerCharset) + " text)");
    }
    return new Text(new ImText(text, subject));
  }

  /** The next line from {@code cursor} (CRLF or LF ended), or null at the end of the text. */
  private static String nextLine(String text, int[] cursor) {
    if (cursor[0] >= text.length()) {
      return null;
    }
    int lf = text.indexOf('\n', cursor[0]);
    int end = lf < 0 ? text.length() : lf;
    String line = text.substring(cursor[0], end);
    cursor[0] = lf < 0 ? text.length() : lf + 1;
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /** The bytes as text in {@code charset} (UTF-8 when null), or null when they are not. */
  private static String decode(byte[] bytes, String charset) {
    Charset cs;
    try {
      cs = charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      return cs.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String charsetName(String charset) {
    return charset == null ? "UTF-8" : charset;
  }

  private static Result unsupported(String what) {
    // The caller adds the Accept headers: one per type (a header list cannot be a Rejection's).
    return new Refused(
        Rejection.of(415, "Unsupported Media Type (" + what + "; Herald relays " + ACCEPT + ")"));
  }

  private static Result refused(int status, String reason) {
    return new Refused(Rejection.of(status, reason));
  }
}
