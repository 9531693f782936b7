package dev.herald.sip;

/**
 * Who sent a request: a user proven by digest credentials, a trusted peer (not challenged), or
 * nobody in particular (a method that needs no credentials).
 *
 * @param kind how the sender is known
 * @param username the digest username, for {@link Kind#USER}; null otherwise
 */
public record Identity(Kind kind, String username) {
  public static final Identity NONE = new Identity(Kind.NONE, null);
  public static final Identity TRUSTED_PEER = new Identity(Kind.TRUSTED_PEER, null);

  public enum Kind {
    NONE,
    TRUSTED_PEER,
    USER
  }

  public static Identity user(String username) {
    return new Identity(Kind.USER, username);
  }

  public boolean isTrustedPeer() {
    return kind == Kind.TRUSTED_PEER;
  }
}
