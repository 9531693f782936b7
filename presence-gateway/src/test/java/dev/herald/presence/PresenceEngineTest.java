package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.Rejection;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * The PUBLISH state machine (RFC 3903 §6), subscriptions and NOTIFY (RFC 6665 §4.2), expiry on a
 * fake ticker. Everything runs on the test thread; NOTIFYs wait for the test to answer them.
 */
class PresenceEngineTest {
  private static final Resource ALICE = new Resource("sip:alice@herald.test", "presence");
  private static final Resource BOB = new Resource("sip:bob@herald.test", "presence");
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingNotifyTransport transport = new RecordingNotifyTransport();
  private PresenceEngine engine = engine(policy(NotifyTimeoutAction.TERMINATE, 100, 10, 4));

  private PresenceEngine engine(PresencePolicy policy) {
    return new PresenceEngine(
        policy,
        List.of(new PresencePackage(65536)),
        KeyedExecutor.callerRuns(),
        transport,
        listener ->
            PresenceStore.caffeine(ticker, Scheduler.disabledScheduler(), Runnable::run, listener));
  }

  private static PresencePolicy policy(
      NotifyTimeoutAction onTimeout, int maxPresentities, int maxWatchers, int maxPublications) {
    return new PresencePolicy(
        new ExpiresPolicy(60, 3600, 7200),
        new ExpiresPolicy(60, 3600, 7200),
        maxPresentities,
        maxWatchers,
        maxPublications,
        65536,
        onTimeout,
        1,
        AuthorizationPolicy.ALLOW_ALL);
  }

  // ------------------------------------------------------------------ helpers

  private static Object pidf(Resource who, String tupleId, String basic, String note) {
    String xml =
            """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="%s">
          <tuple id="%s"><status><basic>%s</basic></status><note>%s</note></tuple>
        </presence>"""
            .formatted(who.address(), tupleId, basic, note);
    try {
      return new PresencePackage(65536).parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
  }

  private RecordingAnswer publish(Resource r, String ifMatch, Integer expires, Object doc) {
    RecordingAnswer a = new RecordingAnswer();
    engine.publish(new PublishRequest(r, ifMatch, expires, doc), a);
    return a;
  }

  private int cseq = 1;

  private Request subscribeRequest(Resource r, String callId, String toTag, Integer expires) {
    String text =
        "SUBSCRIBE sip:"
            + r.address().substring(4)
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK"
            + callId
            + (cseq)
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:watcher@herald.test>;tag=w-"
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
            + "Event: presence\r\n"
            + (expires == null ? "" : "Expires: " + expires + "\r\n")
            + "Content-Length: 0\r\n\r\n";
    try {
      return SipMessages.MESSAGES.createRequest(text);
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private RecordingAnswer subscribe(Resource r, String callId, String toTag, Integer expires) {
    RecordingAnswer a = new RecordingAnswer();
    engine.subscribe(
        new SubscribeRequest(
            r,
            "presence",
            "application/pidf+xml",
            expires,
            subscribeRequest(r, callId, toTag, expires),
            UDP,
            "sip:watcher@herald.test"),
        a);
    return a;
  }

  // ------------------------------------------------------------------ PUBLISH

  @Test
  void initialPublishGetsAnEntityTagAndTheDefaultExpiry() {
    RecordingAnswer a = publish(ALICE, null, null, pidf(ALICE, "t1", "open", "hi"));
    assertEquals(200, a.status());
    assertNotNull(a.etag);
    assertEquals(3600, a.expires);
    assertEquals(1, engine.stats().publications());
  }

  @Test
  void expiryAboveTheMaximumIsShortenedToIt() {
    assertEquals(7200, publish(ALICE, null, 999_999, pidf(ALICE, "t1", "open", "x")).expires);
  }

  @Test
  void expiryBelowTheMinimumGets423WithMinExpires() {
    RecordingAnswer a = publish(ALICE, null, 5, pidf(ALICE, "t1", "open", "x"));
    assertEquals(423, a.status());
    assertEquals("60", a.rejection.headers().get("Min-Expires"));
    assertEquals(0, engine.stats().publications());
  }

  @Test
  void refreshGivesANewTagAndTheOldOneNoLongerMatches() {
    String first = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).etag;
    RecordingAnswer refresh = publish(ALICE, first, 600, null);
    assertEquals(200, refresh.status());
    assertNotEquals(first, refresh.etag);
    assertEquals(412, publish(ALICE, first, 600, null).status());
    assertEquals(1, engine.stats().publications());
  }

  @Test
  void refreshExtendsTheLifetime() {
    String etag = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).etag;
    ticker.advance(Duration.ofSeconds(500));
    String refreshed = publish(ALICE, etag, 600, null).etag;
    ticker.advance(Duration.ofSeconds(500));
    engine.store().cleanUp();
    assertNotNull(engine.store().publication(refreshed), "alive 500 s into its second 600 s");
  }

  @Test
  void unknownEntityTagGets412() {
    assertEquals(412, publish(ALICE, "no-such-tag", 600, null).status());
  }

  @Test
  void anotherPresentitysEntityTagGets412() {
    String alices = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).etag;
    assertEquals(412, publish(BOB, alices, 600, null).status());
  }

  @Test
  void expiredEntityTagGets412() {
    String etag = publish(ALICE, null, 60, pidf(ALICE, "t1", "open", "x")).etag;
    ticker.advance(Duration.ofSeconds(61));
    assertEquals(412, publish(ALICE, etag, 60, null).status());
  }

  @Test
  void removalWithExpiresZero() {
    String etag = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).etag;
    RecordingAnswer removal = publish(ALICE, etag, 0, null);
    assertEquals(200, removal.status());
    assertEquals(0, removal.expires);
    assertEquals(0, engine.stats().publications());
    assertEquals(0, engine.stats().presentities());
  }

  @Test
  void publishWithNeitherBodyNorTagIs400() {
    assertEquals(400, publish(ALICE, null, 600, null).status());
  }

  @Test
  void expiresZeroWithoutTagIs400() {
    assertEquals(400, publish(ALICE, null, 0, pidf(ALICE, "t1", "open", "x")).status());
  }

  @Test
  void presentityLimitGets503WithRetryAfter() {
    engine = engine(policy(NotifyTimeoutAction.TERMINATE, 1, 10, 4));
    assertEquals(200, publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).status());
    RecordingAnswer a = publish(BOB, null, 600, pidf(BOB, "t1", "open", "x"));
    assertEquals(503, a.status());
    assertNotNull(a.rejection.headers().get("Retry-After"));
    assertEquals(
        200,
        publish(ALICE, null, 600, pidf(ALICE, "t2", "open", "x")).status(),
        "a known presentity may still publish");
  }

  @Test
  void publicationsPerPresentityAreBounded() {
    engine = engine(policy(NotifyTimeoutAction.TERMINATE, 10, 10, 2));
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x"));
    publish(ALICE, null, 600, pidf(ALICE, "t2", "open", "x"));
    assertEquals(503, publish(ALICE, null, 600, pidf(ALICE, "t3", "open", "x")).status());
  }

  // ------------------------------------------------------------------ SUBSCRIBE and NOTIFY

  @Test
  void subscribeIsAcceptedThenNotifiedWithClosedWhenNothingIsPublished() {
    RecordingAnswer a = subscribe(ALICE, "c1", null, 600);
    assertEquals(200, a.status());
    assertEquals(600, a.expires);
    assertEquals(1, transport.sent.size());
    assertTrue(transport.last().body().contains("<basic>closed</basic>"), transport.last().body());
    assertEquals("active;expires=600", transport.last().state());
  }

  @Test
  void everyChangeIsNotifiedInOrderWithIncreasingCseq() {
    subscribe(ALICE, "c1", null, 600);
    transport.answerAll();
    String etag = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "state-1")).etag;
    transport.answerAll();
    etag = publish(ALICE, etag, 600, pidf(ALICE, "t1", "open", "state-2")).etag;
    transport.answerAll();
    publish(ALICE, etag, 600, pidf(ALICE, "t1", "closed", "state-3"));
    transport.answerAll();
    assertEquals(4, transport.sent.size());
    for (int i = 1; i <= 3; i++) {
      assertTrue(transport.sent.get(i).body().contains("state-" + i));
      assertEquals(transport.sent.get(i - 1).cseq() + 1, transport.sent.get(i).cseq());
    }
  }

  @Test
  void aRefreshThatChangesNothingSendsNoNotify() {
    subscribe(ALICE, "c1", null, 600);
    String etag = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x")).etag;
    transport.answerAll();
    int before = transport.sent.size();
    publish(ALICE, etag, 600, null);
    assertEquals(before, transport.sent.size());
  }

  @Test
  void oneNotifyInFlightAndTheLatestStateWaitsBehindIt() {
    subscribe(ALICE, "c1", null, 600);
    String etag = publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "state-1")).etag;
    etag = publish(ALICE, etag, 600, pidf(ALICE, "t1", "open", "state-2")).etag;
    publish(ALICE, etag, 600, pidf(ALICE, "t1", "open", "state-3"));
    assertEquals(1, transport.sent.size(), "the initial NOTIFY is still unanswered");
    transport.sent.get(0).answer(200);
    assertEquals(2, transport.sent.size());
    assertTrue(transport.last().body().contains("state-3"), "state-2 was superseded");
    assertEquals(2, engine.stats().notifiesSuperseded(), "state-1 by state-2, state-2 by state-3");
  }

  @Test
  void everyWatcherGetsEveryChange() {
    subscribe(ALICE, "c1", null, 600);
    subscribe(ALICE, "c2", null, 600);
    subscribe(ALICE, "c3", null, 600);
    transport.answerAll();
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "state-1"));
    transport.answerAll();
    assertEquals(6, transport.sent.size());
    long withState = transport.sent.stream().filter(s -> s.body().contains("state-1")).count();
    assertEquals(3, withState);
  }

  @Test
  void refreshIsAnsweredAndFollowedByAFullStateNotify() {
    RecordingAnswer a = subscribe(ALICE, "c1", null, 600);
    transport.answerAll();
    RecordingAnswer refresh = subscribe(ALICE, "c1", a.localTag, 1200);
    assertEquals(200, refresh.status());
    assertEquals(2, transport.sent.size());
    assertEquals("active;expires=1200", transport.last().state());
  }

  @Test
  void refreshWithALowerCseqIs500() {
    RecordingAnswer a = subscribe(ALICE, "c1", null, 600);
    transport.answerAll();
    cseq = 1;
    assertEquals(500, subscribe(ALICE, "c1", a.localTag, 600).status());
  }

  @Test
  void unknownDialogIs481() {
    assertEquals(481, subscribe(ALICE, "nope", "made-up", 600).status());
  }

  @Test
  void unsubscribeEndsWithATerminatedNotify() {
    RecordingAnswer a = subscribe(ALICE, "c1", null, 600);
    transport.answerAll();
    assertEquals(200, subscribe(ALICE, "c1", a.localTag, 0).status());
    assertEquals("terminated;reason=timeout", transport.last().state());
    assertEquals(0, engine.stats().subscriptions());
    assertEquals(0, engine.stats().presentities());
  }

  @Test
  void fetchGetsStateOnceAndLeavesNothingBehind() {
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x"));
    RecordingAnswer a = subscribe(ALICE, "c1", null, 0);
    assertEquals(200, a.status());
    assertEquals("terminated;reason=timeout", transport.last().state());
    assertTrue(transport.last().body().contains("<basic>open</basic>"));
    assertEquals(0, engine.stats().subscriptions());
  }

  @Test
  void subscriptionExpiryNotifiesTimeout() {
    subscribe(ALICE, "c1", null, 60);
    transport.answerAll();
    ticker.advance(Duration.ofSeconds(61));
    engine.store().cleanUp();
    assertEquals("terminated;reason=timeout", transport.last().state());
    assertEquals(0, engine.stats().subscriptions());
  }

  @Test
  void publicationExpiryNotifiesTheWatchers() {
    subscribe(ALICE, "c1", null, 3600);
    publish(ALICE, null, 60, pidf(ALICE, "t1", "open", "x"));
    transport.answerAll();
    assertTrue(transport.last().body().contains("<basic>open</basic>"));
    ticker.advance(Duration.ofSeconds(61));
    engine.store().cleanUp();
    transport.answerAll();
    assertTrue(transport.last().body().contains("<basic>closed</basic>"), transport.last().body());
    assertEquals("active;expires=3539", transport.last().state());
  }

  @Test
  void notifyAnswered481EndsTheSubscriptionSilently() {
    subscribe(ALICE, "c1", null, 600);
    transport.sent.get(0).answer(481);
    assertEquals(0, engine.stats().subscriptions());
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x"));
    assertEquals(1, transport.sent.size(), "no NOTIFY to a subscription that is gone");
  }

  @Test
  void notifiesInFlightCountsTheUnanswered() {
    subscribe(ALICE, "c1", null, 600);
    subscribe(BOB, "c2", null, 600);
    assertEquals(2, engine.stats().notifiesInFlight());
    transport.sent.get(0).answer(200);
    transport.sent.get(1).timeout();
    assertEquals(0, engine.stats().notifiesInFlight());
    assertEquals(2, engine.stats().notifiesSent());
  }

  @Test
  void notifyAnswered404EndsTheSubscription() {
    subscribe(ALICE, "c1", null, 600);
    transport.sent.get(0).answer(404);
    assertEquals(0, engine.stats().subscriptions());
    assertEquals(1, engine.stats().notifiesFailed());
  }

  @Test
  void notifyAnswered408FollowsTheTimeoutPolicy() {
    engine = engine(policy(NotifyTimeoutAction.KEEP, 10, 10, 4));
    subscribe(ALICE, "c1", null, 600);
    transport.sent.get(0).answer(408);
    assertEquals(1, engine.stats().subscriptions());
  }

  @Test
  void notifyTimeoutEndsTheSubscriptionByDefault() {
    subscribe(ALICE, "c1", null, 600);
    transport.sent.get(0).timeout();
    assertEquals(0, engine.stats().subscriptions());
  }

  @Test
  void notifyTimeoutKeepsTheSubscriptionWhenThePolicySaysKeep() {
    engine = engine(policy(NotifyTimeoutAction.KEEP, 10, 10, 4));
    subscribe(ALICE, "c1", null, 600);
    transport.sent.get(0).timeout();
    assertEquals(1, engine.stats().subscriptions());
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x"));
    assertEquals(2, transport.sent.size());
  }

  @Test
  void watchersPerPresentityAreBounded() {
    engine = engine(policy(NotifyTimeoutAction.TERMINATE, 10, 2, 4));
    subscribe(ALICE, "c1", null, 600);
    subscribe(ALICE, "c2", null, 600);
    assertEquals(503, subscribe(ALICE, "c3", null, 600).status());
  }

  @Test
  void watchersPerPresentityLimitIs503NamingTheLimitAndAFreedPlaceIsTakenAgain() {
    engine = engine(policy(NotifyTimeoutAction.TERMINATE, 10, 1, 4));
    RecordingAnswer first = subscribe(ALICE, "c1", null, 600);
    transport.answerAll();

    RecordingAnswer refused = subscribe(ALICE, "c2", null, 600);
    assertEquals(503, refused.status());
    assertEquals("60", refused.rejection.headers().get("Retry-After"));
    assertEquals(
        "Service Unavailable (sip:alice@herald.test has 1 watchers, the limit of"
            + " presence.max-subscriptions-per-presentity)",
        refused.rejection.reason());

    subscribe(ALICE, "c1", first.localTag, 0);
    transport.answerAll();
    assertEquals(200, subscribe(ALICE, "c3", null, 600).status());
  }

  @Test
  void publicationsPerPresentityLimitNamesTheLimit() {
    engine = engine(policy(NotifyTimeoutAction.TERMINATE, 10, 10, 1));
    publish(ALICE, null, 600, pidf(ALICE, "t1", "open", "x"));
    RecordingAnswer refused = publish(ALICE, null, 600, pidf(ALICE, "t2", "open", "x"));
    assertEquals(503, refused.status());
    assertTrue(
        refused.rejection.reason().contains("presence.max-publications-per-presentity"),
        refused.rejection.reason());
    assertEquals(1, engine.stats().publications(), "the refused one is not kept");
  }

  private PresenceEngine engineWithWatcherLimit(int max) {
    PresencePolicy p = policy(NotifyTimeoutAction.TERMINATE, 100, 10, 4);
    return engine(
        new PresencePolicy(
            p.publish(),
            p.subscribe(),
            p.maxPresentities(),
            p.maxSubscriptionsPerPresentity(),
            p.maxPublicationsPerPresentity(),
            p.maxDocumentBytes(),
            p.notifyTimeout(),
            p.executorLanes(),
            p.authorization(),
            max));
  }

  @Test
  void watcherLimitIs403NamingTheLimitOnceTheWatcherHoldsThatMany() {
    engine = engineWithWatcherLimit(2);
    assertNull(engine.checkWatcherLimit("sip:watcher@herald.test"));
    subscribe(ALICE, "c1", null, 600);
    assertNull(engine.checkWatcherLimit("sip:watcher@herald.test"));
    subscribe(BOB, "c2", null, 600);
    transport.answerAll();

    Rejection full = engine.checkWatcherLimit("sip:watcher@herald.test");
    assertNotNull(full);
    assertEquals(403, full.status());
    assertEquals(
        "Forbidden (sip:watcher@herald.test holds 2 subscriptions, the limit of"
            + " presence.max-subscriptions-per-watcher)",
        full.reason());
    assertNull(engine.checkWatcherLimit("sip:other@herald.test"), "counted per watcher");
  }

  @Test
  void watcherLimitCountsRefreshesOnceAndFreesAPlaceOnUnsubscribeAndExpiry() {
    engine = engineWithWatcherLimit(2);
    RecordingAnswer a = subscribe(ALICE, "c1", null, 600);
    subscribe(BOB, "c2", null, 60);
    transport.answerAll();
    subscribe(ALICE, "c1", a.localTag, 600);
    transport.answerAll();
    assertEquals(2, engine.store().subscriptionsOf("sip:watcher@herald.test"), "a refresh");

    subscribe(ALICE, "c1", a.localTag, 0);
    transport.answerAll();
    assertEquals(1, engine.store().subscriptionsOf("sip:watcher@herald.test"), "unsubscribed");

    ticker.advance(Duration.ofSeconds(61));
    engine.store().cleanUp();
    transport.answerAll();
    assertEquals(0, engine.store().subscriptionsOf("sip:watcher@herald.test"), "expired");
    assertNull(engine.checkWatcherLimit("sip:watcher@herald.test"));
  }

  @Test
  void aNotifyErrorFreesTheWatchersPlace() {
    engine = engineWithWatcherLimit(1);
    subscribe(ALICE, "c1", null, 600);
    transport.last().answer(481);
    assertEquals(0, engine.store().subscriptionsOf("sip:watcher@herald.test"));
  }

  @Test
  void subscribeBelowTheMinimumGets423() {
    RecordingAnswer a = subscribe(ALICE, "c1", null, 5);
    assertEquals(423, a.status());
    assertEquals("60", a.rejection.headers().get("Min-Expires"));
  }

  @Test
  void shutdownEndsEverySubscriptionWithDeactivated() {
    subscribe(ALICE, "c1", null, 600);
    subscribe(BOB, "c2", null, 600);
    transport.answerAll();
    transport.autoAnswer = 200;
    assertTrue(engine.shutdown(Duration.ofSeconds(1)), "every final NOTIFY answered");
    long deactivated =
        transport.sent.stream()
            .filter(s -> s.state().equals("terminated;reason=deactivated"))
            .count();
    assertEquals(2, deactivated);
    assertEquals(503, subscribe(ALICE, "c3", null, 600).status(), "closed for business");
  }

  @Test
  void eventIdIsEchoed() {
    assertEquals("presence;x1", PresenceEngine.eventKey("Presence ; id = x1"));
    assertEquals("presence;", PresenceEngine.eventKey("presence"));
  }
}
