package dev.herald.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What makes a UDP request datagram a retransmission of another (issue 7): its method, its top
 * Via's RFC 3261 branch (RFC 3261 §17.2.3) and where it came from, read from its bytes without
 * parsing it. Null for anything else: a response, a request whose branch lacks the magic cookie
 * (RFC 2543 matching needs the whole request), a folded or odd header section.
 */
public final class RequestKey {
  private RequestKey() {}

  /** The key of a request datagram, or null (see the class). */
  public static String of(byte[] b, int offset, int length, String source) {
    int end = offset + length;
    int i = offset;
    while (i < end && (b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    int sp = i;
    while (sp < end && b[sp] != ' ' && b[sp] != '\r' && b[sp] != '\n') {
      sp++;
    }
    if (sp == i || sp >= end || b[sp] != ' ' || (sp - i == 7 && b[i] == 'S' && b[i + 3] == '/')) {
      return null; // no request line (a status line starts "SIP/2.0 ")
    }
    String method = new String(b, i, sp - i, StandardCharsets.ISO_8859_1);
    int line = next(b, sp, end);
    while (line >= 0 && line < end) {
      int lineEnd = line;
      while (lineEnd < end && b[lineEnd] != '\n') {
        lineEnd++;
      }
      if (lineEnd == end) {
        return null; // the header section does not end: not a whole message
      }
      int contentEnd = lineEnd > line && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
      if (contentEnd == line || b[line] == ' ' || b[line] == '\t') {
        return null; // the end of the headers without a Via, or a folded line
      }
      int colon = line;
      while (colon < contentEnd && b[colon] != ':') {
        colon++;
      }
      if (colon < contentEnd) {
        String name =
            new String(b, line, colon - line, StandardCharsets.ISO_8859_1)
                .trim()
                .toLowerCase(Locale.ROOT);
        if (name.equals("via") || name.equals("v")) {
          if (lineEnd + 1 < end && (b[lineEnd + 1] == ' ' || b[lineEnd + 1] == '\t')) {
            return null; // the Via goes on on a folded line
          }
          String branch =
              UdpClientTransactions.RawResponse.branch(
                  new String(b, colon + 1, contentEnd - colon - 1, StandardCharsets.ISO_8859_1));
          if (branch == null || !branch.regionMatches(true, 0, "z9hG4bK", 0, 7)) {
            return null;
          }
          return of(method, branch, source);
        }
      }
      line = next(b, lineEnd, end);
    }
    return null;
  }

  /**
   * The key of a request with this method, top Via branch (RFC 3261, with the magic cookie) and
   * source ("address:port", the address as {@link java.net.InetAddress#getHostAddress()} writes
   * it), as {@link #of(byte[], int, int, String)} makes it from the request's bytes.
   */
  public static String of(String method, String branch, String source) {
    return method + ' ' + branch.toLowerCase(Locale.ROOT) + ' ' + source;
  }

  /**
   * JAIN-SIP's transaction id for the request a key was made of (its lower-cased RFC 3261 branch;
   * CANCEL's is the method's own, so a CANCEL key gives null), to look for its server transaction.
   */
  public static String transactionId(String key) {
    int first = key.indexOf(' ');
    int second = key.indexOf(' ', first + 1);
    String method = key.substring(0, first);
    return method.equals("CANCEL") || method.equals("ACK")
        ? null
        : key.substring(first + 1, second);
  }

  /** The index after the next LF from {@code from}, or -1. */
  private static int next(byte[] b, int from, int end) {
    for (int k = from; k < end; k++) {
      if (b[k] == '\n') {
        return k + 1;
      }
    }
    return -1;
  }
}
