package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import dev.herald.presence.RemoteWatcher.Status;
import dev.herald.presence.RemoteWatcher.View;
import dev.herald.presence.auth.WatcherRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Watchers that are not SIP dialogs (XMPP users through the gateway, RFC 8048 §4): the same
 * authorization as SIP watchers, updates in order on the lane, unwatch, probe, limits, and a
 * gateway's state of a presentity that lives elsewhere.
 */
class RemoteWatcherTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final Resource PRESENCE = new Resource(ALICE, "presence");
  private static final String BOB = "sip:bob@herald.test"; // allowed by default
  private static final String PAT = "sip:pat@partner.example"; // confirm
  private static final String SAM = "sip:sam@spam.example"; // blocked

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingNotifyTransport transport = new RecordingNotifyTransport();
  private final List<Integer> counts = new ArrayList<>();
  private final PresenceEngine engine = engine(3);

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
    PresenceEngine e =
        new PresenceEngine(
            policy,
            List.of(presence, new WatcherInfoPackage(presence.name())),
            KeyedExecutor.callerRuns(),
            transport,
            listener ->
                PresenceStore.caffeine(
                    ticker, Scheduler.disabledScheduler(), Runnable::run, listener),
            address -> false,
            WatcherRules.of(policy.authorization(), address -> PresenceLists.NONE));
    e.observeWatchers((presentity, count) -> counts.add(count));
    return e;
  }

  /** Records every view it is given. */
  private static final class RecordingWatcher implements RemoteWatcher {
    final List<View> views = new ArrayList<>();

    @Override
    public void update(View view) {
      views.add(view);
    }

    View last() {
      return views.get(views.size() - 1);
    }

    List<Status> statuses() {
      return views.stream().map(View::status).toList();
    }

    String lastDocument() {
      return new String(last().document(), StandardCharsets.UTF_8);
    }
  }

  private static Object pidf(String entity, String basic, String note) {
    String xml =
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='"
            + entity
            + "'><tuple id='t'><status><basic>"
            + basic
            + "</basic></status><note>"
            + note
            + "</note></tuple></presence>";
    try {
      return new PresencePackage(65536).parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
  }

  private void publish(String note) {
    RecordingAnswer a = new RecordingAnswer();
    engine.publish(new PublishRequest(PRESENCE, null, 600, pidf(ALICE, "open", note)), a);
    assertEquals(200, a.status());
  }

  @Test
  void anAllowedWatcherGetsTheStateThenEveryChangeInOrder() {
    publish("first");
    RecordingWatcher bob = new RecordingWatcher();

    engine.watch(ALICE, BOB, bob);
    assertEquals(Status.ACTIVE, bob.last().status());
    assertTrue(bob.lastDocument().contains("<note>first</note>"), bob.lastDocument());

    publish("second");
    publish("third");
    assertEquals(List.of(Status.ACTIVE, Status.ACTIVE, Status.ACTIVE), bob.statuses());
    assertTrue(bob.lastDocument().contains("<note>third</note>"), bob.lastDocument());
    assertEquals(1, engine.stats().subscriptions());
    assertEquals(1, counts.get(counts.size() - 1), "counted like a SIP watcher");
    assertEquals(0, transport.sent.size(), "no NOTIFY for a remote watcher");
  }

  @Test
  void aWatcherToConfirmWaitsThenIsAllowedOrDenied() {
    publish("busy day");
    RecordingWatcher pat = new RecordingWatcher();

    engine.watch(ALICE, PAT, pat);
    assertEquals(List.of(Status.PENDING), pat.statuses());
    assertNull(pat.last().document(), "nothing to see while pending");
    assertEquals(List.of(PAT), engine.authorization().pending(ALICE));
    publish("still busy");
    assertEquals(1, pat.views.size(), "a pending watcher sees no change");

    engine.authorization().allow(ALICE, PAT);
    assertEquals(Status.ACTIVE, pat.last().status());
    assertTrue(pat.lastDocument().contains("still busy"));
    assertEquals(List.of(), engine.authorization().pending(ALICE));

    engine.authorization().deny(ALICE, PAT);
    assertEquals(Status.BLOCKED, pat.last().status());
    assertTrue(pat.lastDocument().contains("<basic>closed</basic>"), pat.lastDocument());
    publish("later");
    assertEquals(Status.BLOCKED, pat.last().status(), "a blocked watcher sees nothing change");
  }

  @Test
  void aBlockedWatcherSeesTheClosedDocumentOnly() {
    publish("here");
    RecordingWatcher sam = new RecordingWatcher();

    engine.watch(ALICE, SAM, sam);
    publish("there");

    assertEquals(List.of(Status.BLOCKED), sam.statuses());
    assertTrue(sam.lastDocument().contains("<basic>closed</basic>"));
    assertTrue(!sam.lastDocument().contains("here"), sam.lastDocument());
  }

  @Test
  void unwatchEndsItAndWatchingAgainRefreshes() {
    RecordingWatcher bob = new RecordingWatcher();
    engine.watch(ALICE, BOB, bob);
    engine.watch(ALICE, BOB, bob);
    assertEquals(1, engine.stats().subscriptions(), "watching again is a refresh");
    assertEquals(2, bob.views.size());

    engine.unwatch(ALICE, BOB);
    assertEquals(Status.TERMINATED, bob.last().status());
    assertEquals(0, engine.stats().subscriptions());
    publish("after");
    assertEquals(Status.TERMINATED, bob.last().status());
    engine.unwatch(ALICE, BOB); // unknown: nothing
    assertEquals(3, bob.views.size());
  }

  @Test
  void aProbeRestoresAnAllowedWatcherAndTellsOthersNothing() {
    publish("here");
    RecordingWatcher bob = new RecordingWatcher();
    engine.probe(ALICE, BOB, bob);
    assertEquals(Status.ACTIVE, bob.last().status());
    assertEquals(1, engine.stats().subscriptions(), "restored");

    RecordingWatcher pat = new RecordingWatcher();
    engine.probe(ALICE, PAT, pat);
    assertEquals(Status.BLOCKED, pat.last().status(), "closed, nothing revealed");
    assertEquals(List.of(), engine.authorization().pending(ALICE), "a probe asks nothing");
    assertEquals(1, engine.stats().subscriptions());
  }

  @Test
  void overTheWatcherLimitAWatchIsRefused() {
    for (int i = 0; i < 3; i++) {
      engine.watch(ALICE, "sip:w" + i + "@herald.test", new RecordingWatcher());
    }
    RecordingWatcher one = new RecordingWatcher();
    engine.watch(ALICE, BOB, one);
    assertEquals(Status.REFUSED, one.last().status());
    assertTrue(one.last().reason().contains("too many watchers"), one.last().reason());
  }

  @Test
  void shutdownTerminatesRemoteWatchers() {
    RecordingWatcher bob = new RecordingWatcher();
    engine.watch(ALICE, BOB, bob);
    assertTrue(engine.shutdown(Duration.ofSeconds(1)));
    assertEquals(Status.TERMINATED, bob.last().status());
    assertEquals("deactivated", bob.last().reason());
  }

  /** A gateway's state of a presentity elsewhere: replaced by the next, removed by null. */
  @Test
  void gatewayStateIsComposedAndReplaced() {
    String xena = "sip:xena@herald.test";
    RecordingWatcher bob = new RecordingWatcher();
    engine.watch(xena, BOB, bob);
    assertTrue(bob.lastDocument().contains("<basic>closed</basic>"));

    RecordingAnswer a = new RecordingAnswer();
    Resource r = new Resource(xena, "presence");
    engine.gatewayState(r, pidf(xena, "open", "one"), a);
    assertEquals(200, a.status());
    engine.gatewayState(r, pidf(xena, "open", "two"), new RecordingAnswer());
    assertTrue(bob.lastDocument().contains("<note>two</note>"), bob.lastDocument());
    assertTrue(!bob.lastDocument().contains("one"), "replaced, not added");
    assertEquals(1, engine.store().publications(r).size());

    engine.gatewayState(r, null, new RecordingAnswer());
    assertTrue(bob.lastDocument().contains("<basic>closed</basic>"));
    assertEquals(0, engine.store().publications(r).size());
  }
}
