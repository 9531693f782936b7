package dev.herald.directory;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.config.DirectoryConfig;
import java.util.Optional;

/**
 * Herald's users, looked up by id or by address of record, and their credentials.
 *
 * <p>A disabled user is found like any other ({@link User#enabled()} says so), but has no
 * credentials: {@link #ha1} is empty and {@link #verifyPassword} false for them.
 *
 * <p>Implementations are thread-safe. An LDAP directory blocks for up to its configured timeout per
 * call and throws {@link DirectoryUnavailableException} when the server cannot answer; after {@link
 * #close()}, every method throws {@link IllegalStateException}.
 */
public interface Directory extends AutoCloseable {

  /**
   * The user whose address of record is {@code sipAddress}. The address is compared normalised
   * ({@code SIP:alice@Herald.TEST} finds {@code sip:alice@herald.test}; the user part is
   * case-sensitive); anything that is not a {@code sip:user@host} address finds nobody.
   */
  Optional<User> byAddress(String sipAddress);

  /** The user with this id. */
  Optional<User> byId(String id);

  /**
   * The presence allow and block lists of the user whose address of record is {@code sipAddress}
   * (compared as {@link #byAddress} does); {@link PresenceLists#NONE} when nobody has that address
   * or the user has no lists. Never blocks: the users file's lists are held in memory, and an LDAP
   * directory holds no lists (its users have only the domain policy and the decisions made through
   * Herald's API), so it answers without asking the server.
   */
  PresenceLists presenceLists(String sipAddress);

  /**
   * The stored digest HA1, {@code H(id:realm:password)} in lower-case hex, for RFC 7616 digest
   * authentication.
   *
   * @param algorithmToken {@code MD5} or {@code SHA-256}, as in the Authorization header
   * @return empty when the user is unknown or disabled, the hash for that algorithm is not stored,
   *     the realm is not the one the hashes were made for, or the directory is LDAP (which holds no
   *     hashes)
   */
  Optional<String> ha1(String id, String realm, String algorithmToken);

  /**
   * Whether {@code password} is the user's password. For a file directory, the stored HA1 is
   * compared with the one computed from the password; for LDAP, Herald binds as the user's entry.
   * An empty password is never accepted (to LDAP it would be an anonymous bind, which succeeds).
   *
   * @return false for an unknown or disabled user, and for a wrong or empty password
   */
  boolean verifyPassword(String id, String password);

  /** Releases the directory's connections; idempotent. */
  @Override
  void close();

  /**
   * Opens the directory {@code config} describes: reads the users file, or connects to LDAP and
   * binds as the service account (within the configured timeout). LDAP lookups by id and address
   * are cached for {@code directory.ldap.cache-seconds} (found and not found alike; failures and
   * password checks never).
   *
   * @throws DirectoryException if the users file cannot be read or is invalid, or the LDAP server
   *     cannot be reached, refuses the service account, or has no base DN
   */
  static Directory open(DirectoryConfig config) throws DirectoryException {
    return switch (config.source()) {
      case FILE -> FileDirectory.load(config.usersFile());
      case LDAP -> {
        Directory ldap = LdapDirectory.open(config.ldap());
        int seconds = config.ldap().cacheSeconds();
        yield seconds == 0
            ? ldap
            : new CachingDirectory(
                ldap, java.time.Duration.ofSeconds(seconds), Ticker.systemTicker());
      }
      case NONE -> FileDirectory.empty();
    };
  }
}
