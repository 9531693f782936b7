package dev.herald.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms Herald can check (RFC 7616 §3.2, RFC 8760 §2.2). */
public enum DigestAlgorithm {
  MD5("MD5", "MD5"),
  SHA_256("SHA-256", "SHA-256");

  private final String token;
  private final String jcaName;

  DigestAlgorithm(String token, String jcaName) {
    this.token = token;
    this.jcaName = jcaName;
  }

  /** The value of the {@code algorithm} parameter: "MD5" or "SHA-256". */
  public String token() {
    return token;
  }

  /**
   * The algorithm an {@code algorithm} parameter names, compared case-insensitively. A null token
   * (no {@code algorithm} parameter) means MD5 (RFC 7616 §3.3). The session variants ({@code
   * MD5-sess}, {@code SHA-256-sess}) and any other token give an empty result.
   */
  public static Optional<DigestAlgorithm> fromToken(String token) {
    if (token == null) {
      return Optional.of(MD5);
    }
    for (DigestAlgorithm a : values()) {
      if (a.token.equalsIgnoreCase(token)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The lower-case hex digest of the UTF-8 bytes of {@code data}: H(data) in RFC 7616 §3.4.1. */
  public String hex(String data) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide MD5 and SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(jcaName + " is not available", e);
    }
    return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * HA1 = H(username:realm:password), what a {@link CredentialStore} keeps instead of passwords.
   */
  public String ha1(String username, String realm, String password) {
    return hex(username + ":" + realm + ":" + password);
  }

  /** The number of hex digits of this algorithm's digests: 32 for MD5, 64 for SHA-256. */
  int hexLength() {
    return this == MD5 ? 32 : 64;
  }

  /**
   * The request-digest for qop=auth (RFC 7616 §3.4.1): H(HA1:nonce:nc:cnonce:qop:HA2) with HA2 =
   * H(method:digest-uri). HA1 is taken as lower-case hex, as H produces it.
   */
  String response(
      String ha1, String nonce, String nc, String cnonce, String method, String digestUri) {
    String ha2 = hex(method + ":" + digestUri);
    return hex(
        ha1.toLowerCase(Locale.ROOT) + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
  }
}
