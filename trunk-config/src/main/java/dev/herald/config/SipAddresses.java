package dev.herald.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Addresses of record as the users file and the directory hold them: {@code sip:user@host}, no
 * port, no parameters. Compared after normalising: the scheme and the host are lower-cased, the
 * user part is kept as written, since RFC 3261 §19.1.4 compares it case-sensitively.
 */
public final class SipAddresses {

  /** Characters a SIP user part may hold unescaped: unreserved and user-unreserved, §25.1. */
  private static final String USER_MARKS = "-_.!~*'()&=+$,;?/";

  private SipAddresses() {}

  /**
   * {@code text} in the form Herald compares addresses in, or empty if it is not a {@code
   * sip:user@host} URI whose host is a DNS name or an IP literal ({@code [2001:db8::1]} for IPv6).
   */
  public static Optional<String> normalize(String text) {
    if (text == null
        || text.length() < 4
        || !text.regionMatches(true, 0, "sip:", 0, 4)
        || text.indexOf('@') != text.lastIndexOf('@')
        || text.indexOf('@') < 0) {
      return Optional.empty();
    }
    int at = text.indexOf('@');
    String user = text.substring(4, at);
    String host = text.substring(at + 1);
    if (!isUser(user) || !isHost(host)) {
      return Optional.empty();
    }
    return Optional.of("sip:" + user + "@" + host.toLowerCase(Locale.ROOT));
  }

  private static boolean isUser(String user) {
    if (user.isEmpty()) {
      return false;
    }
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (c == '%') {
        if (i + 2 >= user.length() || !isHex(user.charAt(i + 1)) || !isHex(user.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!isAlphanumeric(c) && USER_MARKS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHost(String host) {
    if (host.startsWith("[") && host.endsWith("]")) {
      String literal = host.substring(1, host.length() - 1);
      return literal.indexOf(':') >= 0 && IpLiterals.parse(literal) != null;
    }
    return HostNames.isValid(host) || (host.indexOf(':') < 0 && IpLiterals.parse(host) != null);
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
