package dev.herald.config;

import java.util.List;
import java.util.Objects;

/**
 * One user of a users file.
 *
 * @param id the digest username; letters, digits and {@code . _ - +}, unique in the file
 * @param addresses the user's addresses of record, normalised ({@link SipAddresses}); never empty,
 *     none claimed by another user
 * @param displayName the name shown for the user; the id when the file gives none
 * @param enabled whether the user may register and publish; the file's default is true
 * @param ha1Md5 {@code MD5(id:realm:password)} in lower-case hex, or null
 * @param ha1Sha256 {@code SHA-256(id:realm:password)} in lower-case hex, or null; at least one of
 *     the two is given
 * @param presenceAllow watchers always allowed to see this user's presence, whatever the domain
 *     policy: normalised SIP addresses ({@code sip:bob@herald.test}) and whole domains ({@code
 *     *@partner.example}, lower-case); empty when the file gives none
 * @param presenceBlock watchers politely blocked, in the same form; a watcher on both lists is
 *     blocked (the file may not name the same entry on both)
 */
public record UserEntry(
    String id,
    List<String> addresses,
    String displayName,
    boolean enabled,
    String ha1Md5,
    String ha1Sha256,
    List<String> presenceAllow,
    List<String> presenceBlock) {

  /** The prefix of a list entry that stands for every watcher of a domain: {@code *@}. */
  public static final String WHOLE_DOMAIN = "*@";

  public UserEntry {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(displayName, "displayName");
    if (ha1Md5 == null && ha1Sha256 == null) {
      throw new IllegalArgumentException("user " + id + " has neither ha1Md5 nor ha1Sha256");
    }
    presenceAllow = List.copyOf(presenceAllow);
    presenceBlock = List.copyOf(presenceBlock);
  }

  /** A user with no presence allow or block list. */
  public UserEntry(
      String id,
      List<String> addresses,
      String displayName,
      boolean enabled,
      String ha1Md5,
      String ha1Sha256) {
    this(id, addresses, displayName, enabled, ha1Md5, ha1Sha256, List.of(), List.of());
  }
}
