package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.presence.dialog.Dialog;
import dev.herald.presence.dialog.DialogInfo;
import dev.herald.presence.dialog.DialogState;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.Rejection;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * The dialog package in the engine (RFC 4235 §4.1): each subscription's NOTIFYs count their version
 * from 0, full state on subscribe and on refresh, a trunk's presence reaches BLF watchers as a
 * derived dialog, and BLF watchers count as watchers of the phone state.
 */
class DialogSubscriptionTest {
  private static final String ADDRESS = "sip:alice@herald.test";
  private static final Resource DIALOG = new Resource(ADDRESS, "dialog");
  private static final Resource PRESENCE = new Resource(ADDRESS, "presence");
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final PresencePackage PIDF = new PresencePackage(65_536);

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingNotifyTransport transport = new RecordingNotifyTransport();
  private PresenceEngine engine = engine(AuthorizationPolicy.ALLOW_ALL);

  private PresenceEngine engine(AuthorizationPolicy authorization) {
    return new PresenceEngine(
        new PresencePolicy(
            new ExpiresPolicy(60, 3600, 7200),
            new ExpiresPolicy(60, 3600, 7200),
            100,
            10,
            4,
            65_536,
            NotifyTimeoutAction.TERMINATE,
            1,
            authorization),
        List.of(PIDF, new DialogPackage(65_536, Duration.ofHours(2), ticker)),
        KeyedExecutor.callerRuns(),
        transport,
        listener ->
            PresenceStore.caffeine(ticker, Scheduler.disabledScheduler(), Runnable::run, listener));
  }

  private int cseq = 1;

  private String subscribe(Resource r, String callId, String toTag) {
    String text =
        "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK"
            + callId
            + cseq
            + "\r\nMax-Forwards: 70\r\n"
            + "From: <sip:watcher@herald.test>;tag=w-"
            + callId
            + "\r\nTo: <sip:alice@herald.test>"
            + (toTag == null ? "" : ";tag=" + toTag)
            + "\r\nCall-ID: "
            + callId
            + "\r\nCSeq: "
            + cseq++
            + " SUBSCRIBE\r\n"
            + "Contact: <sip:watcher@127.0.0.1:5070>\r\n"
            + "Event: "
            + r.eventPackage()
            + "\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n";
    Request request;
    try {
      request = SipMessages.MESSAGES.createRequest(text);
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
    String type =
        r.eventPackage().equals("dialog") ? DialogPackage.DIALOG_INFO : PresencePackage.PIDF;
    String[] tag = {null};
    engine.subscribe(
        new SubscribeRequest(
            r, r.eventPackage(), type, 600, request, UDP, "sip:watcher@herald.test", false),
        new SubscribeReply() {
          @Override
          public void accepted(String localTag, int expires) {
            tag[0] = localTag;
          }

          @Override
          public void rejected(Rejection rejection) {
            throw new AssertionError(rejection.toString());
          }
        });
    transport.answerAll();
    return tag[0];
  }

  private String publish(Resource r, String ifMatch, Object document) {
    String[] etag = {null};
    engine.publish(
        new PublishRequest(r, ifMatch, 600, document),
        new PublishReply() {
          @Override
          public void accepted(String tag, int expires) {
            etag[0] = tag;
          }

          @Override
          public void rejected(Rejection rejection) {
            throw new AssertionError(rejection.toString());
          }
        });
    transport.answerAll();
    return etag[0];
  }

  private static DialogInfo info(String id, DialogState state) {
    return new DialogInfo(ADDRESS, true, List.of(Dialog.of(id, state)));
  }

  /** Version and dialog states of the dialog NOTIFYs sent to the subscription of Call-ID. */
  private List<String> seenBy(String callId) {
    List<String> out = new ArrayList<>();
    Pattern version = Pattern.compile("version=\"(\\d+)\"");
    Pattern state = Pattern.compile("<state[^>]*>([a-z]+)</state>");
    for (RecordingNotifyTransport.Sent s : transport.sent) {
      String id = ((javax.sip.header.CallIdHeader) s.request().getHeader("Call-ID")).getCallId();
      if (!id.equals(callId)) {
        continue;
      }
      Matcher v = version.matcher(s.body());
      assertTrue(v.find(), s.body());
      StringBuilder line = new StringBuilder("v" + v.group(1));
      Matcher m = state.matcher(s.body());
      while (m.find()) {
        line.append(' ').append(m.group(1));
      }
      out.add(line.toString());
    }
    return out;
  }

  private static TelephonyDocument phone(String personChildren) {
    String xml =
            """
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
            xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
            xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid" entity="sip:alice@herald.test">
          <tuple id="cucm"><status><basic>open</basic></status></tuple>
          <dm:person id="p">%s</dm:person>
        </presence>
        """
            .formatted(personChildren);
    try {
      return new TelephonyDocument((PidfDocument) PIDF.parse(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
  }

  private void telephony(TelephonyDocument doc) {
    engine.telephonyNotify(
        PRESENCE,
        doc,
        600,
        new PublishReply() {
          @Override
          public void accepted(String etag, int expires) {}

          @Override
          public void rejected(Rejection rejection) {
            throw new AssertionError(rejection.toString());
          }
        });
    transport.answerAll();
  }

  @Test
  void earlyConfirmedTerminatedWithVersionsCountedPerSubscription() {
    String tag = subscribe(DIALOG, "w1", null);
    String etag = publish(DIALOG, null, info("d1", DialogState.EARLY));
    etag = publish(DIALOG, etag, info("d1", DialogState.CONFIRMED));
    subscribe(DIALOG, "w2", null);
    etag = publish(DIALOG, etag, info("d1", DialogState.TERMINATED));
    // a stale publication shows d1 confirmed again: nothing changes, so no NOTIFY
    etag = publish(DIALOG, etag, info("d1", DialogState.CONFIRMED));
    // a refresh gets the full state again, one version up
    subscribe(DIALOG, "w1", tag);

    assertEquals(
        List.of("v0", "v1 early", "v2 confirmed", "v3 terminated", "v4 terminated"), seenBy("w1"));
    assertEquals(List.of("v0 confirmed", "v1 terminated"), seenBy("w2"));
  }

  @Test
  void theWatcherRulesOfPresenceApply() {
    engine =
        engine(new AuthorizationPolicy(dev.herald.config.WatcherPolicy.BLOCK, java.util.Map.of()));
    publish(DIALOG, null, info("d1", DialogState.CONFIRMED));
    subscribe(DIALOG, "blocked", null);
    // politely blocked: a dialog-info with no dialog, versions counted all the same
    assertEquals(List.of("v0"), seenBy("blocked"));
    engine.authorization().allow(ADDRESS, "sip:watcher@herald.test");
    transport.answerAll();
    assertEquals(List.of("v0", "v1 confirmed"), seenBy("blocked"));
  }

  @Test
  void terminatedPublishedWithNobodyWatchingIsStillFinal() {
    String etag = publish(DIALOG, null, info("d1", DialogState.TERMINATED));
    publish(DIALOG, etag, info("d1", DialogState.CONFIRMED));
    subscribe(DIALOG, "w1", null);
    assertEquals(List.of("v0 terminated"), seenBy("w1"));
  }

  @Test
  void cucmPresenceReachesBlfWatchersAsADerivedDialog() {
    subscribe(DIALOG, "w1", null);
    telephony(phone("<ce:alerting/>"));
    telephony(phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>"));
    telephony(phone("<ce:available/>"));
    assertEquals(List.of("v0", "v1 early", "v2 confirmed", "v3 terminated"), seenBy("w1"));
  }

  @Test
  void blfWatchersCountAsWatchersOfThePhoneState() {
    List<String> counts = new ArrayList<>();
    engine.observeWatchers((presentity, count) -> counts.add(presentity + "=" + count));
    subscribe(DIALOG, "w1", null);
    subscribe(PRESENCE, "w2", null);
    assertEquals(List.of(ADDRESS + "=1", ADDRESS + "=2"), counts);
  }

  @Test
  void dialogIsPublishableAndServed() {
    assertEquals(List.of("presence", "dialog"), engine.publishablePackageNames());
    assertEquals(List.of("presence", "dialog"), engine.eventPackageNames());
  }
}
