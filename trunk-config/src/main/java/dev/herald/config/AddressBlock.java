package dev.herald.config;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IP address or a CIDR block ({@code 10.1.0.0/16}), as {@code security.trusted-peers} lists
 * them. A single address is a block of one: {@code 127.0.0.1} is {@code 127.0.0.1/32}.
 *
 * @param network the first address of the block; no bits are set after the prefix
 * @param prefix the number of leading bits that every address in the block shares
 */
record AddressBlock(InetAddress network, int prefix) {

  /** The block {@code text} spells, or null if it is not one; see {@link #problem(String)}. */
  static AddressBlock parse(String text) {
    return problem(text) == null ? parseUnchecked(text) : null;
  }

  /**
   * What is wrong with {@code text} as a trusted peer, or null if nothing: it must be an IP literal
   * or a CIDR block with no bits set after the prefix; wildcards and {@code /0}, which would trust
   * every address, are refused.
   */
  static String problem(String text) {
    int slash = text.indexOf('/');
    InetAddress address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      return "must be an IP address or a CIDR block such as 127.0.0.1 or 10.1.0.0/16"
          + " (host names are not resolved)";
    }
    int bits = address.getAddress().length * 8;
    if (slash < 0) {
      return address.isAnyLocalAddress()
          ? "is the wildcard address, which no peer sends from; list the peers' addresses"
          : null;
    }
    String digits = text.substring(slash + 1);
    if (digits.isEmpty()
        || digits.length() > 3
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(digits) > bits) {
      return "must have a prefix of 1.." + bits + " after the /";
    }
    int prefix = Integer.parseInt(digits);
    if (prefix == 0) {
      return "trusts every address, which would turn authentication off; list the peers";
    }
    AddressBlock block = new AddressBlock(masked(address, prefix), prefix);
    if (!block.network.equals(address)) {
      return "has bits set after the /"
          + prefix
          + " prefix; the block is "
          + block.network.getHostAddress()
          + "/"
          + prefix;
    }
    return null;
  }

  private static AddressBlock parseUnchecked(String text) {
    int slash = text.indexOf('/');
    InetAddress address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
    int prefix =
        slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
    return new AddressBlock(address, prefix);
  }

  /** Whether {@code address} is in this block; an IPv4 block holds no IPv6 address. */
  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    return candidate.length == network.getAddress().length
        && Arrays.equals(masked(address, prefix).getAddress(), network.getAddress());
  }

  private static InetAddress masked(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    return IpLiterals.fromBytes(bytes);
  }
}
