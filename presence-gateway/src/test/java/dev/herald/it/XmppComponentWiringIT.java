package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.im.xmpp.XmppComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Herald with an {@code xmpp} section joins a real Prosody as its XEP-0114 component at start, and
 * leaves at shutdown; without the section it runs no component.
 */
class XmppComponentWiringIT {

  @Test
  void anXmppSectionConnectsTheComponentToProsody() throws Exception {
    Path folder = Files.createTempDirectory("herald-xmpp-it-");
    Files.writeString(folder.resolve("xmpp-secret"), "wiring-secret\n");
    try (ProsodyServer prosody =
        ProsodyServer.start(
            folder.resolve("prosody"), "xmpp.herald.test", "sip.herald.test", "wiring-secret")) {
      String xmpp =
              """
          xmpp:
            port: %d
            component-domain: sip.herald.test
            secret-file: %s
            domains: {herald.test: xmpp.herald.test}
          """
              .formatted(prosody.componentPort(), folder.resolve("xmpp-secret"));
      XmppComponent component;
      try (RunningHerald herald = RunningHerald.start(xmpp)) {
        component = herald.herald().xmpp().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!component.isUp()) {
          if (System.nanoTime() > deadline) {
            fail("the component did not come up; Prosody's log:\n" + prosody.logTail());
          }
          Thread.sleep(20);
        }
      }
      assertEquals(XmppComponent.State.CLOSED, component.state());
      assertFalse(component.isUp());
    }
  }

  @Test
  void noXmppSectionNoComponent() throws Exception {
    try (RunningHerald herald = RunningHerald.start()) {
      assertTrue(herald.herald().xmpp().isEmpty());
      assertEquals(Optional.empty(), herald.herald().xmpp());
    }
  }
}
