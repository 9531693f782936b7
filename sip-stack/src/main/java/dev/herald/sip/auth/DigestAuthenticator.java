package dev.herald.sip.auth;

import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of SIP requests for one realm (RFC 3261 §22, RFC 7616, RFC 8760).
 *
 * <p>Challenge a request with {@link #challenges}: one WWW-Authenticate (or Proxy-Authenticate)
 * value per algorithm, the preferred first. Check the answer with {@link #verify}, passing the
 * request's Authorization (or Proxy-Authorization) headers, and answer as the {@link AuthResult}
 * says. Safe for concurrent use from SIP threads.
 *
 * <p>Clients must use qop=auth, which every challenge offers. Requests in the RFC 2069 style
 * (without qop) are rejected with 400: without a nonce count they cannot be protected against
 * replay while the nonce is fresh.
 */
public final class DigestAuthenticator {
  /*
   * Design notes.
   *
   * Nonces are stateless (Nonces): nothing is stored when a challenge is sent, so a flood of
   * unauthenticated requests costs no memory. The default secret is random per start; after a
   * restart every outstanding nonce is foreign, and clients are simply challenged again.
   *
   * verify checks in this order:
   *   1. form (400): one credentials header for this realm, every field present and well formed,
   *      an algorithm that was offered, qop=auth, digest uri = Request-URI;
   *   2. the nonce's MAC (foreign: challenge, not stale);
   *   3. the response, against the stored HA1;
   *   4. the nonce's age (stale: challenge with stale=true);
   *   5. the nonce count (replay: challenge).
   * The response comes before the age because RFC 7616 §3.3 (stale) wants stale=true only for a
   * client that knows the password; such a client retries without asking its user. It comes before
   * the nonce count so that a forged request cannot use up counts of a legitimate client.
   *
   * An unknown user is checked against a random HA1 of the right length: same answer ("invalid
   * credentials"), same work, as a wrong password, so neither reveals which users exist.
   *
   * An algorithm token we do not know, or did not offer, gets 400 rather than a new challenge: the
   * client picked something outside the challenge, and challenging it again would loop while hiding
   * the reason; the 400 names the token.
   */
  private static final Logger LOG = LoggerFactory.getLogger(DigestAuthenticator.class);

  /** The default nonce lifetime. */
  public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(5);

  /** The default number of nonces whose highest count is remembered. */
  public static final long DEFAULT_MAX_TRACKED_NONCES = 1_000_000;

  private static final int MAX_REASON_TOKEN = 40;

  private final String realm;
  private final List<DigestAlgorithm> algorithms;
  private final CredentialStore credentials;
  private final Nonces nonces;
  private final NonceCounts counts;
  private final Map<DigestAlgorithm, String> decoyHa1 = new EnumMap<>(DigestAlgorithm.class);

  private DigestAuthenticator(Builder b, byte[] secret) {
    this.realm = b.realm;
    this.algorithms = b.algorithms;
    this.credentials = b.credentials;
    this.nonces = new Nonces(secret, b.realm, b.nonceLifetime, b.clock);
    this.counts = new NonceCounts(b.nonceLifetime, b.maxTrackedNonces, b.clock);
    SecureRandom random = new SecureRandom();
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      byte[] bytes = new byte[a.hexLength() / 2];
      random.nextBytes(bytes);
      decoyHa1.put(a, HexFormat.of().formatHex(bytes));
    }
  }

  /**
   * A builder for an authenticator of {@code realm} whose users' HA1 values come from {@code
   * credentials}. The realm must be printable ASCII without {@code "} or {@code \}.
   */
  public static Builder builder(String realm, CredentialStore credentials) {
    return new Builder(realm, credentials);
  }

  public String realm() {
    return realm;
  }

  /** The algorithms offered, the preferred first. */
  public List<DigestAlgorithm> algorithms() {
    return algorithms;
  }

  /**
   * The values for WWW-Authenticate (401) or Proxy-Authenticate (407), one per algorithm, the
   * preferred first (RFC 8760 §2.4), all with one new nonce, for example {@code Digest
   * realm="herald.test", nonce="...", algorithm=SHA-256, qop="auth"}. With {@code stale}, each
   * carries {@code stale=true} (RFC 7616 §3.3), telling the client that its password was right and
   * only the nonce was too old.
   */
  public List<String> challenges(boolean stale) {
    String nonce = nonces.issue();
    List<String> out = new ArrayList<>(algorithms.size());
    for (DigestAlgorithm a : algorithms) {
      out.add(
          "Digest realm=\""
              + realm
              + "\", nonce=\""
              + nonce
              + "\", algorithm="
              + a.token()
              + ", qop=\"auth\""
              + (stale ? ", stale=true" : ""));
    }
    return List.copyOf(out);
  }

  /**
   * Checks a request's credentials.
   *
   * <p>Credentials with a scheme other than Digest, or for another realm (they may be for a proxy
   * further on), are ignored. Any credentials, however malformed, get a result; exceptions come
   * only from the {@link CredentialStore} (and from a null method or Request-URI).
   *
   * @param method the request's method, as in its request line
   * @param requestUri the request's Request-URI
   * @param credentials the request's Authorization headers (Proxy-Authorization for a proxy), as
   *     parsed by JAIN-SIP; null or empty when it has none
   */
  public AuthResult verify(
      String method, String requestUri, List<? extends AuthorizationHeader> credentials) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(requestUri, "requestUri");
    AuthorizationHeader ours = null;
    if (credentials != null) {
      for (AuthorizationHeader h : credentials) {
        if (h == null || !"Digest".equalsIgnoreCase(h.getScheme()) || !realm.equals(h.getRealm())) {
          continue;
        }
        if (ours != null) {
          return new AuthResult.Rejected(400, "duplicate credentials for realm " + realm);
        }
        ours = h;
      }
    }
    if (ours == null) {
      return new AuthResult.Challenge(false, "no credentials for realm " + realm);
    }
    return verify(method, requestUri, ours);
  }

  private AuthResult verify(String method, String requestUri, AuthorizationHeader h) {
    String username = h.getUsername();
    String nonce = h.getNonce();
    String digestUri = h.getParameter("uri");
    String response = h.getResponse();
    String qop = h.getQop();
    String nc = h.getParameter("nc");
    String cnonce = h.getCNonce();
    if (isEmpty(username)) {
      return malformed("missing username");
    }
    if (isEmpty(nonce)) {
      return malformed("missing nonce");
    }
    if (isEmpty(digestUri)) {
      return malformed("missing uri");
    }
    if (isEmpty(response)) {
      return malformed("missing response");
    }
    String algorithmToken = h.getAlgorithm();
    Optional<DigestAlgorithm> offered =
        DigestAlgorithm.fromToken(algorithmToken).filter(algorithms::contains);
    if (offered.isEmpty()) {
      String named = algorithmToken == null ? "MD5" : printable(algorithmToken);
      return malformed("unsupported digest algorithm " + named);
    }
    DigestAlgorithm algorithm = offered.get();
    if (!isHex(response, algorithm.hexLength())) {
      return malformed("malformed response for " + algorithm.token());
    }
    if (qop == null) {
      return malformed("qop=auth required");
    }
    if (!"auth".equalsIgnoreCase(qop)) {
      return malformed("unsupported qop " + printable(qop));
    }
    if (isEmpty(nc)) {
      return malformed("missing nc");
    }
    if (isEmpty(cnonce)) {
      return malformed("missing cnonce");
    }
    // RFC 7616 §3.4: nc is 8 hex digits counting requests, this one included, so it starts at 1.
    if (!isHex(nc, 8) || Long.parseLong(nc, 16) == 0) {
      return malformed("malformed nc " + printable(nc));
    }
    if (!sameUri(digestUri, requestUri)) {
      return malformed("digest uri does not match Request-URI");
    }

    Nonces.Status status = nonces.check(nonce);
    if (status == Nonces.Status.FOREIGN) {
      return new AuthResult.Challenge(false, "unknown nonce");
    }
    Optional<String> ha1 = storedHa1(username, algorithm);
    String expected =
        algorithm.response(
            ha1.orElse(decoyHa1.get(algorithm)), nonce, nc, cnonce, method, digestUri);
    boolean match =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    if (!match || ha1.isEmpty()) {
      return new AuthResult.Challenge(false, "invalid credentials");
    }
    if (status == Nonces.Status.STALE) {
      return new AuthResult.Challenge(true, "stale nonce");
    }
    if (!counts.advance(nonce, Long.parseLong(nc, 16))) {
      return new AuthResult.Challenge(false, "replayed nonce count");
    }
    return new AuthResult.Authenticated(username, algorithm);
  }

  /** The store's HA1, or empty for an unknown user or an HA1 that cannot be right. */
  private Optional<String> storedHa1(String username, DigestAlgorithm algorithm) {
    Optional<String> ha1 = credentials.ha1(username, realm, algorithm);
    if (ha1.isPresent() && !isHex(ha1.get(), algorithm.hexLength())) {
      // A store defect, not the client's: say so without the value.
      LOG.warn(
          "stored {} HA1 of user {} in realm {} is not {} hex digits; treated as no user",
          algorithm.token(),
          printable(username),
          realm,
          algorithm.hexLength());
      return Optional.empty();
    }
    return ha1;
  }

  /**
   * Whether the digest {@code uri} names the Request-URI (RFC 2617 §3.2.2.5, kept by RFC 7616
   * §3.4.6): equal as SIP URIs (RFC 3261 §19.1.4) when both parse as such, else equal as strings.
   */
  static boolean sameUri(String digestUri, String requestUri) {
    if (digestUri.equals(requestUri)) {
      return true;
    }
    try {
      URI a = SipMessages.ADDRESSES.createURI(digestUri);
      URI b = SipMessages.ADDRESSES.createURI(requestUri);
      return a instanceof SipURI && b instanceof SipURI && a.equals(b);
    } catch (ParseException | RuntimeException e) {
      // The JAIN-SIP parser is not ours; whatever it throws on client input means "no match".
      return false;
    }
  }

  private static AuthResult malformed(String reason) {
    return new AuthResult.Rejected(400, reason);
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static boolean isHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Client text for a reason phrase or a log line: printable ASCII, bounded. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_REASON_TOKEN + 3));
    for (int i = 0; i < s.length(); i++) {
      if (sb.length() == MAX_REASON_TOKEN) {
        return sb.append("...").toString();
      }
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  /** Configures a {@link DigestAuthenticator}. Every setter checks its argument at once. */
  public static final class Builder {
    private final String realm;
    private final CredentialStore credentials;
    private List<DigestAlgorithm> algorithms =
        List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private Duration nonceLifetime = DEFAULT_NONCE_LIFETIME;
    private LongSupplier clock = System::currentTimeMillis;
    private byte[] secret;
    private long maxTrackedNonces = DEFAULT_MAX_TRACKED_NONCES;

    private Builder(String realm, CredentialStore credentials) {
      Objects.requireNonNull(realm, "realm");
      Objects.requireNonNull(credentials, "credentials");
      if (realm.isEmpty()) {
        throw new IllegalArgumentException("realm must not be empty");
      }
      for (int i = 0; i < realm.length(); i++) {
        char c = realm.charAt(i);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
          throw new IllegalArgumentException(
              "realm must be printable ASCII without '\"' or '\\', was " + printable(realm));
        }
      }
      this.realm = realm;
      this.credentials = credentials;
    }

    /**
     * The algorithms to offer, the preferred first; default SHA-256 then MD5 (RFC 8760 §2.4).
     * Credentials for an algorithm not offered are rejected.
     */
    public Builder algorithms(DigestAlgorithm... preferred) {
      Objects.requireNonNull(preferred, "preferred");
      if (preferred.length == 0) {
        throw new IllegalArgumentException("at least one algorithm must be offered");
      }
      Set<DigestAlgorithm> distinct = new LinkedHashSet<>();
      for (DigestAlgorithm a : preferred) {
        if (!distinct.add(Objects.requireNonNull(a, "algorithm"))) {
          throw new IllegalArgumentException("algorithm " + a.token() + " is listed twice");
        }
      }
      this.algorithms = List.copyOf(distinct);
      return this;
    }

    /**
     * How long a nonce is accepted after it was issued; default {@link #DEFAULT_NONCE_LIFETIME}.
     * Older nonces get a challenge with stale=true.
     */
    public Builder nonceLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.toMillis() <= 0) {
        throw new IllegalArgumentException("nonce lifetime must be at least 1 ms, was " + lifetime);
      }
      this.nonceLifetime = lifetime;
      return this;
    }

    /**
     * The clock, in milliseconds, that dates nonces and expires nonce counts; default {@link
     * System#currentTimeMillis}. Tests pass one they can move.
     */
    public Builder clock(LongSupplier millis) {
      this.clock = Objects.requireNonNull(millis, "millis");
      return this;
    }

    /**
     * The HMAC key that marks nonces as Herald's, at least 16 bytes; default 32 random bytes per
     * build. Authenticators that share a secret and a realm accept each other's nonces.
     */
    public Builder secret(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length < 16) {
        throw new IllegalArgumentException("secret must be at least 16 bytes, was " + key.length);
      }
      this.secret = key.clone();
      return this;
    }

    /**
     * How many nonces' counts are remembered; default {@link #DEFAULT_MAX_TRACKED_NONCES}. Beyond
     * that, the oldest are forgotten early, and a forgotten nonce is open to replay until it is
     * stale.
     */
    public Builder maxTrackedNonces(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("max tracked nonces must be at least 1, was " + max);
      }
      this.maxTrackedNonces = max;
      return this;
    }

    public DigestAuthenticator build() {
      byte[] key = secret;
      if (key == null) {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
      }
      return new DigestAuthenticator(this, key);
    }
  }
}
