package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import dev.herald.presence.RecordingNotifyTransport.Sent;
import dev.herald.presence.auth.PresenceAuthorization;
import dev.herald.presence.auth.WatcherRules;
import dev.herald.presence.pidf.PidfComposer;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * Authorization of watchers (RFC 3856 §6.6.2: pending, allowed, politely blocked), decisions made
 * through the API, and watcher information (RFC 3857, RFC 3858), on the engine with a recording
 * transport, a same-thread executor and a fake ticker.
 */
class WatcherAuthorizationTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final Resource PRESENCE = new Resource(ALICE, "presence");
  private static final Resource WINFO = new Resource(ALICE, "presence.winfo");
  private static final String PAT = "sip:pat@partner.example";
  private static final String SAM = "sip:sam@spam.example";
  private static final String CAROL = "sip:carol@herald.test";
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final String CLOSED = PidfComposer.closed(ALICE);

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingNotifyTransport transport = new RecordingNotifyTransport();
  private PresenceEngine engine = engine(10);
  private int cseq = 1;

  /** Default allow; partner.example confirms, spam.example is blocked; Alice blocks Mallory. */
  private PresenceEngine engine(int maxWatchers) {
    PresencePolicy policy =
        new PresencePolicy(
            new ExpiresPolicy(60, 3600, 7200),
            new ExpiresPolicy(60, 3600, 7200),
            100,
            maxWatchers,
            4,
            65536,
            NotifyTimeoutAction.TERMINATE,
            1,
            new AuthorizationPolicy(
                WatcherPolicy.ALLOW,
                Map.of(
                    "partner.example", WatcherPolicy.CONFIRM,
                    "spam.example", WatcherPolicy.BLOCK)));
    PresencePackage presence = new PresencePackage(65536);
    return new PresenceEngine(
        policy,
        List.of(presence, new WatcherInfoPackage(presence.name())),
        KeyedExecutor.callerRuns(),
        transport,
        listener ->
            PresenceStore.caffeine(ticker, Scheduler.disabledScheduler(), Runnable::run, listener),
        address -> false,
        WatcherRules.of(
            policy.authorization(),
            address ->
                address.equals(ALICE)
                    ? new PresenceLists(List.of(), List.of("sip:mallory@herald.test"))
                    : PresenceLists.NONE));
  }

  private PresenceAuthorization authorization() {
    return engine.authorization();
  }

  // ------------------------------------------------------------------ helpers

  private void publish(String note) {
    String xml =
            """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="%s">
          <tuple id="t-%s"><status><basic>open</basic></status><note>%s</note></tuple>
        </presence>"""
            .formatted(ALICE, note, note);
    Object doc;
    try {
      doc = new PresencePackage(65536).parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
    RecordingAnswer a = new RecordingAnswer();
    engine.publish(new PublishRequest(PRESENCE, null, 600, doc), a);
    assertEquals(200, a.status());
  }

  /** A SUBSCRIBE from {@code watcher} (its From), initial when {@code toTag} is null. */
  private RecordingAnswer subscribe(
      Resource r, String watcher, String callId, String toTag, Integer expires) {
    boolean winfo = r.eventPackage().equals("presence.winfo");
    String text =
        "SUBSCRIBE "
            + r.address()
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK"
            + callId
            + cseq
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <"
            + watcher
            + ">;tag=w-"
            + callId
            + "\r\n"
            + "To: <"
            + r.address()
            + ">"
            + (toTag == null ? "" : ";tag=" + toTag)
            + "\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: "
            + (cseq++)
            + " SUBSCRIBE\r\n"
            + "Contact: <sip:watcher@127.0.0.1:5070>\r\n"
            + "Event: "
            + r.eventPackage()
            + "\r\n"
            + (expires == null ? "" : "Expires: " + expires + "\r\n")
            + "Content-Length: 0\r\n\r\n";
    Request request;
    try {
      request = SipMessages.MESSAGES.createRequest(text);
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
    RecordingAnswer a = new RecordingAnswer();
    engine.subscribe(
        new SubscribeRequest(
            r,
            r.eventPackage(),
            winfo ? "application/watcherinfo+xml" : "application/pidf+xml",
            expires,
            request,
            UDP,
            watcher),
        a);
    return a;
  }

  private RecordingAnswer subscribe(String watcher, String callId) {
    return subscribe(PRESENCE, watcher, callId, null, 600);
  }

  private static String contentType(Sent s) {
    ContentTypeHeader ct = (ContentTypeHeader) s.request().getHeader(ContentTypeHeader.NAME);
    return ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType();
  }

  private static String event(Sent s) {
    return ((EventHeader) s.request().getHeader(EventHeader.NAME)).getEventType();
  }

  /** The NOTIFYs sent to the dialog of {@code callId}, in order. */
  private List<Sent> to(String callId) {
    return transport.sent.stream()
        .filter(s -> s.request().getHeader("Call-ID").toString().contains(callId))
        .toList();
  }

  private Sent lastTo(String callId) {
    List<Sent> sent = to(callId);
    return sent.get(sent.size() - 1);
  }

  // ------------------------------------------------------------------ pending (confirm)

  @Test
  void aWatcherToConfirmGets200ThenAPendingNotifyWithoutBody() {
    publish("in-a-meeting");
    transport.answerAll();

    RecordingAnswer a = subscribe(PAT, "p1");

    assertEquals(200, a.status());
    Sent first = lastTo("p1");
    assertEquals("pending;expires=600", first.state());
    assertEquals("", first.body());
    assertNull(contentType(first), "no body, so no Content-Type");
    assertEquals(List.of(PAT), authorization().pending(ALICE));
  }

  @Test
  void publicationsDoNotReachAPendingWatcher() {
    subscribe(PAT, "p1");
    transport.answerAll();

    publish("state-1");
    publish("state-2");

    assertEquals(1, to("p1").size());
  }

  @Test
  void allowingAPendingWatcherSendsItTheFullState() {
    publish("in-a-meeting");
    subscribe(PAT, "p1");
    transport.answerAll();

    authorization().allow(ALICE, PAT);

    Sent allowed = lastTo("p1");
    assertEquals(2, to("p1").size());
    assertEquals("active;expires=600", allowed.state());
    assertEquals("application/pidf+xml", contentType(allowed));
    assertTrue(allowed.body().contains("<note>in-a-meeting</note>"), allowed.body());
    assertEquals(List.of(), authorization().pending(ALICE));
    transport.answerAll();

    publish("back");
    assertTrue(lastTo("p1").body().contains("<note>back</note>"), "later changes reach it");
  }

  @Test
  void denyingAPendingWatcherSendsThePoliteBlockDocument() {
    publish("in-a-meeting");
    subscribe(PAT, "p1");
    transport.answerAll();

    authorization().deny(ALICE, PAT);

    Sent denied = lastTo("p1");
    assertEquals("active;expires=600", denied.state(), "active, as if allowed");
    assertEquals(CLOSED, denied.body());
    assertEquals(List.of(), authorization().pending(ALICE));
    transport.answerAll();
    publish("later");
    assertEquals(2, to("p1").size(), "a blocked watcher is not told of changes");
  }

  @Test
  void aDecisionAppliesToEverySubscriptionOfTheWatcherAndToLaterOnes() {
    subscribe(PAT, "p1");
    subscribe(PAT, "p2");
    subscribe("sip:quinn@partner.example", "q1");
    assertEquals(List.of(PAT, "sip:quinn@partner.example"), authorization().pending(ALICE));
    transport.answerAll();

    authorization().allow(ALICE, "SIP:pat@Partner.Example");

    assertEquals("active;expires=600", lastTo("p1").state());
    assertEquals("active;expires=600", lastTo("p2").state());
    assertEquals("pending;expires=600", lastTo("q1").state(), "another watcher still waits");
    assertEquals(List.of("sip:quinn@partner.example"), authorization().pending(ALICE));
    subscribe(PAT, "p3");
    assertEquals("active;expires=600", lastTo("p3").state());
  }

  @Test
  void aPendingSubscriptionExpiresLikeAnyOther() {
    subscribe(PAT, "p1");
    transport.answerAll();

    ticker.advance(Duration.ofSeconds(601));
    engine.store().cleanUp();

    assertEquals("terminated;reason=timeout", lastTo("p1").state());
    assertEquals("", lastTo("p1").body(), "still nothing to show");
    assertEquals(List.of(), authorization().pending(ALICE));
    assertEquals(0, engine.stats().subscriptions());
  }

  @Test
  void aPendingRefreshIsPendingAgainAndAPendingUnsubscribeHasNoBody() {
    RecordingAnswer a = subscribe(PAT, "p1");
    transport.answerAll();

    subscribe(PRESENCE, PAT, "p1", a.localTag, 1200);
    assertEquals("pending;expires=1200", lastTo("p1").state());
    assertEquals("", lastTo("p1").body());
    transport.answerAll();

    subscribe(PRESENCE, PAT, "p1", a.localTag, 0);
    assertEquals("terminated;reason=timeout", lastTo("p1").state());
    assertEquals("", lastTo("p1").body());
  }

  @Test
  void pendingSubscriptionsCountAgainstTheWatcherLimit() {
    engine = engine(2);
    subscribe(PAT, "p1");
    subscribe("sip:quinn@partner.example", "q1");

    assertEquals(503, subscribe(CAROL, "c1").status());
  }

  /** A fetch cannot wait for the presentity to decide (RFC 6665 §4.4.3, reason giveup). */
  @Test
  void aFetchByAWatcherToConfirmGivesUpWithoutState() {
    publish("in-a-meeting");

    assertEquals(200, subscribe(PRESENCE, PAT, "p1", null, 0).status());

    assertEquals("terminated;reason=giveup", lastTo("p1").state());
    assertEquals("", lastTo("p1").body());
    assertEquals(List.of(), authorization().pending(ALICE), "a fetch leaves nothing to decide");
  }

  // ------------------------------------------------------------------ polite blocking

  @Test
  void aBlockedWatcherSeesOnlyClosedAndIsNotToldOfChanges() {
    publish("in-a-meeting");
    transport.answerAll();

    RecordingAnswer a = subscribe(SAM, "s1");

    assertEquals(200, a.status());
    assertEquals("active;expires=600", lastTo("s1").state());
    assertEquals(CLOSED, lastTo("s1").body(), "the entity and one closed tuple, nothing else");
    transport.answerAll();

    publish("state-2");
    assertEquals(1, to("s1").size(), "no NOTIFY: nothing changed for a blocked watcher");

    subscribe(PRESENCE, SAM, "s1", a.localTag, 600);
    assertEquals(2, to("s1").size(), "a refresh gets its full-state NOTIFY");
    assertEquals(CLOSED, lastTo("s1").body());
    transport.answerAll();

    subscribe(PRESENCE, SAM, "s1", a.localTag, 0);
    assertEquals("terminated;reason=timeout", lastTo("s1").state());
    assertEquals(CLOSED, lastTo("s1").body());
  }

  @Test
  void theBlockListOfTheUsersFileBlocksAWatcherOfAnAllowedDomain() {
    publish("in-a-meeting");

    subscribe("sip:mallory@herald.test", "m1");
    subscribe(CAROL, "c1");

    assertEquals(CLOSED, lastTo("m1").body());
    assertTrue(lastTo("c1").body().contains("in-a-meeting"));
  }

  @Test
  void aBlockedFetchGetsClosed() {
    publish("in-a-meeting");

    subscribe(PRESENCE, SAM, "s1", null, 0);

    assertEquals("terminated;reason=timeout", lastTo("s1").state());
    assertEquals(CLOSED, lastTo("s1").body());
  }

  @Test
  void denyingAnAllowedWatcherShowsClosedFromThenOnAndAllowingAgainShowsTheState() {
    publish("state-1");
    subscribe(CAROL, "c1");
    transport.answerAll();

    authorization().deny(ALICE, CAROL);
    assertEquals(CLOSED, lastTo("c1").body());
    assertEquals("active;expires=600", lastTo("c1").state());
    transport.answerAll();
    publish("state-2");
    assertEquals(2, to("c1").size());

    authorization().allow(ALICE, CAROL);
    assertTrue(lastTo("c1").body().contains("state-2"), lastTo("c1").body());
  }

  /** The state waiting behind an unanswered NOTIFY is replaced by the block: nothing leaks. */
  @Test
  void aDenyOvertakesAStateStillWaitingToBeSent() {
    subscribe(CAROL, "c1");
    transport.answerAll();
    publish("state-1");
    publish("secret");
    assertEquals(2, to("c1").size(), "state-1 in flight, secret waiting behind it");

    authorization().deny(ALICE, CAROL);
    transport.answerAll();

    assertEquals(3, to("c1").size());
    assertEquals(CLOSED, lastTo("c1").body());
    assertTrue(to("c1").stream().noneMatch(s -> s.body().contains("secret")));
  }

  @Test
  void aUserAlwaysSeesTheirOwnPresence() {
    publish("in-a-meeting");
    authorization().deny(ALICE, ALICE);

    subscribe(ALICE, "a1");

    assertTrue(lastTo("a1").body().contains("in-a-meeting"));
  }

  @Test
  void theApiRefusesWhatIsNotAnAddress() {
    assertThrows(IllegalArgumentException.class, () -> authorization().allow(ALICE, "pat"));
    assertThrows(IllegalArgumentException.class, () -> authorization().deny("alice", PAT));
    assertThrows(IllegalArgumentException.class, () -> authorization().pending("alice"));
  }

  // ------------------------------------------------------------------ watcher info

  private String winfoDocument(String callId, int index) {
    return to(callId).get(index).body();
  }

  @Test
  void aWatcherInfoSubscriberGetsTheListAtOnce() {
    subscribe(CAROL, "c1");
    transport.answerAll();

    RecordingAnswer a = subscribe(WINFO, ALICE, "w1", null, 600);

    assertEquals(200, a.status());
    Sent first = lastTo("w1");
    assertEquals("active;expires=600", first.state());
    assertEquals("presence.winfo", event(first));
    assertEquals("application/watcherinfo+xml", contentType(first));
    assertTrue(first.body().contains(" version=\"0\" state=\"full\""), first.body());
    assertTrue(
        first
            .body()
            .contains("<watcher-list resource=\"sip:alice@herald.test\" package=\"presence\">"),
        first.body());
    assertTrue(
        first.body().contains("status=\"active\" event=\"subscribe\">sip:carol@herald.test<"),
        first.body());
  }

  /** Subscribe (pending), allow (active, approved), unsubscribe (terminated, timeout). */
  @Test
  void watcherInfoFollowsAWatcherThroughItsLife() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();
    assertTrue(winfoDocument("w1", 0).contains("package=\"presence\"></watcher-list>"));

    RecordingAnswer pat = subscribe(PAT, "p1");
    transport.answerAll();
    String pending = winfoDocument("w1", 1);
    assertTrue(pending.contains(" version=\"1\" "), pending);
    assertTrue(pending.contains("status=\"pending\" event=\"subscribe\">" + PAT + "<"), pending);

    authorization().allow(ALICE, PAT);
    transport.answerAll();
    String approved = winfoDocument("w1", 2);
    assertTrue(approved.contains(" version=\"2\" "), approved);
    assertTrue(approved.contains("status=\"active\" event=\"approved\">" + PAT + "<"), approved);

    subscribe(PRESENCE, PAT, "p1", pat.localTag, 0);
    transport.answerAll();
    String gone = winfoDocument("w1", 3);
    assertTrue(gone.contains(" version=\"3\" "), gone);
    assertTrue(gone.contains("status=\"terminated\" event=\"timeout\">" + PAT + "<"), gone);
    assertEquals(4, to("w1").size());

    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();
  }

  @Test
  void watcherInfoKeepsTheSameIdForASubscriptionAndListsEachSubscription() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    subscribe(PAT, "p1");
    subscribe(PAT, "p2");
    transport.answerAll();
    authorization().allow(ALICE, PAT);
    transport.answerAll();

    assertEquals(3, to("w1").size(), "both subscriptions arrived while version 0 was in flight");
    String before = winfoDocument("w1", 1);
    String after = winfoDocument("w1", 2);
    assertTrue(after.contains("event=\"approved\""), after);
    java.util.regex.Matcher ids =
        java.util.regex.Pattern.compile("<watcher id=\"([^\"]+)\"").matcher(after);
    int count = 0;
    while (ids.find()) {
      assertTrue(before.contains("<watcher id=\"" + ids.group(1) + "\""), before);
      count++;
    }
    assertEquals(2, count, after);
  }

  @Test
  void aDeniedPendingWatcherIsListedAsActiveAsThePoliteBlockMakesIt() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    subscribe(PAT, "p1");
    transport.answerAll();

    authorization().deny(ALICE, PAT);
    transport.answerAll();

    assertTrue(
        lastTo("w1").body().contains("status=\"active\" event=\"approved\">" + PAT + "<"),
        lastTo("w1").body());
  }

  @Test
  void aWatcherBlockedFromTheStartIsListedAsActive() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();

    subscribe(SAM, "s1");

    assertTrue(
        lastTo("w1").body().contains("status=\"active\" event=\"subscribe\">" + SAM + "<"),
        lastTo("w1").body());
  }

  /** Allowed to blocked changes no subscription state, so the list has nothing new to say. */
  @Test
  void switchingAnActiveWatcherBetweenAllowedAndBlockedSendsNoWatcherInfo() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    subscribe(CAROL, "c1");
    transport.answerAll();
    int before = to("w1").size();

    authorization().deny(ALICE, CAROL);
    authorization().allow(ALICE, CAROL);

    assertEquals(before, to("w1").size());
  }

  @Test
  void anExpiredWatcherIsListedAsTerminatedByTimeout() {
    subscribe(WINFO, ALICE, "w1", null, 3600);
    subscribe(PRESENCE, CAROL, "c1", null, 60);
    transport.answerAll();

    ticker.advance(Duration.ofSeconds(61));
    engine.store().cleanUp();

    assertTrue(
        lastTo("w1").body().contains("status=\"terminated\" event=\"timeout\">" + CAROL + "<"),
        lastTo("w1").body());
  }

  @Test
  void aWatcherWhoseNotifyFailsIsListedAsTerminated() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();
    subscribe(CAROL, "c1");
    lastTo("w1").answer(200);

    lastTo("c1").answer(481);

    assertTrue(
        lastTo("w1").body().contains("status=\"terminated\" event=\"timeout\">" + CAROL + "<"),
        lastTo("w1").body());
  }

  /** Versions count the NOTIFYs of each subscription: one that waited and was replaced is not. */
  @Test
  void versionsCountTheNotifiesSentToEachSubscriber() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();
    subscribe(PAT, "p1");
    assertEquals(2, to("w1").size(), "version 1 in flight");
    subscribe(CAROL, "c1");
    subscribe(SAM, "s1");
    subscribe(WINFO, ALICE, "w2", null, 600);

    transport.answerAll();

    assertEquals(3, to("w1").size(), "the two changes behind version 1 went out as one");
    assertTrue(winfoDocument("w1", 2).contains(" version=\"2\" "));
    assertTrue(winfoDocument("w1", 2).contains(SAM), "with the latest list");
    assertTrue(winfoDocument("w2", 0).contains(" version=\"0\" "), "w2 counts on its own");
    assertTrue(winfoDocument("w2", 0).contains(SAM));
  }

  @Test
  void aWatcherInfoRefreshGetsTheFullListWithTheNextVersion() {
    RecordingAnswer w = subscribe(WINFO, ALICE, "w1", null, 600);
    subscribe(CAROL, "c1");
    transport.answerAll();

    subscribe(WINFO, ALICE, "w1", w.localTag, 600);

    assertTrue(winfoDocument("w1", 2).contains(" version=\"2\" "));
    assertTrue(winfoDocument("w1", 2).contains(CAROL));
  }

  @Test
  void watcherInfoSubscriptionsAreNotListedAsWatchers() {
    subscribe(WINFO, ALICE, "w1", null, 600);
    transport.answerAll();
    subscribe(WINFO, ALICE, "w2", null, 600);

    assertEquals(1, to("w1").size(), "another winfo subscriber is no watcher of presence");
    assertTrue(winfoDocument("w2", 0).contains("package=\"presence\"></watcher-list>"));
  }

  @Test
  void publishingToWatcherInfoIsNotOffered() {
    assertEquals(List.of("presence", "presence.winfo"), engine.eventPackageNames());
    assertEquals(List.of("presence"), engine.publishablePackageNames());
  }

  @Test
  void watcherInfoOfAPackageNotServedIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PresenceEngine(
                    policyOf(),
                    List.of(new WatcherInfoPackage("dialog")),
                    KeyedExecutor.callerRuns(),
                    transport,
                    listener ->
                        PresenceStore.caffeine(
                            ticker, Scheduler.disabledScheduler(), Runnable::run, listener)));
    assertEquals(
        "watcher info of dialog, which is not a state package served here", e.getMessage());
  }

  private static PresencePolicy policyOf() {
    return new PresencePolicy(
        new ExpiresPolicy(60, 3600, 7200),
        new ExpiresPolicy(60, 3600, 7200),
        100,
        10,
        4,
        65536,
        NotifyTimeoutAction.TERMINATE,
        1,
        AuthorizationPolicy.ALLOW_ALL);
  }
}
