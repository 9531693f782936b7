package dev.herald.im.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A SIP user part (RFC 3261 §25.1 {@code user}) as written in a URI and as the string it stands
 * for: {@code %XX} sequences are UTF-8 bytes.
 */
final class SipUserPart {

  /** Characters a SIP user part may hold unescaped besides letters and digits (§25.1). */
  private static final String UNESCAPED = "-_.!~*'()&=+$,;?/";

  private SipUserPart() {}

  /** The string {@code written} stands for; null when its escapes are broken or not UTF-8. */
  static String decode(String written) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(written.length());
    for (int i = 0; i < written.length(); i++) {
      char c = written.charAt(i);
      if (c == '%') {
        if (i + 2 >= written.length()) {
          return null;
        }
        int high = Character.digit(written.charAt(i + 1), 16);
        int low = Character.digit(written.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // a URI is ASCII
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** {@code user} as a URI's user part: what §25.1 does not allow as is is {@code %XX}-escaped. */
  static String encode(String user) {
    StringBuilder written = new StringBuilder(user.length() + 8);
    for (byte b : user.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (c < 0x80 && UNESCAPED.indexOf(c) >= 0);
      if (plain) {
        written.append((char) c);
      } else {
        written.append('%').append(String.format("%02X", c));
      }
    }
    return written.toString();
  }
}
