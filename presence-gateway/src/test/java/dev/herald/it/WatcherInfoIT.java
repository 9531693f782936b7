package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.sip.header.AllowEventsHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Watcher information (RFC 3857, RFC 3858): a presentity subscribes to {@code presence.winfo} and
 * learns who watches and who waits; only the presentity may; nothing publishes it.
 */
class WatcherInfoIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ALICE = "sip:alice@herald.test";
  private static final String WATCHER = "sip:watcher@partner.example";

  private RunningHerald herald;

  @AfterEach
  void stop() {
    if (herald != null) {
      herald.close();
    }
  }

  /**
   * Alice watches her watchers; a watcher of partner.example (to confirm) subscribes: she sees it
   * pending, allows it, sees it active (approved), and sees it go when it unsubscribes.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void thePresentitySeesAWatcherComeWaitBeAllowedAndGo(SippTransport transport) throws Exception {
    herald =
        RunningHerald.start(
            RunningHerald.presence(
                """
                authorization:
                  domains: {partner.example: confirm}
                """));
    herald.sipp("publish-once", transport).service("alice").run().assertPassed();
    try (RunningSipp winfo = herald.sipp("winfo-watcher", transport).service("alice").start()) {
      winfo.awaitMilestone("subscribed", WAIT);
      try (RunningSipp watcher =
          herald.sipp("watcher-pending", transport).service("alice").start()) {
        watcher.awaitMilestone("pending", WAIT);
        winfo.awaitMilestone("listed", WAIT);
        assertEquals(List.of(WATCHER), herald.herald().authorization().pending(ALICE));
        // Until Herald has the answer to version 1, version 2 would wait behind it, and the
        // watcher's unsubscribe could replace it there with version 3's list.
        herald.await("every NOTIFY answered", s -> s.notifiesInFlight() == 0);

        herald.herald().authorization().allow(ALICE, WATCHER);

        SippResult w = watcher.awaitExit(WAIT).assertPassed();
        assertEquals(3, w.received("NOTIFY"), w.describe());
      }
      SippResult i = winfo.awaitExit(WAIT).assertPassed();
      // versions 0 to 3, then the final NOTIFY of the unsubscribe
      assertEquals(5, i.received("NOTIFY"), i.describe());
    }
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  /** 406 for an Accept without watcherinfo+xml; 489 for a PUBLISH; 489 lists presence.winfo. */
  @Test
  void errors() throws Exception {
    herald = RunningHerald.start();
    herald.sipp("winfo-errors", SippTransport.UDP).service("alice").run().assertPassed();
    assertEquals(0, herald.stats().subscriptions());
    assertEquals(0, herald.stats().publications());
  }

  /** Bob, authenticated, may not watch Alice's watchers: 403. */
  @Test
  void anotherUserMayNotWatchThePresentitysWatchers() throws Exception {
    herald = RunningHerald.startUntrusted();
    herald
        .sipp("winfo-forbidden", SippTransport.UDP)
        .service("alice")
        .arg("-au", "bob", "-ap", "bob-pw", "-auth_uri", "alice@herald.test")
        .run()
        .assertPassed();
    assertEquals(0, herald.stats().subscriptions());
  }

  /**
   * OPTIONS (the CUCM keep-alive) names every package served, watcher info and dialog among them.
   */
  @Test
  void optionsListsWatcherInfoInAllowEvents() throws Exception {
    herald = RunningHerald.start();
    try (SipUdpClient client = SipUdpClient.open(herald.port())) {
      client.send(
          client
              .request("OPTIONS", "sip:" + RunningHerald.DOMAIN)
              .header("From", "<sip:cucm@" + RunningHerald.DOMAIN + ">;tag=o1")
              .header("To", "<sip:" + RunningHerald.DOMAIN + ">")
              .header("Call-ID", "options-winfo")
              .header("CSeq", "1 OPTIONS"));
      Response r = client.nextResponse();

      assertEquals(200, r.getStatusCode(), r.toString());
      List<String> events = new ArrayList<>();
      Iterator<?> headers = r.getHeaders(AllowEventsHeader.NAME);
      while (headers.hasNext()) {
        events.add(((AllowEventsHeader) headers.next()).getEventType());
      }
      assertEquals(List.of("presence", "presence.winfo", "dialog"), events, r.toString());
    }
  }
}
