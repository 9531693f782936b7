package dev.herald.cucm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.config.TelephonySource;
import dev.herald.config.Transport;
import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.SipMessages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trunk health as CUCM keeps it: OPTIONS every interval; none, 408 or 503 mean out of service. */
class TrunkMonitorTest {
  private static final TrunkPeer A = new TrunkPeer("192.0.2.10", 5060, Transport.UDP);
  private static final TrunkPeer B = new TrunkPeer("192.0.2.11", 5060, Transport.UDP);

  private final FakeMonitorTimer timer = new FakeMonitorTimer();
  private final RecordingPinger pinger = new RecordingPinger();

  private static Trunk trunk(int intervalSeconds, TrunkPeer... peers) {
    return new Trunk("cucm1", List.of(peers), intervalSeconds, TelephonySource.NOBODY);
  }

  private TrunkMonitor start(Trunk trunk) {
    TrunkMonitor monitor = TrunkMonitor.start(List.of(trunk), pinger, timer);
    timer.runDue();
    return monitor;
  }

  /** A real response to a real OPTIONS, as the SIP server would hand back. */
  private static RequestResult response(int status) throws Exception {
    Response response =
        SipMessages.MESSAGES.createResponse(
            status,
            SipOptionsPinger.options(A, new ListenPoint("udp", "127.0.0.1", 5060), "herald.test"));
    return RequestResult.of(response);
  }

  private void answer(TrunkPeer peer, RequestResult result) {
    pinger.last(peer).completed(result);
    timer.runDue();
  }

  private PeerState state(TrunkMonitor monitor, TrunkPeer peer) {
    return monitor.health(peer).orElseThrow().state();
  }

  @Test
  void pingsEveryPeerAtOnceThenEveryInterval() {
    start(trunk(60, A, B));
    assertEquals(1, pinger.count(A));
    assertEquals(1, pinger.count(B));

    timer.advance(Duration.ofSeconds(59));
    assertEquals(1, pinger.count(A));
    timer.advance(Duration.ofSeconds(1));
    assertEquals(2, pinger.count(A));
    assertEquals(2, pinger.count(B));
  }

  @Test
  void peersAreUnknownUntilTheirFirstPingIsDecided() {
    TrunkMonitor monitor = start(trunk(60, A));

    assertEquals(
        List.of(new PeerHealth("cucm1", A, PeerState.UNKNOWN, "not pinged yet")), monitor.peers());
    assertEquals(Optional.empty(), monitor.nextInService("cucm1"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "200, IN_SERVICE, 200 OK",
    "404, IN_SERVICE, 404 Not found",
    "405, IN_SERVICE, 405 Method not allowed",
    "500, IN_SERVICE, 500 Server Internal Error",
    "408, OUT_OF_SERVICE, 408 Request timeout",
    "503, OUT_OF_SERVICE, 503 Service unavailable"
  })
  void responseDecidesTheStateAsCucmDoes(int status, PeerState expected, String reason)
      throws Exception {
    TrunkMonitor monitor = start(trunk(60, A));

    answer(A, response(status));

    assertEquals(new PeerHealth("cucm1", A, expected, reason), monitor.health(A).orElseThrow());
  }

  @Test
  void noAnswerWithinTheDeadlineIsOutOfService() throws Exception {
    TrunkMonitor monitor = start(trunk(60, A));
    answer(A, response(200));
    timer.advance(Duration.ofSeconds(60));
    assertEquals(PeerState.IN_SERVICE, state(monitor, A));

    timer.advance(Duration.ofSeconds(5));

    assertEquals(
        new PeerHealth("cucm1", A, PeerState.OUT_OF_SERVICE, "no answer within 5 s"),
        monitor.health(A).orElseThrow());
  }

  @Test
  void aLateAnswerCountsAsNoAnswer() throws Exception {
    TrunkMonitor monitor = start(trunk(60, A));
    timer.advance(Duration.ofSeconds(6));
    assertEquals(PeerState.OUT_OF_SERVICE, state(monitor, A));

    answer(A, response(200));

    assertEquals(PeerState.OUT_OF_SERVICE, state(monitor, A));
  }

  @Test
  void deadlineIsTheIntervalWhenShorterThanFiveSeconds() throws Exception {
    TrunkMonitor monitor = start(trunk(1, A));
    answer(A, response(200));

    // The second ping goes out at 1 s and is never answered; its deadline is at 2 s.
    timer.advance(Duration.ofMillis(1_999));
    assertEquals(PeerState.IN_SERVICE, state(monitor, A));
    timer.advance(Duration.ofMillis(1));
    assertEquals(
        new PeerHealth("cucm1", A, PeerState.OUT_OF_SERVICE, "no answer within 1 s"),
        monitor.health(A).orElseThrow());
  }

  @Test
  void transactionTimeoutAndTransportErrorAreOutOfService() {
    TrunkMonitor monitor = start(trunk(60, A, B));

    answer(A, RequestResult.timeout());
    answer(B, RequestResult.transportError());

    assertEquals(
        List.of(
            new PeerHealth("cucm1", A, PeerState.OUT_OF_SERVICE, "transaction timeout"),
            new PeerHealth("cucm1", B, PeerState.OUT_OF_SERVICE, "could not send OPTIONS")),
        monitor.peers());
  }

  @Test
  void aSilentPeerComesBackWhenItAnswersAgain() throws Exception {
    TrunkMonitor monitor = start(trunk(1, A));
    timer.advance(Duration.ofSeconds(1));
    assertEquals(PeerState.OUT_OF_SERVICE, state(monitor, A));

    answer(A, response(200));

    assertEquals(PeerState.IN_SERVICE, state(monitor, A));
  }

  @Test
  void aPingerThatThrowsLeavesThePeerOutOfServiceAndKeepsPinging() {
    int[] calls = {0};
    TrunkMonitor monitor =
        TrunkMonitor.start(
            List.of(trunk(1, A)),
            (peer, callback) -> {
              calls[0]++;
              throw new IllegalStateException("boom");
            },
            timer);
    timer.advance(Duration.ofSeconds(2));

    assertEquals(PeerState.OUT_OF_SERVICE, state(monitor, A));
    assertEquals(3, calls[0]);
  }

  @Test
  void nextInServiceTakesThePeersInServiceInTurn() throws Exception {
    TrunkPeer c = new TrunkPeer("192.0.2.12", 5060, Transport.UDP);
    TrunkMonitor monitor = start(trunk(60, A, B, c));
    answer(A, response(200));
    answer(B, response(503));
    answer(c, response(200));

    List<Optional<TrunkPeer>> picks =
        List.of(
            monitor.nextInService("cucm1"),
            monitor.nextInService("cucm1"),
            monitor.nextInService("cucm1"),
            monitor.nextInService("cucm1"));

    assertEquals(List.of(Optional.of(A), Optional.of(c), Optional.of(c), Optional.of(A)), picks);
    assertEquals(Optional.empty(), monitor.nextInService("no-such-trunk"));
  }

  @Test
  void closeStopsPingingAndIgnoresLateAnswers() throws Exception {
    TrunkMonitor monitor = start(trunk(1, A));

    monitor.close();
    pinger.last(A).completed(response(200));
    timer.advance(Duration.ofSeconds(10));

    assertTrue(timer.isShutdown());
    assertEquals(1, pinger.count(A));
    assertEquals(PeerState.UNKNOWN, state(monitor, A));
  }

  @Test
  void noTrunksNoPings() {
    TrunkMonitor monitor = TrunkMonitor.start(List.of(), pinger);

    assertEquals(List.of(), monitor.peers());
    monitor.close();
    assertEquals(0, pinger.sent.size());
  }
}
