package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.auth.DigestAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760) over real UDP, with hand-written
 * requests: what SIPp cannot send (SHA-256, replays, other realms, broken credentials). Herald
 * trusts no source and offers SHA-256, then MD5.
 *
 * <p>A stale nonce is not tested here: the shortest nonce lifetime is 10 s. DigestAuthenticatorTest
 * covers it with a clock it moves.
 */
class DigestClientIT {
  private static final String REALM = RunningHerald.DOMAIN;
  private static final String REGISTRAR = "sip:" + REALM;

  private RunningHerald herald;
  private SipUdpClient client;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.startUntrusted("[SHA-256, MD5]");
    client = SipUdpClient.open(herald.port());
  }

  @AfterEach
  void stop() {
    client.close();
    herald.close();
  }

  /** RFC 8760 §2.4: one challenge per algorithm, the preferred (SHA-256) first, one nonce. */
  @Test
  void registerWithoutCredentialsIsChallengedWithSha256ThenMd5() throws IOException {
    client.send(register("alice", "challenge", 1));
    Response r = client.nextResponse();

    assertStatus(401, "no credentials for realm herald.test", r);
    List<WWWAuthenticateHeader> challenges = challenges(r);
    assertEquals(
        List.of("SHA-256", "MD5"),
        challenges.stream().map(WWWAuthenticateHeader::getAlgorithm).toList(),
        r.toString());
    for (WWWAuthenticateHeader c : challenges) {
      assertEquals("Digest", c.getScheme());
      assertEquals(REALM, c.getRealm());
      assertEquals("auth", c.getQop());
      assertEquals(challenges.get(0).getNonce(), c.getNonce(), "one nonce for both");
    }
  }

  @Test
  void sha256CredentialsRegister() throws IOException {
    String nonce = challenge(register("alice", "sha", 1));

    client.send(
        register("alice", "sha", 2)
            .header("Authorization", digest(DigestAlgorithm.SHA_256, "alice", nonce, 1)));

    assertStatus(200, "OK", client.nextResponse());
    assertEquals(1, herald.herald().registrar().lookup("sip:alice@herald.test").size());
  }

  @Test
  void md5CredentialsRegister() throws IOException {
    String nonce = challenge(register("bob", "md5", 1));

    client.send(
        register("bob", "md5", 2)
            .header("Authorization", digest(DigestAlgorithm.MD5, "bob", nonce, 1)));

    assertStatus(200, "OK", client.nextResponse());
    assertEquals(1, herald.herald().registrar().lookup("sip:bob@herald.test").size());
  }

  /**
   * RFC 7616 §3.4: the same request again, byte for byte but for its Via branch (a new
   * transaction), reuses nonce and nc, and is challenged.
   */
  @Test
  void replayedNonceCountIsChallenged() throws IOException {
    String nonce = challenge(register("alice", "replay", 1));
    SipUdpClient.Draft signed =
        register("alice", "replay", 2)
            .header("Authorization", digest(DigestAlgorithm.SHA_256, "alice", nonce, 1));
    client.send(signed);
    assertStatus(200, "OK", client.nextResponse());

    client.send(signed);

    Response replay = client.nextResponse();
    assertStatus(401, "replayed nonce count", replay);
    assertEquals(2, challenges(replay).size(), replay.toString());
  }

  /** RFC 7616 §3.4: a client may reuse a nonce with an increasing nonce count. */
  @Test
  void higherNonceCountOnTheSameNonceIsAccepted() throws IOException {
    String nonce = challenge(register("alice", "nc", 1));
    client.send(
        register("alice", "nc", 2)
            .header("Authorization", digest(DigestAlgorithm.SHA_256, "alice", nonce, 1)));
    assertStatus(200, "OK", client.nextResponse());

    client.send(
        register("alice", "nc", 3)
            .header("Authorization", digest(DigestAlgorithm.SHA_256, "alice", nonce, 2)));

    assertStatus(200, "OK", client.nextResponse());
  }

  /** Credentials for another realm may be for a proxy further on: ignored, so challenged. */
  @Test
  void credentialsForAnotherRealmAreIgnored() throws IOException {
    String nonce = challenge(register("alice", "realm", 1));

    client.send(
        register("alice", "realm", 2)
            .header(
                "Authorization",
                digest(
                    DigestAlgorithm.SHA_256,
                    "alice",
                    "alice-pw",
                    "elsewhere.test",
                    nonce,
                    "REGISTER",
                    REGISTRAR,
                    1)));

    assertStatus(401, "no credentials for realm herald.test", client.nextResponse());
  }

  /** An algorithm Herald did not offer is refused with 400 naming it, not challenged again. */
  @Test
  void unknownAlgorithmIsBadRequest() throws IOException {
    String nonce = challenge(register("alice", "sha512", 1));
    String sha256 = digest(DigestAlgorithm.SHA_256, "alice", nonce, 1);

    client.send(
        register("alice", "sha512", 2)
            .header("Authorization", sha256.replace("algorithm=SHA-256", "algorithm=SHA-512")));

    assertStatus(400, "unsupported digest algorithm SHA-512", client.nextResponse());
  }

  @Test
  void twoCredentialsForOurRealmAreBadRequest() throws IOException {
    String nonce = challenge(register("alice", "twice", 1));

    client.send(
        register("alice", "twice", 2)
            .header("Authorization", digest(DigestAlgorithm.SHA_256, "alice", nonce, 1))
            .header("Authorization", digest(DigestAlgorithm.MD5, "alice", nonce, 2)));

    assertStatus(400, "duplicate credentials for realm herald.test", client.nextResponse());
  }

  /**
   * Authorization values that cannot be read. JAIN-SIP drops a header its parser rejects (it keeps
   * it only as unparsed text): Herald answers 400 rather than challenge a client that would send
   * the same broken header again. Some broken ones parse into a header with no realm: those are not
   * credentials for Herald's realm, so Herald challenges. What does parse, with our realm, but is
   * incomplete or malformed, Herald answers 400 naming the defect. Never a 500, never silence.
   */
  static Stream<Arguments> garbledCredentials() {
    return Stream.of(
        // JAIN-SIP parses these into a Digest header without realm: not for Herald's realm.
        Arguments.of("Digest username=", 401, "no credentials for realm herald.test"),
        Arguments.of("Digest", 401, "no credentials for realm herald.test"),
        // JAIN-SIP's parser rejects these and keeps only their text: Herald answers 400.
        Arguments.of("garbage,,,", 400, "malformed Authorization header"),
        Arguments.of(
            "Digest username=\"alice, realm=\"herald.test\"", 400, "malformed Authorization"),
        Arguments.of(
            "Digest username=\"alice\" realm=\"herald.test\"", 400, "malformed Authorization"),
        Arguments.of("Digest ,,,=,=\"", 400, "malformed Authorization header"),
        // Parsed, for Herald's realm, but incomplete or malformed: Herald's 400 names the defect.
        Arguments.of("Digest realm=\"herald.test\"", 400, "missing username"),
        Arguments.of(
            "Digest username=\"alice\", realm=\"herald.test\", nonce=\"n\","
                + " uri=\"sip:herald.test\", response=\"zz\"",
            400,
            "malformed response for MD5"),
        Arguments.of(
            "Digest username=\"alice\", realm=\"herald.test\", nonce=\"n\","
                + " uri=\"sip:herald.test\", response=\"0123456789abcdef0123456789abcdef\","
                + " qop=auth, nc=zz, cnonce=\"c\"",
            400,
            "malformed nc zz"));
  }

  @ParameterizedTest
  @MethodSource("garbledCredentials")
  void garbledCredentialsGetAClear4xx(String authorization, int status, String reason)
      throws IOException {
    client.send(register("alice", "garbled", 1).header("Authorization", authorization));

    assertStatus(status, reason, client.nextResponse());
  }

  /** RFC 7616 §3.4.6 (uri): the digest uri must name the Request-URI. */
  @Test
  void digestUriOtherThanTheRequestUriIsBadRequest() throws IOException {
    String nonce = challenge(register("alice", "uri", 1));

    client.send(
        register("alice", "uri", 2)
            .header(
                "Authorization",
                digest(
                    DigestAlgorithm.SHA_256,
                    "alice",
                    "alice-pw",
                    REALM,
                    nonce,
                    "REGISTER",
                    "sip:elsewhere.test",
                    1)));

    assertStatus(400, "digest uri does not match Request-URI", client.nextResponse());
  }

  /** PUBLISH is challenged; with alice's credentials, her own presentity is published (200). */
  @Test
  void publishIsChallengedThenAccepted() throws IOException {
    String nonce = challenge(publish("pub", 1));

    client.send(
        publish("pub", 2)
            .header(
                "Authorization",
                digest(
                    DigestAlgorithm.SHA_256,
                    "alice",
                    "alice-pw",
                    REALM,
                    nonce,
                    "PUBLISH",
                    "sip:alice@herald.test",
                    1)));

    Response ok = client.nextResponse();
    assertStatus(200, "OK", ok);
    assertNotNull(ok.getHeader("SIP-ETag"), ok.toString());
    assertEquals(1, herald.stats().publications());
  }

  /**
   * SUBSCRIBE is challenged; with bob's credentials, his subscription to alice is accepted (200)
   * and notified at once (RFC 6665 §4.1.2.4); unsubscribing, on the same nonce with the next nc,
   * gets 200 and the final NOTIFY.
   */
  @Test
  void subscribeIsChallengedThenAcceptedAndNotified() throws IOException {
    String nonce = challenge(subscribe("sub", 1, null, 600));

    client.send(subscribe("sub", 2, null, 600).header("Authorization", subscribeDigest(nonce, 1)));

    Response ok = client.nextResponse();
    assertStatus(200, "OK", ok);
    Request notify = client.nextRequest();
    client.answer(notify, 200);
    assertEquals("NOTIFY", notify.getMethod());
    assertEquals("active", subscriptionState(notify).getState(), notify.toString());
    assertTrue(body(notify).contains("<basic>closed</basic>"), notify.toString());

    String heraldTag = ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
    client.send(
        subscribe("sub", 3, heraldTag, 0).header("Authorization", subscribeDigest(nonce, 2)));

    assertStatus(200, "OK", client.nextResponse());
    Request last = client.nextRequest();
    client.answer(last, 200);
    assertEquals("terminated", subscriptionState(last).getState(), last.toString());
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  // ---------------------------------------------------------------- requests

  /** A REGISTER of {@code user}'s contact, in the registration {@code callId}. */
  private SipUdpClient.Draft register(String user, String callId, int cseq) {
    return client
        .request("REGISTER", REGISTRAR)
        .header("From", "<sip:" + user + "@" + REALM + ">;tag=" + callId)
        .header("To", "<sip:" + user + "@" + REALM + ">")
        .header("Call-ID", callId)
        .header("CSeq", cseq + " REGISTER")
        .header("Contact", client.contact(user))
        .header("Expires", "600");
  }

  /** alice publishes her presence: open. */
  private SipUdpClient.Draft publish(String callId, int cseq) {
    return client
        .request("PUBLISH", "sip:alice@" + REALM)
        .header("From", "<sip:alice@" + REALM + ">;tag=" + callId)
        .header("To", "<sip:alice@" + REALM + ">")
        .header("Call-ID", callId)
        .header("CSeq", cseq + " PUBLISH")
        .header("Event", "presence")
        .header("Expires", "600")
        .header("Content-Type", "application/pidf+xml")
        .body(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@herald.test\">"
                + "<tuple id=\"t1\"><status><basic>open</basic></status></tuple></presence>");
  }

  /** bob subscribes to alice's presence; in the dialog when {@code heraldTag} is set. */
  private SipUdpClient.Draft subscribe(String callId, int cseq, String heraldTag, int expires) {
    return client
        .request("SUBSCRIBE", "sip:alice@" + REALM)
        .header("From", "<sip:bob@" + REALM + ">;tag=" + callId)
        .header("To", "<sip:alice@" + REALM + ">" + (heraldTag == null ? "" : ";tag=" + heraldTag))
        .header("Call-ID", callId)
        .header("CSeq", cseq + " SUBSCRIBE")
        .header("Contact", client.contact("bob"))
        .header("Event", "presence")
        .header("Accept", "application/pidf+xml")
        .header("Expires", Integer.toString(expires));
  }

  private static String subscribeDigest(String nonce, int nc) {
    return digest(
        DigestAlgorithm.SHA_256,
        "bob",
        "bob-pw",
        REALM,
        nonce,
        "SUBSCRIBE",
        "sip:alice@" + REALM,
        nc);
  }

  /** Sends {@code draft} without credentials, expects 401, and returns the challenge's nonce. */
  private String challenge(SipUdpClient.Draft draft) throws IOException {
    client.send(draft);
    Response r = client.nextResponse();
    assertStatus(401, "Unauthorized", r);
    return challenges(r).get(0).getNonce();
  }

  // ---------------------------------------------------------------- digest (RFC 7616 §3.4)

  /** REGISTER credentials of {@code user} (password {@code <user>-pw}) for Herald's realm. */
  private static String digest(DigestAlgorithm algorithm, String user, String nonce, int nc) {
    return digest(algorithm, user, user + "-pw", REALM, nonce, "REGISTER", REGISTRAR, nc);
  }

  /**
   * An Authorization value with qop=auth: response = H(HA1:nonce:nc:cnonce:auth:H(method:uri)), HA1
   * = H(user:realm:password), computed here independently of Herald's code.
   */
  private static String digest(
      DigestAlgorithm algorithm,
      String user,
      String password,
      String realm,
      String nonce,
      String method,
      String uri,
      int nc) {
    String count = "%08x".formatted(nc);
    String cnonce = "cn" + nc;
    String ha1 = algorithm.ha1(user, realm, password);
    String ha2 = algorithm.hex(method + ":" + uri);
    String response =
        algorithm.hex(ha1 + ":" + nonce + ":" + count + ":" + cnonce + ":auth:" + ha2);
    return "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=%s, cnonce=\"%s\", qop=auth, nc=%s"
        .formatted(user, realm, nonce, uri, response, algorithm.token(), cnonce, count);
  }

  // ---------------------------------------------------------------- assertions

  private static void assertStatus(int status, String reasonPart, Response r) {
    assertEquals(status, r.getStatusCode(), r.toString());
    assertTrue(
        r.getReasonPhrase().contains(reasonPart),
        "reason phrase should contain \"" + reasonPart + "\":\n" + r);
  }

  private static List<WWWAuthenticateHeader> challenges(Response r) {
    List<WWWAuthenticateHeader> out = new ArrayList<>();
    Iterator<?> it = r.getHeaders(WWWAuthenticateHeader.NAME);
    while (it.hasNext()) {
      out.add((WWWAuthenticateHeader) it.next());
    }
    assertTrue(!out.isEmpty(), "no WWW-Authenticate in\n" + r);
    return out;
  }

  private static SubscriptionStateHeader subscriptionState(Request notify) {
    SubscriptionStateHeader h =
        (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
    assertNotNull(h, "no Subscription-State in\n" + notify);
    return h;
  }

  private static String body(Request r) {
    byte[] raw = r.getRawContent();
    return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
  }
}
