package dev.herald.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where Herald's users come from.
 *
 * @param source file, ldap, or none when the file has no {@code directory} section
 * @param usersFile the users file, resolved against the configuration file's folder (against the
 *     current directory when the configuration was not read from a file); null unless the source is
 *     {@link DirectorySource#FILE}
 * @param ldap how to reach the LDAP directory; null unless the source is {@link
 *     DirectorySource#LDAP}
 */
public record DirectoryConfig(DirectorySource source, Path usersFile, LdapConfig ldap) {

  private static final DirectoryConfig NONE = new DirectoryConfig(DirectorySource.NONE, null, null);

  public DirectoryConfig {
    Objects.requireNonNull(source, "source");
    if ((usersFile != null) != (source == DirectorySource.FILE)) {
      throw new IllegalArgumentException("a users file goes with source FILE only, was " + source);
    }
    if ((ldap != null) != (source == DirectorySource.LDAP)) {
      throw new IllegalArgumentException(
          "an LDAP config goes with source LDAP only, was " + source);
    }
  }

  /** Users from {@code usersFile}. */
  public static DirectoryConfig file(Path usersFile) {
    return new DirectoryConfig(
        DirectorySource.FILE, Objects.requireNonNull(usersFile, "usersFile"), null);
  }

  /** Users from an LDAP directory. */
  public static DirectoryConfig ldap(LdapConfig ldap) {
    return new DirectoryConfig(DirectorySource.LDAP, null, Objects.requireNonNull(ldap, "ldap"));
  }

  /** No users: what a file without a {@code directory} section gets. */
  public static DirectoryConfig none() {
    return NONE;
  }
}
