package dev.herald.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.RegistrarPolicy;
import dev.herald.registrar.RegisterRequest.ContactEntry;
import dev.herald.sip.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RFC 3261 §10.3 on a fake clock. */
class RegistrarTest {
  private static final String ALICE = "sip:alice@herald.test";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final List<String> changes = new ArrayList<>();
  private final Registrar registrar =
      new Registrar(
          new RegistrarPolicy(60, 3600, 7200, 2, false),
          KeyedExecutor.callerRuns(),
          ticker,
          Scheduler.disabledScheduler(),
          Runnable::run,
          (aor, registered) -> changes.add(aor + (registered ? " up" : " down")));

  private long cseq = 1;

  private static final class Answer implements RegisterReply {
    List<Binding> bindings;
    Rejection rejection;

    @Override
    public void accepted(List<Binding> current) {
      assertNull(bindings);
      bindings = current;
    }

    @Override
    public void rejected(Rejection r) {
      assertNull(rejection);
      rejection = r;
    }

    int status() {
      return rejection != null ? rejection.status() : 200;
    }
  }

  private Answer register(Integer expiresHeader, ContactEntry... contacts) {
    Answer a = new Answer();
    registrar.register(
        new RegisterRequest(ALICE, List.of(contacts), false, expiresHeader, "call-1", cseq++), a);
    return a;
  }

  private static ContactEntry contact(String uri) {
    return new ContactEntry(uri, null, null);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    registrar.cleanUp();
  }

  @Test
  void registerAddsABindingWithTheDefaultExpiry() {
    Answer a = register(null, contact("sip:alice@127.0.0.1:5070"));
    assertEquals(200, a.status());
    assertEquals(1, a.bindings.size());
    assertEquals(3600, registrar.secondsLeft(a.bindings.get(0)));
    assertEquals(List.of(ALICE + " up"), changes);
    assertTrue(registrar.isRegistered(ALICE));
  }

  @Test
  void severalDevicesAreKeptAndOrderedByQ() {
    register(600, new ContactEntry("sip:alice@127.0.0.1:5071", null, 0.3f));
    Answer a = register(600, new ContactEntry("sip:alice@127.0.0.1:5072", null, 0.9f));
    assertEquals(2, a.bindings.size());
    assertEquals("sip:alice@127.0.0.1:5072", registrar.lookup(ALICE).get(0).contact());
  }

  @Test
  void expiresParameterBeatsTheHeaderAndMaximumIsApplied() {
    Answer a = register(600, new ContactEntry("sip:alice@127.0.0.1:5071", 99_999, null));
    assertEquals(7200, registrar.secondsLeft(a.bindings.get(0)));
  }

  @Test
  void tooBriefGets423WithMinExpires() {
    Answer a = register(5, contact("sip:alice@127.0.0.1:5070"));
    assertEquals(423, a.status());
    assertEquals("60", a.rejection.headers().get("Min-Expires"));
    assertTrue(registrar.lookup(ALICE).isEmpty());
  }

  @Test
  void expiresZeroRemovesOneBinding() {
    register(600, contact("sip:alice@127.0.0.1:5071"));
    register(600, contact("sip:alice@127.0.0.1:5072"));
    Answer a = register(0, contact("sip:alice@127.0.0.1:5071"));
    assertEquals(1, a.bindings.size());
    assertEquals("sip:alice@127.0.0.1:5072", a.bindings.get(0).contact());
  }

  @Test
  void wildcardRemovesEverythingAndNeedsExpiresZero() {
    register(600, contact("sip:alice@127.0.0.1:5071"));
    Answer bad = new Answer();
    registrar.register(new RegisterRequest(ALICE, List.of(), true, 60, "call-1", cseq++), bad);
    assertEquals(400, bad.status());
    Answer ok = new Answer();
    registrar.register(new RegisterRequest(ALICE, List.of(), true, 0, "call-1", cseq++), ok);
    assertEquals(200, ok.status());
    assertTrue(registrar.lookup(ALICE).isEmpty());
    assertEquals(List.of(ALICE + " up", ALICE + " down"), changes);
  }

  @Test
  void sameCallIdWithAnOlderCseqFails() {
    register(600, contact("sip:alice@127.0.0.1:5071"));
    cseq = 1;
    assertEquals(400, register(600, contact("sip:alice@127.0.0.1:5071")).status());
  }

  @Test
  void contactsPerAddressAreBounded() {
    register(600, contact("sip:alice@127.0.0.1:5071"));
    register(600, contact("sip:alice@127.0.0.1:5072"));
    Answer a = register(600, contact("sip:alice@127.0.0.1:5073"));
    assertEquals(503, a.status());
    assertEquals(2, registrar.lookup(ALICE).size());
  }

  @Test
  void aBindingExpiresOnItsOwnAndTheLastOneEndsTheRegistration() {
    register(60, contact("sip:alice@127.0.0.1:5071"));
    register(120, contact("sip:alice@127.0.0.1:5072"));
    advance(Duration.ofSeconds(61));
    assertEquals(1, registrar.lookup(ALICE).size());
    advance(Duration.ofSeconds(60));
    assertTrue(registrar.lookup(ALICE).isEmpty());
    assertEquals(List.of(ALICE + " up", ALICE + " down"), changes);
  }

  @Test
  void refreshMovesTheDeadline() {
    register(60, contact("sip:alice@127.0.0.1:5071"));
    advance(Duration.ofSeconds(50));
    register(60, contact("sip:alice@127.0.0.1:5071"));
    advance(Duration.ofSeconds(50));
    assertEquals(1, registrar.lookup(ALICE).size());
  }
}
