package dev.herald.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/*
 * Design note: InetAddress.getByName resolves host names through DNS, which must not happen while
 * the configuration is checked (start-up would then depend on the resolver, and "localhost" could
 * bind anywhere). So IPv4 is parsed here, strictly dotted-quad, and only text that can be nothing
 * but an IPv6 literal (hex digits, colons and dots, a colon among them, starting with a hex digit
 * or a colon) reaches getByName, which takes it as a literal and never looks it up.
 */

/** Parses IP address literals without ever resolving a name. */
final class IpLiterals {

  private IpLiterals() {}

  /** The address {@code text} spells, or null if it is not an IPv4 or IPv6 literal. */
  static InetAddress parse(String text) {
    return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
  }

  /** The address of 4 or 16 bytes; nothing is looked up. */
  static InetAddress fromBytes(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
    }
  }

  private static InetAddress parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      // Leading zeros are refused: some tools read 010 as octal 8, others as decimal 10.
      if (part.isEmpty()
          || part.length() > 3
          || !isDecimal(part)
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return null;
      }
      bytes[i] = (byte) octet;
    }
    return fromBytes(bytes);
  }

  private static InetAddress parseIpv6(String text) {
    char first = text.charAt(0);
    if (first != ':' && Character.digit(first, 16) < 0) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ':' && c != '.' && !isHexDigit(c)) {
        return null; // also refuses zone ids (fe80::1%eth0) and brackets
      }
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isDecimal(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
