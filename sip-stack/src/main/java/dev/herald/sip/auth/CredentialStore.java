package dev.herald.sip.auth;

import java.util.Optional;

/**
 * Where {@link DigestAuthenticator} finds a user's secret. It holds HA1 =
 * H(username:realm:password) as hex ({@link DigestAlgorithm#ha1}), one per algorithm, so passwords
 * are never stored in clear.
 *
 * <p>Called concurrently from SIP threads, once per checked request; it should answer from memory
 * or a fast store. An exception it throws goes to the caller of {@link DigestAuthenticator#verify}.
 */
@FunctionalInterface
public interface CredentialStore {

  /**
   * The HA1 of {@code username} in {@code realm} for {@code algorithm}, as hex; empty when there is
   * no such user (or no HA1 for that algorithm).
   */
  Optional<String> ha1(String username, String realm, DigestAlgorithm algorithm);
}
