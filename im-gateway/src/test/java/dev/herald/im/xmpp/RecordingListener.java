package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what an {@link XmppComponent} reports, for tests to wait on. */
final class RecordingListener implements XmppComponent.Listener {

  final BlockingQueue<XmlElement> stanzas = new LinkedBlockingQueue<>();
  final BlockingQueue<XmppComponent.State> states = new LinkedBlockingQueue<>();

  @Override
  public void stanza(XmlElement stanza) {
    stanzas.add(stanza);
  }

  @Override
  public void stateChanged(XmppComponent.State state) {
    states.add(state);
  }

  /** Waits up to {@code seconds} for the state change to {@code state}, skipping others. */
  void awaitState(XmppComponent.State state, int seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = end - System.nanoTime();
      XmppComponent.State next = left <= 0 ? null : states.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError("no change to " + state + " within " + seconds + " s");
      }
      if (next == state) {
        return;
      }
    }
  }

  XmlElement awaitStanza() throws InterruptedException {
    XmlElement stanza = stanzas.poll(10, TimeUnit.SECONDS);
    assertNotNull(stanza, "no stanza within 10 s");
    return stanza;
  }

  void assertNoStanza() {
    assertEquals(null, stanzas.poll(), "no stanza expected");
  }
}
