package dev.herald.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest authentication of SIP requests (RFC 3261 §22, RFC 7616, RFC 8760). */
class DigestAuthenticatorTest {
  private static final String REALM = "herald.test";
  private static final String METHOD = "REGISTER";
  private static final String REQUEST_URI = "sip:herald.test";
  private static final Duration LIFETIME = Duration.ofSeconds(30);
  private static final Map<String, String> PASSWORDS =
      Map.of("alice", "wonderland", "bob", "builder");
  private static final CredentialStore STORE =
      (user, realm, algorithm) ->
          Optional.ofNullable(PASSWORDS.get(user)).map(p -> algorithm.ha1(user, realm, p));

  private static final AuthResult INVALID = new AuthResult.Challenge(false, "invalid credentials");
  private static final AuthResult NO_CREDENTIALS =
      new AuthResult.Challenge(false, "no credentials for realm herald.test");
  private static final AuthResult UNKNOWN_NONCE = new AuthResult.Challenge(false, "unknown nonce");
  private static final AuthResult REPLAYED =
      new AuthResult.Challenge(false, "replayed nonce count");
  private static final AuthResult ALICE_SHA256 =
      new AuthResult.Authenticated("alice", DigestAlgorithm.SHA_256);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final DigestAuthenticator auth = authenticator(STORE).build();

  private DigestAuthenticator.Builder authenticator(CredentialStore store) {
    return DigestAuthenticator.builder(REALM, store).nonceLifetime(LIFETIME).clock(now::get);
  }

  @SuppressWarnings("unchecked")
  private static <H extends Header> H parse(String name, String value) {
    try {
      return (H) SipMessages.HEADERS.createHeader(name, value);
    } catch (ParseException e) {
      throw new AssertionError("cannot parse " + name + ": " + value, e);
    }
  }

  private static WWWAuthenticateHeader challengeHeader(String value) {
    return parse(WWWAuthenticateHeader.NAME, value);
  }

  private String challenge(DigestAlgorithm algorithm) {
    return auth.challenges(false).stream()
        .filter(c -> algorithm.token().equals(challengeHeader(c).getAlgorithm()))
        .findFirst()
        .orElseThrow();
  }

  private AuthResult send(Answer... answers) {
    List<AuthorizationHeader> headers = new ArrayList<>();
    for (Answer a : answers) {
      headers.add(a.header());
    }
    return auth.verify(METHOD, REQUEST_URI, headers);
  }

  /**
   * A client's answer to a challenge, as Authorization parameters. Tests change a parameter, {@link
   * #sign} when the response should be right for what is sent, and send it.
   */
  private static final class Answer {
    private static final Set<String> UNQUOTED = Set.of("algorithm", "qop", "nc");
    private final Map<String, String> params = new LinkedHashMap<>();

    static Answer to(String challenge, String username) {
      WWWAuthenticateHeader c = challengeHeader(challenge);
      return new Answer()
          .set("username", username)
          .set("realm", c.getRealm())
          .set("nonce", c.getNonce())
          .set("uri", REQUEST_URI)
          .set("algorithm", c.getAlgorithm())
          .set("qop", "auth")
          .set("nc", "00000001")
          .set("cnonce", "0a4f113b");
    }

    /** Sets a parameter; null removes it. */
    Answer set(String name, String value) {
      if (value == null) {
        params.remove(name);
      } else {
        params.put(name, value);
      }
      return this;
    }

    /** The response a client computes (RFC 7616 §3.4.1) for the parameters as they are now. */
    Answer sign(String password) {
      return sign(password, METHOD);
    }

    Answer sign(String password, String method) {
      DigestAlgorithm a =
          DigestAlgorithm.fromToken(params.get("algorithm")).orElse(DigestAlgorithm.SHA_256);
      String ha1 = a.hex(params.get("username") + ":" + params.get("realm") + ":" + password);
      String ha2 = a.hex(method + ":" + params.get("uri"));
      String data =
          String.join(
              ":",
              ha1,
              params.get("nonce"),
              params.get("nc"),
              params.get("cnonce"),
              params.get("qop"),
              ha2);
      return set("response", a.hex(data));
    }

    String value() {
      List<String> parts = new ArrayList<>();
      params.forEach(
          (k, v) -> parts.add(UNQUOTED.contains(k) ? k + "=" + v : k + "=\"" + v + "\""));
      return "Digest " + String.join(", ", parts);
    }

    AuthorizationHeader header() {
      return parse(AuthorizationHeader.NAME, value());
    }

    ProxyAuthorizationHeader proxyHeader() {
      return parse(ProxyAuthorizationHeader.NAME, value());
    }
  }

  /** A reason phrase must be one short line of printable ASCII (RFC 3261 §25.1). */
  private static void assertReasonPhrase(AuthResult result) {
    String reason;
    if (result instanceof AuthResult.Challenge c) {
      reason = c.reason();
    } else if (result instanceof AuthResult.Rejected r) {
      reason = r.reason();
    } else {
      throw new AssertionError("not a refusal: " + result);
    }
    assertFalse(reason.isEmpty(), "empty reason");
    assertTrue(reason.length() <= 80, "too long: " + reason);
    for (char c : reason.toCharArray()) {
      assertTrue(c >= 0x20 && c < 0x7f, "not printable ASCII: " + reason);
    }
  }

  // --- challenges -------------------------------------------------------------------------------

  @Test
  void oneChallengePerAlgorithmSha256First() {
    List<String> challenges = auth.challenges(false);
    assertEquals(2, challenges.size());
    String nonce = challengeHeader(challenges.get(0)).getNonce();
    assertEquals(
        List.of(
            "Digest realm=\"herald.test\", nonce=\""
                + nonce
                + "\", algorithm=SHA-256, qop=\"auth\"",
            "Digest realm=\"herald.test\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\""),
        challenges);
    for (String c : challenges) {
      WWWAuthenticateHeader h = challengeHeader(c);
      assertEquals("Digest", h.getScheme());
      assertEquals(REALM, h.getRealm());
      assertEquals("auth", h.getQop());
      assertFalse(h.isStale());
      ProxyAuthenticateHeader p = parse(ProxyAuthenticateHeader.NAME, c);
      assertEquals(nonce, p.getNonce());
    }
  }

  @Test
  void staleChallengesSayStale() {
    for (String c : auth.challenges(true)) {
      assertTrue(c.endsWith(", stale=true"), c);
      assertTrue(challengeHeader(c).isStale(), c);
    }
  }

  @Test
  void everyChallengeHasANewNonce() {
    assertFalse(
        challengeHeader(auth.challenges(false).get(0))
            .getNonce()
            .equals(challengeHeader(auth.challenges(false).get(0)).getNonce()));
  }

  @Test
  void onlyTheConfiguredAlgorithmsAreOffered() {
    DigestAuthenticator md5Only = authenticator(STORE).algorithms(DigestAlgorithm.MD5).build();
    List<String> challenges = md5Only.challenges(false);
    assertEquals(1, challenges.size());
    assertEquals("MD5", challengeHeader(challenges.get(0)).getAlgorithm());
    assertEquals(List.of(DigestAlgorithm.MD5), md5Only.algorithms());
  }

  // --- success ----------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(DigestAlgorithm.class)
  void anAnswerToAChallengeAuthenticates(DigestAlgorithm algorithm) {
    Answer a = Answer.to(challenge(algorithm), "alice").sign("wonderland");
    assertEquals(new AuthResult.Authenticated("alice", algorithm), send(a));
  }

  @Test
  void proxyAuthorizationWorksTheSame() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "bob").sign("builder");
    List<ProxyAuthorizationHeader> headers = List.of(a.proxyHeader());
    assertEquals(
        new AuthResult.Authenticated("bob", DigestAlgorithm.SHA_256),
        auth.verify(METHOD, REQUEST_URI, headers));
  }

  @Test
  void withoutAnAlgorithmParameterTheAnswerIsMd5() {
    // RFC 7616 §3.3: no algorithm parameter means MD5.
    Answer a = Answer.to(challenge(DigestAlgorithm.MD5), "alice").set("algorithm", null);
    assertEquals(
        new AuthResult.Authenticated("alice", DigestAlgorithm.MD5), send(a.sign("wonderland")));
  }

  @Test
  void anUpperCaseResponseIsTheSameResponse() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    a.set("response", a.params.get("response").toUpperCase(Locale.ROOT));
    assertEquals(ALICE_SHA256, send(a));
  }

  @Test
  void anUpperCaseStoredHa1IsTheSameHa1() {
    CredentialStore upper =
        (u, r, alg) -> STORE.ha1(u, r, alg).map(h -> h.toUpperCase(Locale.ROOT));
    DigestAuthenticator a = authenticator(upper).build();
    Answer answer = Answer.to(a.challenges(false).get(0), "alice").sign("wonderland");
    assertEquals(ALICE_SHA256, a.verify(METHOD, REQUEST_URI, List.of(answer.header())));
  }

  @Test
  void credentialsForOtherRealmsAreIgnored() {
    Answer ours = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    Answer proxys =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("realm", "proxy.example")
            .sign("other");
    assertEquals(ALICE_SHA256, send(proxys, ours));
  }

  @Test
  void authenticatorsSharingASecretAcceptEachOthersNonces() {
    byte[] secret = "a secret shared by two nodes".getBytes(StandardCharsets.UTF_8);
    DigestAuthenticator one = authenticator(STORE).secret(secret).build();
    DigestAuthenticator two = authenticator(STORE).secret(secret).build();
    Answer a = Answer.to(one.challenges(false).get(0), "alice").sign("wonderland");
    assertEquals(ALICE_SHA256, two.verify(METHOD, REQUEST_URI, List.of(a.header())));
  }

  // --- challenge again (RFC 3261 §22.3) --------------------------------------------------------

  @Test
  void aWrongPasswordIsChallengedAgain() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("guess");
    assertEquals(INVALID, send(a));
  }

  @Test
  void anUnknownUserLooksLikeAWrongPassword() {
    Answer unknown = Answer.to(challenge(DigestAlgorithm.SHA_256), "mallory").sign("guess");
    Answer wrong = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("guess");
    assertEquals(send(wrong), send(unknown));
    assertEquals(INVALID, send(unknown));
  }

  @Test
  void aStoredHa1OfTheWrongLengthAuthenticatesNobody() {
    CredentialStore broken = (u, r, alg) -> Optional.of("abcdef");
    DigestAuthenticator a = authenticator(broken).build();
    Answer answer = Answer.to(a.challenges(false).get(0), "alice").sign("wonderland");
    assertEquals(INVALID, a.verify(METHOD, REQUEST_URI, List.of(answer.header())));
  }

  @Test
  void theResponseCoversTheMethod() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland", "INVITE");
    assertEquals(INVALID, send(a));
  }

  @Test
  void aNonceAtTheEndOfItsLifetimeIsStillFresh() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    now.addAndGet(LIFETIME.toMillis());
    assertEquals(ALICE_SHA256, send(a));
  }

  @Test
  void anOldNonceIsStale() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    now.addAndGet(LIFETIME.toMillis() + 1);
    assertEquals(new AuthResult.Challenge(true, "stale nonce"), send(a));

    Answer retry = Answer.to(auth.challenges(true).get(0), "alice").sign("wonderland");
    assertEquals(ALICE_SHA256, send(retry));
  }

  @Test
  void anOldNonceWithAWrongPasswordIsNotStale() {
    // RFC 7616 §3.3: stale=true only when the response was right for the old nonce.
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("guess");
    now.addAndGet(LIFETIME.toMillis() + 1);
    assertEquals(INVALID, send(a));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      })
  void aNonceThatIsNotOursIsChallengedNotStale(String nonce) {
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("nonce", nonce)
            .sign("wonderland");
    assertEquals(UNKNOWN_NONCE, send(a));
  }

  @Test
  void aNonceFromAnotherSecretIsNotOurs() {
    DigestAuthenticator other = authenticator(STORE).build();
    Answer a = Answer.to(other.challenges(false).get(0), "alice").sign("wonderland");
    assertEquals(UNKNOWN_NONCE, send(a));
  }

  @Test
  void aTamperedNonceIsNotOurs() {
    String nonce = challengeHeader(challenge(DigestAlgorithm.SHA_256)).getNonce();
    char first = nonce.charAt(0) == 'A' ? 'B' : 'A';
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("nonce", first + nonce.substring(1))
            .sign("wonderland");
    assertEquals(UNKNOWN_NONCE, send(a));
  }

  @Test
  void noCredentialsForOurRealmIsChallenged() {
    Answer proxys =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("realm", "proxy.example")
            .sign("wonderland");
    assertEquals(NO_CREDENTIALS, send(proxys));
    assertEquals(NO_CREDENTIALS, auth.verify(METHOD, REQUEST_URI, List.of()));
    assertEquals(NO_CREDENTIALS, auth.verify(METHOD, REQUEST_URI, null));
  }

  @Test
  void aRealmWithoutItsQuotesIsAnotherRealm() {
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("realm", "Herald.Test")
            .sign("wonderland");
    assertEquals(NO_CREDENTIALS, send(a));
  }

  @Test
  void otherSchemesAreChallenged() {
    AuthorizationHeader basic = parse(AuthorizationHeader.NAME, "Basic dXNlcjpwYXNz");
    assertEquals(NO_CREDENTIALS, auth.verify(METHOD, REQUEST_URI, List.of(basic)));

    // Even with our realm and every Digest field, another scheme is not Digest.
    AuthorizationHeader other =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland").header();
    other.setScheme("Basic");
    assertEquals(NO_CREDENTIALS, auth.verify(METHOD, REQUEST_URI, List.of(other)));
  }

  // --- replay (RFC 7616 §3.4, §5.4) -------------------------------------------------------------

  @Test
  void aNonceCountIsAcceptedOnce() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    assertEquals(ALICE_SHA256, send(a));
    assertEquals(REPLAYED, send(a));
  }

  @Test
  void aHigherNonceCountOnTheSameNonceIsAccepted() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice");
    assertEquals(ALICE_SHA256, send(a.set("nc", "00000001").sign("wonderland")));
    assertEquals(ALICE_SHA256, send(a.set("nc", "00000002").sign("wonderland")));
    assertEquals(REPLAYED, send(a.set("nc", "00000001").sign("wonderland")));
    assertEquals(ALICE_SHA256, send(a.set("nc", "0000000A").sign("wonderland")));
    assertEquals(REPLAYED, send(a.set("nc", "00000009").sign("wonderland")));
  }

  @Test
  void aForgedRequestDoesNotUseUpCounts() {
    Answer forged =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").set("nc", "ffffffff").sign("guess");
    Answer real = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice");
    real.set("nonce", forged.params.get("nonce")).sign("wonderland");
    assertEquals(INVALID, send(forged));
    assertEquals(ALICE_SHA256, send(real));
  }

  @Test
  void ofConcurrentCopiesOfOneRequestExactlyOneIsAccepted() throws Exception {
    AuthorizationHeader h =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland").header();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<AuthResult>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        calls.add(
            () -> {
              start.await();
              return auth.verify(METHOD, REQUEST_URI, List.of(h));
            });
      }
      List<Future<AuthResult>> futures = new ArrayList<>();
      for (Callable<AuthResult> c : calls) {
        futures.add(pool.submit(c));
      }
      start.countDown();
      int accepted = 0;
      for (Future<AuthResult> f : futures) {
        AuthResult r = f.get();
        if (r.equals(ALICE_SHA256)) {
          accepted++;
        } else {
          assertEquals(REPLAYED, r);
        }
      }
      assertEquals(1, accepted);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- 400 --------------------------------------------------------------------------------------

  @Test
  void twoCredentialsForOurRealmAreRejected() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    Answer b = Answer.to(challenge(DigestAlgorithm.MD5), "bob").sign("builder");
    assertEquals(
        new AuthResult.Rejected(400, "duplicate credentials for realm herald.test"), send(a, b));
  }

  @ParameterizedTest
  @CsvSource({
    "username, missing username",
    "nonce,    missing nonce",
    "uri,      missing uri",
    "response, missing response",
    "qop,      qop=auth required",
    "nc,       missing nc",
    "cnonce,   missing cnonce",
  })
  void missingFieldsAreRejected(String field, String reason) {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    assertEquals(new AuthResult.Rejected(400, reason), send(a.set(field, null)));
  }

  @Test
  void anEmptyUsernameIsMissing() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "").sign("wonderland");
    assertEquals(new AuthResult.Rejected(400, "missing username"), send(a));
  }

  @ParameterizedTest
  @CsvSource({
    "response,  1234,                              malformed response for SHA-256",
    "response,  0123456789abcdef0123456789abcdef,  malformed response for SHA-256",
    "nc,        1,                                 malformed nc 1",
    "nc,        000000001,                         malformed nc 000000001",
    "nc,        0000000g,                          malformed nc 0000000g",
    "nc,        00000000,                          malformed nc 00000000",
    "qop,       auth-int,                          unsupported qop auth-int",
    "algorithm, SHA-512-256,                       unsupported digest algorithm SHA-512-256",
    "algorithm, MD5-sess,                          unsupported digest algorithm MD5-sess",
  })
  void malformedFieldsAreRejected(String field, String value, String reason) {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    assertEquals(new AuthResult.Rejected(400, reason), send(a.set(field, value)));
  }

  @Test
  void aResponseOfTheRightLengthButNotHexIsRejected() {
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").set("response", "g".repeat(64));
    assertEquals(new AuthResult.Rejected(400, "malformed response for SHA-256"), send(a));
  }

  @Test
  void anAlgorithmThatWasNotOfferedIsRejected() {
    DigestAuthenticator shaOnly = authenticator(STORE).algorithms(DigestAlgorithm.SHA_256).build();
    Answer a =
        Answer.to(shaOnly.challenges(false).get(0), "alice")
            .set("algorithm", "MD5")
            .sign("wonderland");
    assertEquals(
        new AuthResult.Rejected(400, "unsupported digest algorithm MD5"),
        shaOnly.verify(METHOD, REQUEST_URI, List.of(a.header())));
    a.set("algorithm", null).sign("wonderland");
    assertEquals(
        new AuthResult.Rejected(400, "unsupported digest algorithm MD5"),
        shaOnly.verify(METHOD, REQUEST_URI, List.of(a.header())));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sip:other.test", "sip:herald.test;transport=tcp", "sip:herald.test:5060"})
  void aDigestUriThatIsNotTheRequestUriIsRejected(String uri) {
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").set("uri", uri).sign("wonderland");
    assertEquals(new AuthResult.Rejected(400, "digest uri does not match Request-URI"), send(a));
  }

  @Test
  void theDigestUriIsComparedAsASipUri() {
    // RFC 3261 §19.1.4: the host is case-insensitive, and the client's spelling is what it signed.
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("uri", "sip:HERALD.test")
            .sign("wonderland");
    assertEquals(ALICE_SHA256, send(a));
  }

  @Test
  void aNonSipRequestUriIsComparedAsAString() {
    Answer a =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("uri", "tel:+15550100")
            .sign("wonderland", "MESSAGE");
    assertEquals(ALICE_SHA256, auth.verify("MESSAGE", "tel:+15550100", List.of(a.header())));
    Answer b =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice")
            .set("uri", "tel:+15550199")
            .sign("wonderland", "MESSAGE");
    assertEquals(
        new AuthResult.Rejected(400, "digest uri does not match Request-URI"),
        auth.verify("MESSAGE", "tel:+15550100", List.of(b.header())));
  }

  @Test
  void reasonsBuiltFromClientTextAreSafePhrases() throws ParseException {
    AuthorizationHeader h =
        Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland").header();
    h.setAlgorithm("X\u00e9\r\nY");
    AuthResult result = auth.verify(METHOD, REQUEST_URI, List.of(h));
    assertEquals(new AuthResult.Rejected(400, "unsupported digest algorithm X???Y"), result);
    assertReasonPhrase(result);

    h.setAlgorithm("A".repeat(500));
    assertReasonPhrase(auth.verify(METHOD, REQUEST_URI, List.of(h)));
  }

  @Test
  void everyRefusalHasAReasonPhrase() {
    Answer a = Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("wonderland");
    send(a);
    for (AuthResult r :
        List.of(
            send(a),
            send(Answer.to(challenge(DigestAlgorithm.SHA_256), "alice").sign("guess")),
            send(a.set("nonce", "abc").sign("wonderland")),
            send(a.set("cnonce", null)),
            send(a, a),
            auth.verify(METHOD, REQUEST_URI, List.of()))) {
      assertReasonPhrase(r);
    }
  }

  // --- configuration ----------------------------------------------------------------------------

  @Test
  void badSettingsFailFastAndSaySo() {
    assertEquals(
        "at least one algorithm must be offered",
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestAuthenticator.builder(REALM, STORE).algorithms())
            .getMessage());
    assertEquals(
        "algorithm MD5 is listed twice",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    DigestAuthenticator.builder(REALM, STORE)
                        .algorithms(DigestAlgorithm.MD5, DigestAlgorithm.MD5))
            .getMessage());
    assertEquals(
        "secret must be at least 16 bytes, was 15",
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestAuthenticator.builder(REALM, STORE).secret(new byte[15]))
            .getMessage());
    assertEquals(
        "nonce lifetime must be at least 1 ms, was PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestAuthenticator.builder(REALM, STORE).nonceLifetime(Duration.ZERO))
            .getMessage());
    assertEquals(
        "max tracked nonces must be at least 1, was 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestAuthenticator.builder(REALM, STORE).maxTrackedNonces(0))
            .getMessage());
    for (String realm : Arrays.asList("", "a\"b", "a\\b", "a\r\nb", "h\u00e9rald")) {
      assertInstanceOf(
          IllegalArgumentException.class,
          assertThrows(RuntimeException.class, () -> DigestAuthenticator.builder(realm, STORE)),
          realm);
    }
  }
}
