package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.auth.DigestAlgorithm;
import java.io.IOException;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * The presence limits over real UDP (README "Limits"): a watcher past {@code
 * presence.max-subscriptions-per-watcher} gets 403 naming the limit, and a trusted peer (a trunk)
 * is not counted; {@code presence.max-subscriptions-per-presentity} holds for trusted peers too
 * (503 with Retry-After).
 */
class LimitsIT {
  private static final String REALM = RunningHerald.DOMAIN;

  /** bob, authenticated by digest, may hold two subscriptions; the third is refused. */
  @Test
  void anAuthenticatedWatcherPastItsLimitGets403AndAnUnsubscribeFreesAPlace() throws Exception {
    try (RunningHerald herald =
            RunningHerald.startUntrustedWith(
                RunningHerald.presence("max-subscriptions-per-watcher: 2"));
        SipUdpClient client = SipUdpClient.open(herald.port())) {
      Response alice = subscribeAsBob(client, "alice", "w1", null, 600);
      assertEquals(200, alice.getStatusCode(), alice.toString());
      answerNotify(client);
      assertEquals(200, subscribeAsBob(client, "carol", "w2", null, 600).getStatusCode());
      answerNotify(client);

      Response refused = subscribeAsBob(client, "dave", "w3", null, 600);
      assertEquals(403, refused.getStatusCode(), refused.toString());
      assertEquals(
          "Forbidden (sip:bob@herald.test holds 2 subscriptions, the limit of"
              + " presence.max-subscriptions-per-watcher)",
          refused.getReasonPhrase());
      assertEquals(2, herald.stats().subscriptions());
      String stats = herald.herald().statsLine();
      assertTrue(stats.contains(" subscriptions=2 "), stats);
      assertTrue(stats.contains(" stack-dialogs=0 "), stats);

      String tag = ((javax.sip.header.ToHeader) alice.getHeader("To")).getTag();
      assertEquals(200, subscribeAsBob(client, "alice", "w1", tag, 0).getStatusCode());
      answerNotify(client);
      herald.await("alice's subscription gone", s -> s.subscriptions() == 1);
      assertEquals(200, subscribeAsBob(client, "dave", "w4", null, 600).getStatusCode());
      answerNotify(client);
    }
  }

  /**
   * From a trusted peer one watcher address may exceed the per-watcher limit (a trunk subscribes
   * for many users), but a presentity's watchers are still bounded.
   */
  @Test
  void aTrustedPeerIsNotCountedPerWatcherButThePresentityLimitHolds() throws Exception {
    try (RunningHerald herald =
            RunningHerald.start(
                RunningHerald.presence(
                    """
                    max-subscriptions-per-watcher: 1
                    max-subscriptions-per-presentity: 1
                    """));
        SipUdpClient client = SipUdpClient.open(herald.port())) {
      for (String presentity : new String[] {"alice", "carol", "dave"}) {
        client.send(
            subscribe(client, "trunk", presentity, presentity, null)
                .header("CSeq", "1 SUBSCRIBE")
                .header("Expires", "600"));
        Response ok = client.nextResponse();
        assertEquals(200, ok.getStatusCode(), ok.toString());
        answerNotify(client);
      }

      client.send(
          subscribe(client, "other", "alice", "x", null)
              .header("CSeq", "1 SUBSCRIBE")
              .header("Expires", "600"));
      Response refused = client.nextResponse();
      assertEquals(503, refused.getStatusCode(), refused.toString());
      assertEquals(
          "Service Unavailable (sip:alice@herald.test has 1 watchers, the limit of"
              + " presence.max-subscriptions-per-presentity)",
          refused.getReasonPhrase());
      assertNotNull(refused.getHeader("Retry-After"), refused.toString());
      assertEquals(3, herald.stats().subscriptions());
    }
  }

  // ---------------------------------------------------------------- requests

  private static SipUdpClient.Draft subscribe(
      SipUdpClient client, String watcher, String presentity, String callId, String heraldTag) {
    return client
        .request("SUBSCRIBE", "sip:" + presentity + "@" + REALM)
        .header("From", "<sip:" + watcher + "@" + REALM + ">;tag=" + callId)
        .header(
            "To",
            "<sip:"
                + presentity
                + "@"
                + REALM
                + ">"
                + (heraldTag == null ? "" : ";tag=" + heraldTag))
        .header("Call-ID", callId + "@limits")
        .header("Event", "presence")
        .header("Accept", "application/pidf+xml")
        .header("Contact", client.contact(watcher));
  }

  /** A SUBSCRIBE from bob: challenged (401), then sent again with his digest credentials. */
  private static Response subscribeAsBob(
      SipUdpClient client, String presentity, String callId, String heraldTag, int expires)
      throws IOException {
    int cseq = heraldTag == null ? 1 : 3;
    client.send(
        subscribe(client, "bob", presentity, callId, heraldTag)
            .header("CSeq", cseq + " SUBSCRIBE")
            .header("Expires", Integer.toString(expires)));
    Response challenge = client.nextResponse();
    assertEquals(401, challenge.getStatusCode(), challenge.toString());
    String nonce = ((WWWAuthenticateHeader) challenge.getHeader("WWW-Authenticate")).getNonce();
    String uri = "sip:" + presentity + "@" + REALM;
    client.send(
        subscribe(client, "bob", presentity, callId, heraldTag)
            .header("CSeq", (cseq + 1) + " SUBSCRIBE")
            .header("Expires", Integer.toString(expires))
            .header("Authorization", digest(nonce, uri)));
    return client.nextResponse();
  }

  private static void answerNotify(SipUdpClient client) throws IOException {
    Request notify = client.nextRequest();
    assertEquals("NOTIFY", notify.getMethod(), notify.toString());
    client.answer(notify, 200);
  }

  /** bob's MD5 credentials with qop=auth (RFC 7616 §3.4), computed here, not by Herald's code. */
  private static String digest(String nonce, String uri) {
    DigestAlgorithm md5 = DigestAlgorithm.MD5;
    String ha1 = md5.ha1("bob", REALM, "bob-pw");
    String ha2 = md5.hex("SUBSCRIBE:" + uri);
    String response = md5.hex(ha1 + ":" + nonce + ":00000001:cn:auth:" + ha2);
    return ("Digest username=\"bob\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\","
            + " algorithm=MD5, cnonce=\"cn\", qop=auth, nc=00000001")
        .formatted(REALM, nonce, uri, response);
  }
}
