package dev.herald.config;

/**
 * Where Herald finds its users. The YAML spells them in lower case: {@code file}, {@code ldap},
 * {@code none}.
 */
public enum DirectorySource {
  /** A users file of Herald's own, with digest HA1 hashes (see {@link UsersFileLoader}). */
  FILE,
  /** An LDAP directory, searched with a service account; it holds no digest hashes. */
  LDAP,
  /**
   * No users at all, what a file without a {@code directory} section means: only trusted peers are
   * served.
   */
  NONE
}
