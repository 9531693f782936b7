package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.Rejection;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * The engine with a trunk's telephony presence (issue 4): kept beside the user's own publications,
 * replaced NOTIFY by NOTIFY, composed for every watcher, and with Cisco's person element for Cisco
 * clients.
 */
class TelephonyPresenceTest {
  private static final Resource ALICE = new Resource("sip:alice@herald.test", "presence");
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final PresencePackage PACKAGE = new PresencePackage(65_536);

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingNotifyTransport transport = new RecordingNotifyTransport();
  private final PresenceEngine engine =
      new PresenceEngine(
          new PresencePolicy(
              new ExpiresPolicy(60, 3600, 7200),
              new ExpiresPolicy(60, 3600, 7200),
              100,
              10,
              4,
              65_536,
              NotifyTimeoutAction.TERMINATE,
              1,
              AuthorizationPolicy.ALLOW_ALL),
          List.of(PACKAGE),
          KeyedExecutor.callerRuns(),
          transport,
          listener ->
              PresenceStore.caffeine(
                  ticker, Scheduler.disabledScheduler(), Runnable::run, listener));

  private static PidfDocument doc(String tuple, String basic, String personChildren) {
    String xml =
            """
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
            xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
            xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid" entity="sip:alice@herald.test">
          <tuple id="%s"><status><basic>%s</basic></status></tuple>
          <dm:person id="p">%s</dm:person>
        </presence>
        """
            .formatted(tuple, basic, personChildren);
    try {
      return (PidfDocument) PACKAGE.parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
  }

  private static TelephonyDocument phone(String personChildren) {
    return new TelephonyDocument(doc("cucm", "closed", personChildren));
  }

  private static final class Answer implements PublishReply {
    int status = -1;
    int expires = -1;

    @Override
    public void accepted(String etag, int granted) {
      status = 200;
      expires = granted;
    }

    @Override
    public void rejected(Rejection rejection) {
      status = rejection.status();
    }
  }

  private Answer publish(Object document) {
    Answer a = new Answer();
    engine.publish(new PublishRequest(ALICE, null, 600, document), a);
    return a;
  }

  private Answer notifyPhone(TelephonyDocument document, int expires) {
    Answer a = new Answer();
    engine.telephonyNotify(ALICE, document, expires, a);
    return a;
  }

  private void subscribe(String callId, boolean cisco) {
    String text =
        "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK"
            + callId
            + "\r\nMax-Forwards: 70\r\n"
            + "From: <sip:watcher@herald.test>;tag=w-"
            + callId
            + "\r\nTo: <sip:alice@herald.test>\r\n"
            + "Call-ID: "
            + callId
            + "\r\nCSeq: 1 SUBSCRIBE\r\n"
            + "Contact: <sip:watcher@127.0.0.1:5070>\r\n"
            + "Event: presence\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n";
    Request request;
    try {
      request = SipMessages.MESSAGES.createRequest(text);
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
    engine.subscribe(
        new SubscribeRequest(
            ALICE,
            "presence",
            "application/pidf+xml",
            600,
            request,
            UDP,
            "sip:watcher@herald.test",
            cisco),
        new SubscribeReply() {
          @Override
          public void accepted(String localTag, int expires) {}

          @Override
          public void rejected(Rejection rejection) {
            throw new AssertionError(rejection.toString());
          }
        });
    transport.answerAll();
  }

  private String lastBody() {
    transport.answerAll();
    return transport.last().body();
  }

  @Test
  void aTrunksOnThePhoneBeatsTheUsersOwnActivitiesAndBothPublicationsStay() {
    subscribe("w1", false);
    publish(doc("jabber", "open", "<rpid:activities><rpid:meeting/></rpid:activities>"));
    assertTrue(lastBody().contains(":meeting/>"), lastBody());

    assertEquals(200, publish(phone("<rpid:activities><rpid:busy/></rpid:activities>")).status);

    String body = lastBody();
    assertTrue(body.contains(":on-the-phone/>"), body);
    assertFalse(body.contains("meeting"), body);
    assertTrue(body.contains("tuple id=\"jabber\"") && body.contains("tuple id=\"cucm\""), body);
    assertEquals(2, engine.store().publications(ALICE).size());
  }

  @Test
  void watcherCountsOfPresenceAreReportedOnTheLane() {
    List<String> counts = new java.util.ArrayList<>();
    engine.observeWatchers((presentity, count) -> counts.add(presentity + "=" + count));
    subscribe("w1", false);
    subscribe("w2", false);
    assertEquals(List.of("sip:alice@herald.test=1", "sip:alice@herald.test=2"), counts);
  }

  @Test
  void tooOldPhoneStateIsShownClosedWithItsNote() {
    subscribe("w1", false);
    var sink = new dev.herald.cucm.EnginePhoneState(engine, PACKAGE);
    sink.state(
        ALICE.address(), phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>"), 600);
    assertTrue(lastBody().contains(":on-the-phone/>"), lastBody());

    sink.unknown(ALICE.address(), "Phone state unknown: no answer from the call manager");

    String body = lastBody();
    assertFalse(body.contains("on-the-phone"), body);
    assertTrue(body.contains("<basic>closed</basic>"), body);
    assertTrue(body.contains("Phone state unknown: no answer from the call manager"), body);
    assertEquals(1, engine.store().publications(ALICE).size());
  }

  @Test
  void theLatestUnsolicitedNotifyReplacesTheOneBefore() {
    subscribe("w1", false);

    assertEquals(200, notifyPhone(phone("<ce:dnd/>"), 600).status);
    assertTrue(lastBody().contains(":busy/>"), lastBody());
    assertEquals(200, notifyPhone(phone("<ce:available/>"), 600).status);

    assertEquals(1, engine.store().publications(ALICE).size());
    assertFalse(lastBody().contains("activities"), lastBody());
  }

  @Test
  void anUnsolicitedNotifyExpiresAndTerminatedRemovesIt() {
    Answer granted = notifyPhone(phone("<ce:dnd/>"), 100_000);
    assertEquals(7200, granted.expires);

    notifyPhone(null, 0);
    assertEquals(0, engine.store().publications(ALICE).size());

    notifyPhone(phone("<ce:dnd/>"), 120);
    ticker.advance(Duration.ofSeconds(121));
    engine.store().cleanUp();
    assertEquals(0, engine.store().publications(ALICE).size());
  }

  @Test
  void ciscoClientsGetPhoneStatusOthersDoNot() {
    subscribe("plain", false);
    subscribe("cisco", true);
    transport.sent.clear();

    notifyPhone(phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>"), 600);
    transport.answerAll();

    assertEquals(2, transport.sent.size());
    String plain = transport.sent.get(0).body();
    String cisco = transport.sent.get(1).body();
    if (plain.contains("phone-status")) {
      String swap = plain;
      plain = cisco;
      cisco = swap;
    }
    assertFalse(plain.contains("ce:person"), plain);
    assertTrue(cisco.contains("<ce:phone-status>on-the-phone</ce:phone-status>"), cisco);
    assertTrue(cisco.contains("<ce:im-status>unavailable</ce:im-status>"), cisco);
  }

  @Test
  void ringingChangesOnlyWhatCiscoClientsSee() {
    subscribe("plain", false);
    subscribe("cisco", true);
    notifyPhone(phone("<ce:available/>"), 600);
    transport.answerAll();
    transport.sent.clear();

    notifyPhone(phone("<ce:alerting/>"), 600);
    transport.answerAll();

    assertEquals(1, transport.sent.size());
    assertTrue(
        transport.last().body().contains("<ce:phone-status>alerting</ce:phone-status>"),
        transport.last().body());
  }
}
