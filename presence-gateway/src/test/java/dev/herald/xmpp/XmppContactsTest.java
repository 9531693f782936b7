package dev.herald.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.im.presence.PresenceInfo;
import dev.herald.im.presence.Show;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.Resource;
import dev.herald.sip.Rejection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * SIP watchers of XMPP users (RFC 8048 §5): one subscription from the gateway's JID per XMPP user,
 * its presence per resource as the user's state, the linger, the component going down and up, and
 * the SUBSCRIBE access answers.
 */
class XmppContactsTest {
  private static final String XENA = "sip:xena@herald.test";
  private static final String XENA_JID = "xena@xmpp.herald.test";
  private static final String GATEWAY = "sip.herald.test";

  private final PresenceEngine engine = Engines.engine();
  private final RecordingLink link = new RecordingLink();
  private final ManualThread thread = new ManualThread();
  private final XmppContacts contacts =
      new XmppContacts(
          Engines.MAPPING,
          address -> address.equals("sip:alice@herald.test"),
          engine,
          Engines.PIDF,
          link,
          thread,
          Duration.ofSeconds(30));
  private final Engines.Seen seen = new Engines.Seen();

  private static EntityBareJid jid(String s) throws Exception {
    return JidCreate.entityBareFrom(s);
  }

  private static XmlElement presence(String type, String show, String status, String priority) {
    String ns = XmppComponent.NAMESPACE;
    XmlElement.Builder b =
        XmlElement.builder("presence", ns).attribute("from", XENA_JID).attribute("to", GATEWAY);
    if (!type.isEmpty()) {
      b.attribute("type", type);
    }
    if (!show.isEmpty()) {
      b.child(XmlElement.builder("show", ns).text(show).build());
    }
    if (!status.isEmpty()) {
      b.child(XmlElement.builder("status", ns).text(status).build());
    }
    if (!priority.isEmpty()) {
      b.child(XmlElement.builder("priority", ns).text(priority).build());
    }
    return b.build();
  }

  /** A SIP watcher of xena, as the engine tells the counts. */
  private void watchXena() {
    engine.watch(XENA, "sip:carol@herald.test", seen);
    contacts.watchers(XENA, 1);
  }

  @Test
  void twoWatchersOneSubscriptionFromTheGatewayJid() {
    contacts.watchers(XENA, 1);
    contacts.watchers(XENA, 2);
    contacts.watchers(XENA, 2);

    assertEquals(List.of("subscribe sip.herald.test " + XENA_JID), link.summary());
    assertEquals(GATEWAY, contacts.gatewayJid());
  }

  @Test
  void aUserOfHeraldsOrAnUnmappedAddressIsNotSubscribed() {
    contacts.watchers("sip:alice@herald.test", 1);
    contacts.watchers("sip:someone@elsewhere.test", 1);

    assertEquals(List.of(), link.summary());
    assertFalse(contacts.serves("sip:alice@herald.test"));
    assertFalse(contacts.serves("sip:someone@elsewhere.test"));
    assertTrue(contacts.serves(XENA));
    assertTrue(contacts.serves("sip:pat@partner.example"));
  }

  /** RFC 6121 §4.7.2.3: the available resource of highest priority speaks for the user. */
  @Test
  void resourcesMakeOneStateTheHighestPriorityAvailableOne() throws Exception {
    watchXena();
    assertEquals(false, seen.last().available(), "nothing known yet");

    contacts.stanza(presence("", "away", "at lunch", "5"), jid(XENA_JID), "laptop");
    contacts.stanza(presence("", "dnd", "in a call", "1"), jid(XENA_JID), "phone");
    assertEquals(new PresenceInfo(true, Show.AWAY, "at lunch", 5), seen.last());

    contacts.stanza(presence("", "xa", "", "9"), jid(XENA_JID), "phone");
    assertEquals(Show.XA, seen.last().show(), "a higher priority wins");

    contacts.stanza(presence("unavailable", "", "", ""), jid(XENA_JID), "phone");
    assertEquals(Show.AWAY, seen.last().show(), "the other resource is still there");

    contacts.stanza(presence("unavailable", "", "gone home", ""), jid(XENA_JID), "laptop");
    assertEquals(PresenceInfo.unavailable("gone home"), seen.last());
  }

  @Test
  void theLastWatcherLeavingUnsubscribesAfterTheLinger() throws Exception {
    watchXena();
    contacts.stanza(presence("", "", "", ""), jid(XENA_JID), "laptop");
    Resource xena = new Resource(XENA, PresencePackage.NAME);
    assertEquals(1, engine.store().publications(xena).size());

    contacts.watchers(XENA, 0);
    assertEquals(1, thread.scheduledCount());
    contacts.watchers(XENA, 1); // back within the linger: it stays
    assertEquals(0, thread.scheduledCount());
    contacts.watchers(XENA, 0);
    contacts.watchers(XENA, 0);
    assertEquals(1, thread.scheduledCount());
    assertEquals(List.of("subscribe sip.herald.test " + XENA_JID), link.summary());

    thread.fireAll();

    assertEquals(
        List.of("subscribe sip.herald.test " + XENA_JID, "unsubscribe sip.herald.test " + XENA_JID),
        link.summary());
    assertEquals(0, engine.store().publications(xena).size(), "the state went with it");
    link.clear();
    contacts.stanza(presence("", "", "", ""), jid(XENA_JID), "laptop");
    assertEquals(0, engine.store().publications(xena).size(), "late presence is ignored");
    contacts.watchers(XENA, 1);
    assertEquals(List.of("subscribe sip.herald.test " + XENA_JID), link.summary(), "anew");
  }

  @Test
  void componentDownShowsClosedWithANoteAndUpSubscribesAndProbesAgain() throws Exception {
    watchXena();
    contacts.stanza(presence("", "chat", "", ""), jid(XENA_JID), "laptop");
    assertEquals(Show.CHAT, seen.last().show());

    link.up = false;
    contacts.connection(false);
    assertFalse(seen.last().available());
    assertTrue(seen.last().status().contains("XMPP gateway cannot reach " + XENA_JID));
    Rejection down = contacts.unavailable(XENA);
    assertEquals(503, down.status());
    assertTrue(down.reason().contains("XMPP gateway down"), down.reason());
    assertEquals("7", down.headers().get("Retry-After"));

    link.up = true;
    link.clear();
    contacts.connection(true);
    assertEquals(
        List.of("subscribe sip.herald.test " + XENA_JID, "probe sip.herald.test " + XENA_JID),
        link.summary());
    assertNull(contacts.unavailable(XENA));
  }

  @Test
  void aWatcherWhileDownSeesClosedWithANote() {
    link.up = false;
    watchXena();
    assertEquals(List.of(), link.summary());
    assertTrue(seen.last().status().startsWith("Presence unknown"), seen.last().status());
  }

  @Test
  void declinedOrAnErrorShowsClosedSayingWhy() throws Exception {
    watchXena();
    contacts.stanza(presence("", "", "", ""), jid(XENA_JID), "laptop");
    contacts.stanza(presence("unsubscribed", "", "", ""), jid(XENA_JID), "");
    assertFalse(seen.last().available());
    assertTrue(seen.last().status().contains("does not share presence"), seen.last().status());

    XmlElement error =
        XmlElement.builder("presence", XmppComponent.NAMESPACE)
            .attribute("from", XENA_JID)
            .attribute("type", "error")
            .child(
                XmlElement.builder("error", XmppComponent.NAMESPACE)
                    .attribute("type", "cancel")
                    .child(
                        XmlElement.builder(
                                "remote-server-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas")
                            .build())
                    .build())
            .build();
    contacts.stanza(error, jid(XENA_JID), "");
    assertEquals("Presence unknown: XMPP error remote-server-not-found", seen.last().status());
  }

  /** The gateway's JID shares no presence of its own (RFC 6121 §3.1.3). */
  @Test
  void aSubscribeToTheGatewayIsDeclined() throws Exception {
    contacts.stanza(presence("subscribe", "", "", ""), jid("yuri@xmpp.herald.test"), "");
    assertEquals(List.of("unsubscribed sip.herald.test yuri@xmpp.herald.test"), link.summary());
  }
}
