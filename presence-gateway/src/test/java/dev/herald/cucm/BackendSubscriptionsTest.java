package dev.herald.cucm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.config.TelephonySource;
import dev.herald.config.Transport;
import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.TelephonyDocument;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Back-end subscriptions to CUCM (RFC 6665 §4.1): lifecycle on a fake clock and a fake sender. */
class BackendSubscriptionsTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final TrunkPeer A = new TrunkPeer("192.0.2.10", 5060, Transport.UDP);
  private static final TrunkPeer B = new TrunkPeer("192.0.2.11", 5060, Transport.UDP);
  private static final ListenPoint LP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final Trunk TRUNK =
      new Trunk(
          "cucm1",
          List.of(A, B),
          60,
          new TelephonySource(false, List.of("*@herald.test")),
          600,
          30);

  private final FakeMonitorTimer timer = new FakeMonitorTimer();
  private final List<Sent> sent = new ArrayList<>();
  private final List<String> states = new ArrayList<>();
  private final AtomicInteger turn = new AtomicInteger();
  private boolean inService = true;
  private final BackendSubscriptions backends =
      new BackendSubscriptions(
          p -> p.endsWith("@herald.test") ? Optional.of(TRUNK) : Optional.empty(),
          trunk ->
              inService ? Optional.of(turn.getAndIncrement() % 2 == 0 ? A : B) : Optional.empty(),
          new SubscribeSender() {
            @Override
            public ListenPoint from(TrunkPeer peer) {
              return LP;
            }

            @Override
            public void send(Request request, ListenPoint from, ResponseCallback callback) {
              sent.add(new Sent(request, callback));
            }
          },
          new PhoneStateSink() {
            @Override
            public void state(String presentity, TelephonyDocument document, int expires) {
              states.add(document == null ? "removed" : "state " + expires);
            }

            @Override
            public void unknown(String presentity, String note) {
              states.add("closed: " + note);
            }
          },
          "sip:herald@herald.test",
          timer,
          timer::nanos,
          n -> n);

  private record Sent(Request request, ResponseCallback callback) {
    int expires() {
      return ((ExpiresHeader) request.getHeader(ExpiresHeader.NAME)).getExpires();
    }

    String toTag() {
      return ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
    }

    String uri() {
      return request.getRequestURI().toString();
    }
  }

  private void watchers(int n) {
    backends.watchers(ALICE, n);
    timer.runDue();
  }

  private Sent last() {
    return sent.get(sent.size() - 1);
  }

  private static Response response(Request request, int status, int expires) throws Exception {
    Response r = SipMessages.MESSAGES.createResponse(status, request);
    if (status < 300) {
      ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("cucm-tag");
      r.setHeader(
          SipMessages.HEADERS.createContactHeader(
              SipMessages.ADDRESSES.createAddress("<sip:alice@192.0.2.10:5080>")));
      r.setHeader(SipMessages.HEADERS.createExpiresHeader(expires));
    }
    return r;
  }

  private void answer(int status, int expires) throws Exception {
    last().callback().completed(RequestResult.of(response(last().request(), status, expires)));
    timer.runDue();
  }

  private Request notifyFor(Sent s) throws Exception {
    Request sub = s.request();
    return SipMessages.MESSAGES.createRequest(
        "NOTIFY sip:herald@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKn"
            + sent.size()
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@herald.test>;tag=cucm-tag\r\n"
            + "To: <sip:herald@herald.test>;tag="
            + ((FromHeader) sub.getHeader(FromHeader.NAME)).getTag()
            + "\r\n"
            + "Call-ID: "
            + ((CallIdHeader) sub.getHeader(CallIdHeader.NAME)).getCallId()
            + "\r\n"
            + "CSeq: 1 NOTIFY\r\n"
            + "Contact: <sip:alice@192.0.2.10:5080>\r\n"
            + "Event: presence\r\n"
            + "Content-Length: 0\r\n\r\n");
  }

  private static TelephonyDocument onThePhone() throws Exception {
    String xml =
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@herald.test\">"
            + "<tuple id=\"t\"><status><basic>open</basic></status></tuple></presence>";
    return new TelephonyDocument(
        (PidfDocument) new PresencePackage(65_536).parse(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private void notifyActive() throws Exception {
    Request n = notifyFor(last());
    assertTrue(backends.knows(callId(n), tag(n)));
    backends.notified(n, "active", onThePhone(), 600, null, -1);
    timer.runDue();
  }

  private void notifyTerminated(String reason, int retryAfter) throws Exception {
    Request n = notifyFor(last());
    backends.notified(n, "terminated", null, -1, reason, retryAfter);
    timer.runDue();
  }

  private static String callId(Request r) {
    return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
  }

  private static String tag(Request r) {
    return ((ToHeader) r.getHeader(ToHeader.NAME)).getTag();
  }

  @Test
  void threeWatchersMakeOneSubscribe() {
    watchers(1);
    watchers(2);
    watchers(3);
    assertEquals(1, sent.size());
    Request s = sent.get(0).request();
    assertEquals("SUBSCRIBE", s.getMethod());
    assertEquals("sip:alice@192.0.2.10:5060", s.getRequestURI().toString());
    assertEquals(ALICE, ((ToHeader) s.getHeader(ToHeader.NAME)).getAddress().getURI().toString());
    assertNull(sent.get(0).toTag());
    assertEquals("presence", s.getHeader("Event").toString().split(":")[1].trim());
    assertTrue(s.getHeader("Accept").toString().contains("application/pidf+xml"));
    assertEquals(600, sent.get(0).expires());
  }

  @Test
  void presentityOfNoTrunkIsNotSubscribed() {
    backends.watchers("sip:bob@elsewhere.test", 1);
    timer.runDue();
    assertEquals(0, sent.size());
  }

  @Test
  void refreshedInTheDialogAtEightyPercentOfTheGrantedExpires() throws Exception {
    watchers(1);
    answer(200, 300);
    timer.advance(Duration.ofSeconds(239));
    assertEquals(1, sent.size());
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, sent.size());
    assertEquals("cucm-tag", last().toTag());
    assertEquals("sip:alice@192.0.2.10:5080", last().uri());
    assertEquals(600, last().expires());
    answer(200, 600);
    timer.advance(Duration.ofSeconds(480));
    assertEquals(3, sent.size());
  }

  @Test
  void endedWithExpiresZeroALingerAfterTheLastWatcher() throws Exception {
    watchers(2);
    answer(200, 600);
    notifyActive();
    watchers(0);
    timer.advance(Duration.ofSeconds(29));
    assertEquals(1, sent.size());
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, sent.size());
    assertEquals(0, last().expires());
    assertEquals("cucm-tag", last().toTag());
    assertEquals(List.of("state 600", "removed"), states);
    assertEquals(0, backends.backendCount());
    // The final NOTIFY (terminated) is still known, so it gets 200, and changes nothing.
    Request finalNotify = notifyFor(last());
    assertTrue(backends.knows(callId(finalNotify), tag(finalNotify)));
    timer.advance(BackendSubscriptions.ENDED_DIALOG_GRACE);
    assertFalse(backends.knows(callId(finalNotify), tag(finalNotify)));
  }

  @Test
  void aWatcherWithinTheLingerKeepsTheSubscription() throws Exception {
    watchers(1);
    answer(200, 600);
    watchers(0);
    timer.advance(Duration.ofSeconds(20));
    watchers(1);
    timer.advance(Duration.ofSeconds(60));
    assertEquals(1, sent.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 481, 500, 503, 0})
  void failureIsRetriedWithBackoffOnTheNextPeer(int status) throws Exception {
    watchers(1);
    assertEquals("sip:alice@192.0.2.10:5060", last().uri());
    if (status == 0) {
      last().callback().completed(RequestResult.timeout());
      timer.runDue();
    } else {
      answer(status, 0);
    }
    timer.advance(Duration.ofMillis(999));
    assertEquals(1, sent.size());
    timer.advance(Duration.ofMillis(1));
    assertEquals(2, sent.size());
    assertEquals("sip:alice@192.0.2.11:5060", last().uri());
    assertNull(last().toTag());
    // The next failure waits twice as long.
    last().callback().completed(RequestResult.transportError());
    timer.runDue();
    timer.advance(Duration.ofMillis(1_999));
    assertEquals(2, sent.size());
    timer.advance(Duration.ofMillis(1));
    assertEquals(3, sent.size());
  }

  @Test
  void backoffIsBoundedAtFiveMinutes() {
    assertEquals(Duration.ofSeconds(1).toNanos(), backends.backoff(1));
    assertEquals(Duration.ofSeconds(4).toNanos(), backends.backoff(3));
    assertEquals(Duration.ofMinutes(5).toNanos(), backends.backoff(40));
  }

  @Test
  void retryAfterOfA503IsHonoured() throws Exception {
    watchers(1);
    Response r = response(last().request(), 503, 0);
    r.setHeader((RetryAfterHeader) SipMessages.HEADERS.createRetryAfterHeader(20));
    last().callback().completed(RequestResult.of(r));
    timer.runDue();
    timer.advance(Duration.ofSeconds(19));
    assertEquals(1, sent.size());
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, sent.size());
  }

  @Test
  void noPeerInServiceWaitsWithoutSending() {
    inService = false;
    watchers(1);
    timer.advance(Duration.ofMinutes(30));
    assertEquals(0, sent.size());
    inService = true;
    timer.advance(Duration.ofMinutes(5));
    assertEquals(1, sent.size());
  }

  @Test
  void notifyBeforeTheTwoHundredEstablishesTheDialogAndStoresTheState() throws Exception {
    watchers(1);
    notifyActive();
    assertEquals(List.of("state 600"), states);
    answer(200, 600);
    timer.advance(Duration.ofSeconds(480));
    assertEquals("cucm-tag", last().toTag());
    assertEquals(2, sent.size());
  }

  @Test
  void aNotifyOfNoSubscriptionIsUnknown() {
    assertFalse(backends.knows("no-such-call", "no-such-tag"));
  }

  @Test
  void terminatedDeactivatedResubscribesAtOnce() throws Exception {
    watchers(1);
    answer(200, 600);
    notifyActive();
    notifyTerminated("deactivated", -1);
    assertEquals(2, sent.size());
    assertNull(last().toTag());
  }

  @Test
  void terminatedGiveupWaitsForRetryAfter() throws Exception {
    watchers(1);
    answer(200, 600);
    notifyTerminated("giveup", 90);
    timer.advance(Duration.ofSeconds(89));
    assertEquals(1, sent.size());
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, sent.size());
  }

  @Test
  void terminatedRejectedStopsAndRemovesTheState() throws Exception {
    watchers(1);
    answer(200, 600);
    notifyActive();
    notifyTerminated("rejected", -1);
    timer.advance(Duration.ofHours(2));
    assertEquals(1, sent.size());
    assertEquals(List.of("state 600", "removed"), states);
  }

  @Test
  void lastStateTurnsClosedWhenTooOld() throws Exception {
    watchers(1);
    answer(200, 600);
    notifyActive();
    inService = false;
    notifyTerminated("noreason", -1);
    timer.advance(BackendSubscriptions.STATE_MAX_AGE.minusSeconds(1));
    assertEquals(List.of("state 600"), states);
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, states.size());
    assertTrue(states.get(1).startsWith("closed: Phone state unknown"), states.get(1));
  }

  // ---------------------------------------------------------------- 423, shutdown, counters

  private void answerTooBrief(String minExpires) throws Exception {
    Response r = response(last().request(), 423, 0);
    if (minExpires != null) {
      r.setHeader(SipMessages.HEADERS.createHeader("Min-Expires", minExpires));
    }
    last().callback().completed(RequestResult.of(r));
    timer.runDue();
  }

  private static long cseq(Sent s) {
    return ((javax.sip.header.CSeqHeader) s.request().getHeader("CSeq")).getSeqNumber();
  }

  @Test
  void intervalTooBriefIsRetriedAtOnceWithMinExpiresAndKeptForRefreshes() throws Exception {
    watchers(1);
    answerTooBrief("1800");
    assertEquals(2, sent.size(), "sent again at once, no backoff");
    assertEquals(1800, last().expires());
    assertEquals(callId(sent.get(0).request()), callId(last().request()));
    assertEquals(cseq(sent.get(0)) + 1, cseq(last()));
    assertNull(last().toTag());
    answer(200, 1800);
    timer.advance(Duration.ofSeconds(1440));
    assertEquals(3, sent.size());
    assertEquals(1800, last().expires(), "the refresh asks for Min-Expires too");
    assertEquals(new BackendStats(1, 1, 1, 0, 1), backends.stats());
  }

  @Test
  void intervalTooBriefInARefreshIsRetriedInTheDialog() throws Exception {
    watchers(1);
    answer(200, 600);
    timer.advance(Duration.ofSeconds(480));
    answerTooBrief("900");
    assertEquals(3, sent.size());
    assertEquals(900, last().expires());
    assertEquals("cucm-tag", last().toTag());
  }

  @Test
  void intervalTooBriefIsBounded() throws Exception {
    watchers(1);
    // no Min-Expires, or none above what was asked: a failure with backoff, not a loop
    answerTooBrief(null);
    assertEquals(1, sent.size());
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, sent.size());
    answerTooBrief("600");
    assertEquals(2, sent.size());
    timer.advance(Duration.ofSeconds(2));
    assertEquals(3, sent.size());
    // a notifier that keeps raising Min-Expires is followed three times, then backed off
    answerTooBrief("700");
    answerTooBrief("800");
    answerTooBrief("900");
    assertEquals(6, sent.size());
    answerTooBrief("1000");
    assertEquals(6, sent.size());
    // nor is an absurd Min-Expires followed
    timer.advance(Duration.ofSeconds(4));
    assertEquals(7, sent.size());
    answerTooBrief(String.valueOf(BackendSubscriptions.MAX_EXPIRES + 1));
    assertEquals(7, sent.size());
    BackendStats stats = backends.stats();
    assertEquals(4, stats.failures());
    assertEquals(6, stats.retries(), "3 after 423, 3 after a backoff");
    assertEquals(0, stats.active());
  }

  @Test
  void shutdownEndsEveryEstablishedSubscriptionWithExpiresZero() throws Exception {
    backends.watchers(ALICE, 1);
    backends.watchers("sip:bob@herald.test", 1);
    backends.watchers("sip:carol@herald.test", 1);
    timer.runDue();
    for (int i = 0; i < 2; i++) {
      sent.get(i).callback().completed(RequestResult.of(response(sent.get(i).request(), 200, 600)));
    }
    timer.runDue();
    assertEquals(2, backends.stats().active());

    var ended = backends.endAll();
    timer.runDue();
    List<Sent> unsubscribes = sent.subList(3, sent.size());
    assertEquals(2, unsubscribes.size(), "carol's SUBSCRIBE was never answered: no dialog");
    for (Sent u : unsubscribes) {
      assertEquals(0, u.expires());
      assertEquals("cucm-tag", u.toTag());
    }
    assertFalse(ended.isDone());
    unsubscribes
        .get(0)
        .callback()
        .completed(RequestResult.of(response(unsubscribes.get(0).request(), 200, 0)));
    assertFalse(ended.isDone());
    unsubscribes.get(1).callback().completed(RequestResult.timeout());
    assertTrue(ended.isDone());
    assertEquals(2, ended.join());
    assertEquals(new BackendStats(0, 0, 0, 0, 0), backends.stats());
    // stopped: no refresh, no new subscription
    backends.watchers("sip:dave@herald.test", 1);
    timer.advance(Duration.ofHours(1));
    assertEquals(5, sent.size());
  }

  @Test
  void closeWaitsNoLongerThanItsBound() throws Exception {
    watchers(1);
    answer(200, 600);
    long start = System.nanoTime();
    // The fake timer runs nothing by itself: nothing is answered, so close gives up at the bound.
    backends.close(Duration.ofMillis(100));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    timer.advance(Duration.ofHours(1));
    assertEquals(1, sent.size(), "nothing is sent after close");
  }
}
