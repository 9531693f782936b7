package dev.herald.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The users of a users file, as {@link UsersFileLoader} returns them after validation. Passwords
 * are stored only as digest HA1 hashes, {@code H(id:realm:password)} (RFC 7616 §3.4.2), so the file
 * is worth less to a thief than passwords would be, though an HA1 still opens its realm.
 *
 * @param realm the digest realm every hash was computed for
 * @param users in file order; ids unique, no address claimed twice
 */
public record UsersFile(String realm, List<UserEntry> users) {

  /** The digest algorithms a users file stores hashes for, by their RFC 7616 token. */
  public static final List<String> ALGORITHMS = List.of("SHA-256", "MD5");

  public UsersFile {
    Objects.requireNonNull(realm, "realm");
    users = List.copyOf(users);
  }

  /**
   * {@code H(id:realm:password)} in lower-case hex, the HA1 of RFC 7616 §3.4.2 (RFC 2617 §3.2.2.2
   * for MD5), over the UTF-8 bytes; what a users file stores as {@code ha1-md5} or {@code
   * ha1-sha256}.
   *
   * @param algorithm {@code MD5} or {@code SHA-256}
   * @throws IllegalArgumentException for any other algorithm
   */
  public static String ha1(String algorithm, String id, String realm, String password) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(password, "password");
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "algorithm must be one of " + ALGORITHMS + ", was " + algorithm);
    }
    try {
      byte[] hash =
          MessageDigest.getInstance(algorithm)
              .digest((id + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + algorithm, e);
    }
  }
}
