package dev.herald.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whose telephony presence (phone state) a {@link Trunk} is the source of: either listed addresses
 * and whole domains, or every user not homed on Herald.
 *
 * <p>In the YAML, {@code telephony-source} is either the word {@code not-homed}, or a list whose
 * entries are {@code sip:user@host} addresses and {@code *@domain} patterns (every address of the
 * domain). Absent, the trunk is the source of nobody's telephony presence.
 *
 * @param notHomed whether the trunk speaks for every address that is not a user of Herald's
 *     directory; then {@code entries} is empty
 * @param entries normalised {@code sip:user@host} addresses and {@code *@domain} patterns
 *     (lower-case domain), no duplicates
 */
public record TelephonySource(boolean notHomed, List<String> entries) {

  /** The keyword for every user not homed on Herald. */
  public static final String NOT_HOMED = "not-homed";

  /** The prefix of an entry that stands for a whole domain. */
  public static final String WHOLE_DOMAIN = "*@";

  /** The source of nobody's telephony presence: a trunk without {@code telephony-source}. */
  public static final TelephonySource NOBODY = new TelephonySource(false, List.of());

  public TelephonySource {
    entries = List.copyOf(entries);
    if (notHomed && !entries.isEmpty()) {
      throw new IllegalArgumentException("not-homed takes no entries");
    }
  }

  /** Every user not homed on Herald. */
  public static TelephonySource notHomedUsers() {
    return new TelephonySource(true, List.of());
  }

  /**
   * Whether the trunk is the source of {@code address}'s telephony presence.
   *
   * @param address a {@code sip:user@host} address as {@link SipAddresses#normalize} gives it
   * @param homed whether that address is a user of Herald's directory
   */
  public boolean covers(String address, boolean homed) {
    Objects.requireNonNull(address, "address");
    if (notHomed) {
      return !homed;
    }
    int at = address.lastIndexOf('@');
    String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    for (String entry : entries) {
      if (entry.startsWith(WHOLE_DOMAIN)
          ? entry.substring(WHOLE_DOMAIN.length()).equals(domain)
          : entry.equals(address)) {
        return true;
      }
    }
    return false;
  }
}
