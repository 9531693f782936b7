package dev.herald.im.mapping;

import org.jxmpp.util.XmppStringUtils;

/**
 * JID escaping, XEP-0106 §4: the ten characters a localpart cannot hold become {@code \20} ...
 * {@code \5c}.
 *
 * <p>Unescaping is jxmpp's. Escaping is here because jxmpp's {@code escapeLocalpart} escapes every
 * backslash, while XEP-0106 §4.2 escapes a backslash only where it starts one of the escape
 * sequences ({@code c:\net} is {@code c\3a\net}, not {@code c\3a\5cnet}): XMPP users and other
 * gateways would see a different JID from the one the specification gives.
 */
final class Xep0106 {

  /** The characters XEP-0106 §4.1 escapes, other than the backslash. */
  private static final String ESCAPED = " \"&'/:<>@";

  /** The escape sequences of XEP-0106 §4.1, lower-case hex. */
  private static final String[] SEQUENCES = {
    "20", "22", "26", "27", "2f", "3a", "3c", "3e", "40", "5c"
  };

  private Xep0106() {}

  static String escape(String unescaped) {
    StringBuilder escaped = new StringBuilder(unescaped.length() + 8);
    for (int i = 0; i < unescaped.length(); i++) {
      char c = unescaped.charAt(i);
      if (ESCAPED.indexOf(c) >= 0) {
        escaped.append('\\').append(String.format("%02x", (int) c));
      } else if (c == '\\' && startsSequence(unescaped, i + 1)) {
        escaped.append("\\5c");
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  static String unescape(String escaped) {
    return XmppStringUtils.unescapeLocalpart(escaped);
  }

  /** Whether the two characters at {@code from} are one of the escape sequences' hex digits. */
  private static boolean startsSequence(String text, int from) {
    if (from + 2 > text.length()) {
      return false;
    }
    String two = text.substring(from, from + 2);
    for (String sequence : SEQUENCES) {
      if (sequence.equalsIgnoreCase(two)) {
        return true;
      }
    }
    return false;
  }
}
