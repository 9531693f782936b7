package dev.herald.directory;

import java.util.List;
import java.util.Objects;

/**
 * A user as the directory knows them.
 *
 * @param id the user's id: the digest username, the LDAP id attribute's value
 * @param addresses the user's addresses of record, normalised ({@code sip:user@host}, lower-case
 *     host); may be empty for an LDAP entry without any
 * @param displayName the name shown for the user; the id when the directory has none
 * @param enabled whether the user may authenticate; a disabled user is still found, so that a
 *     caller can tell "disabled" from "unknown"
 */
public record User(String id, List<String> addresses, String displayName, boolean enabled) {

  public User {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(displayName, "displayName");
  }
}
