package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dialog event package for busy lamp fields (RFC 4235; the CUCM-trunk issue, BLF): a SIPp BLF
 * watcher sees a published dialog early, confirmed, terminated, with versions counting up per
 * NOTIFY (§4.1), and never sees it again as anything but terminated (§3.7.1) when a stale
 * publication arrives; a BLF watcher of a user whose phone state comes from a CUCM trunk sees a
 * dialog derived from CUCM's presence PUBLISH; bad requests get the RFC's answers.
 */
class DialogPackageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static RunningHerald herald;

  @BeforeAll
  static void start() throws Exception {
    // Nothing listens on the peer's port; what makes 127.0.0.1 alice's telephony source is the
    // peer's host (see TelephonyPresenceIT).
    int silentPort = LoopbackPorts.freeUdpAndTcpPort();
    herald =
        RunningHerald.start(
                """
            trunks:
              - name: cucm1
                peers: [{host: 127.0.0.1, port: %d, transport: udp}]
                telephony-source: [sip:alice@herald.test]
            """
                .formatted(silentPort));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void blfWatcherSeesEarlyConfirmedTerminatedInOrderAndNeverGoesBack() {
    try (RunningSipp watcher =
        herald.sipp("watcher-dialog", SippTransport.UDP).service("bob").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald.sipp("dialog-publisher", SippTransport.UDP).service("bob").run().assertPassed();
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // version 0 to 4 (the stale publication made none), and the final one
      assertEquals(6, w.received("NOTIFY"), w.describe());
    }
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  @Test
  void blfWatcherOfACucmUserSeesTheDialogDerivedFromCucmsPresence() {
    try (RunningSipp watcher =
        herald.sipp("watcher-blf", SippTransport.UDP).service("alice").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald.sipp("cucm-phone-publisher", SippTransport.UDP).service("alice").run().assertPassed();
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // initial, confirmed (busy), terminated (available), unsubscribe
      assertEquals(4, w.received("NOTIFY"), w.describe());
    }
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  private static int cseq = 1;

  private static SipUdpClient.Draft request(SipUdpClient c, String method, String event) {
    return c.request(method, "sip:carol@herald.test")
        .header("From", "<sip:carol@herald.test>;tag=t" + cseq)
        .header("To", "<sip:carol@herald.test>")
        .header("Call-ID", "dialog-errors-" + cseq)
        .header("CSeq", cseq++ + " " + method)
        .header("Contact", c.contact("carol"))
        .header("Event", event);
  }

  private static Response answer(SipUdpClient c, SipUdpClient.Draft draft, int status)
      throws Exception {
    c.send(draft);
    Response r = c.nextResponse();
    assertEquals(status, r.getStatusCode(), r.toString());
    return r;
  }

  private static List<String> values(Response r, String header) {
    List<String> out = new ArrayList<>();
    Iterator<?> it = r.getHeaders(header);
    while (it.hasNext()) {
      String h = it.next().toString();
      for (String v : h.substring(h.indexOf(':') + 1).split(",")) {
        out.add(v.strip());
      }
    }
    return out;
  }

  /** RFC 3903 §6, RFC 6665 §8.2.1, RFC 3261 §11 for the dialog package; each reason says why. */
  @Test
  void badRequestsGetTheRfcsAnswersAndDialogIsAdvertised() throws Exception {
    try (SipUdpClient c = SipUdpClient.open(herald.port())) {
      Response r =
          answer(
              c,
              request(c, "PUBLISH", "dialog")
                  .header("Content-Type", "application/pidf+xml")
                  .body("<presence/>"),
              415);
      assertEquals(List.of("application/dialog-info+xml"), values(r, "Accept"));

      r =
          answer(
              c,
              request(c, "PUBLISH", "dialog")
                  .header("Content-Type", "application/dialog-info+xml")
                  .body(
                      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"0\""
                          + " state=\"full\" entity=\"sip:carol@herald.test\"><dialog id=\"x\">"
                          + "<state>ringing</state></dialog></dialog-info>"),
              400);
      assertTrue(r.getReasonPhrase().contains("unknown dialog state ringing"), r.getReasonPhrase());

      r =
          answer(
              c,
              request(c, "PUBLISH", "dialog")
                  .header("Content-Type", "application/dialog-info+xml")
                  .body("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"),
              400);
      assertTrue(r.getReasonPhrase().contains("DOCTYPE not allowed"), r.getReasonPhrase());

      r = answer(c, request(c, "PUBLISH", "message-summary"), 489);
      assertEquals(List.of("presence", "dialog"), values(r, "Allow-Events"));

      r = answer(c, request(c, "SUBSCRIBE", "message-summary").header("Expires", "60"), 489);
      assertTrue(values(r, "Allow-Events").contains("dialog"), r.toString());

      r =
          answer(
              c,
              request(c, "SUBSCRIBE", "dialog")
                  .header("Accept", "application/pidf+xml")
                  .header("Expires", "60"),
              406);
      assertEquals(List.of("application/dialog-info+xml"), values(r, "Accept"));

      r = answer(c, request(c, "OPTIONS", "dialog"), 200);
      assertTrue(values(r, "Allow-Events").contains("dialog"), r.toString());
      assertTrue(values(r, "Accept").contains("application/dialog-info+xml"), r.toString());
    }
  }
}
