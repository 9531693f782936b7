package dev.herald.sip.auth;

import java.util.Objects;

/**
 * What {@link DigestAuthenticator#verify} decided about a request's credentials. Reasons are short,
 * single-line ASCII, fit for a SIP reason phrase.
 */
public sealed interface AuthResult {

  /** The credentials are good: the request comes from {@code username}. */
  record Authenticated(String username, DigestAlgorithm algorithm) implements AuthResult {
    public Authenticated {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(algorithm, "algorithm");
    }
  }

  /**
   * Answer 401 (or 407 for Proxy-Authorization) with {@link DigestAuthenticator#challenges} of
   * {@code stale}: there were no usable credentials, or they did not prove the password (RFC 3261
   * §22.3). A wrong password and an unknown user give the same result.
   */
  record Challenge(boolean stale, String reason) implements AuthResult {
    public Challenge {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Answer {@code status} (400): the credentials are malformed and asking again will not help. */
  record Rejected(int status, String reason) implements AuthResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
