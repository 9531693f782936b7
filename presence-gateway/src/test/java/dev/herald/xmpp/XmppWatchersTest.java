package dev.herald.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.im.presence.PresenceInfo;
import dev.herald.im.presence.Show;
import dev.herald.im.presence.XmppToPidf;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PublishReply;
import dev.herald.presence.PublishRequest;
import dev.herald.presence.Resource;
import dev.herald.sip.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XMPP users watching SIP users (RFC 8048 §4, §6.3) under the engine's authorization: subscribed
 * and the state, pending then allowed or denied (unsubscribed), the polite block, unsubscribe,
 * probes, unknown users and unmapped domains.
 */
class XmppWatchersTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final String ALICE_JID = "alice@sip.herald.test";
  private static final String BOB_JID = "bob@xmpp.herald.test"; // allowed: herald.test
  private static final String PAT_JID = "pat@xmpp.partner.example"; // confirm: partner.example

  private final PresenceEngine engine = Engines.engine();
  private final RecordingLink link = new RecordingLink();
  private final XmppWatchers watchers =
      new XmppWatchers(
          Engines.MAPPING,
          address -> address.equals(ALICE) || address.equals("sip:carol@herald.test"),
          engine,
          link);

  private static EntityBareJid jid(String s) throws Exception {
    return JidCreate.entityBareFrom(s);
  }

  private void stanza(String type, String from, String to) throws Exception {
    XmlElement.Builder b =
        XmlElement.builder("presence", XmppComponent.NAMESPACE)
            .attribute("from", from + "/res")
            .attribute("to", to);
    if (!type.isEmpty()) {
      b.attribute("type", type);
    }
    watchers.stanza(b.build(), jid(to), jid(from));
  }

  private void publish(Show show, String note) throws Exception {
    String xml = XmppToPidf.pidf(ALICE, new PresenceInfo(true, show, note, 0), ALICE);
    Object doc = Engines.PIDF.parse(xml.getBytes(StandardCharsets.UTF_8));
    engine.publish(
        new PublishRequest(new Resource(ALICE, PresencePackage.NAME), null, 600, doc),
        new PublishReply() {
          @Override
          public void accepted(String etag, int expires) {}

          @Override
          public void rejected(Rejection rejection) {
            throw new AssertionError(rejection.toString());
          }
        });
  }

  private String lastShow() {
    return link.last().element("show", XmppComponent.NAMESPACE).map(XmlElement::text).orElse("");
  }

  @Test
  void anAllowedSubscribeIsSubscribedThenEveryChange() throws Exception {
    publish(Show.AWAY, "at lunch");

    stanza("subscribe", BOB_JID, ALICE_JID);

    assertEquals(
        List.of(
            "subscribed " + ALICE_JID + " " + BOB_JID, "available " + ALICE_JID + " " + BOB_JID),
        link.summary());
    assertEquals("away", lastShow());
    assertEquals(
        "at lunch", link.last().element("status", XmppComponent.NAMESPACE).orElseThrow().text());
    publish(Show.DND, "call");
    assertEquals("dnd", lastShow());
    assertEquals(3, link.sent.size());
  }

  @Test
  void unsubscribeEndsTheWatchAndIsAnsweredUnsubscribed() throws Exception {
    stanza("subscribe", BOB_JID, ALICE_JID);
    link.clear();

    stanza("unsubscribe", BOB_JID, ALICE_JID);

    assertEquals(List.of("unsubscribed " + ALICE_JID + " " + BOB_JID), link.summary());
    assertEquals(0, engine.stats().subscriptions());
    publish(Show.AWAY, "later");
    assertEquals(1, link.sent.size(), "no change after it");
  }

  @Test
  void pendingUntilAllowedThenSubscribedAndTheState() throws Exception {
    publish(Show.XA, "on leave");
    stanza("subscribe", PAT_JID, ALICE_JID);
    assertEquals(List.of(), link.summary(), "nothing while pending");
    assertEquals(List.of("sip:pat@partner.example"), engine.authorization().pending(ALICE));
    publish(Show.AWAY, "back");
    assertEquals(List.of(), link.summary());

    engine.authorization().allow(ALICE, "sip:pat@partner.example");

    assertEquals(
        List.of(
            "subscribed " + ALICE_JID + " " + PAT_JID, "available " + ALICE_JID + " " + PAT_JID),
        link.summary());
    assertEquals("away", lastShow());
  }

  @Test
  void pendingThenDeniedIsUnsubscribedAndForgotten() throws Exception {
    stanza("subscribe", PAT_JID, ALICE_JID);

    engine.authorization().deny(ALICE, "sip:pat@partner.example");

    assertEquals(List.of("unsubscribed " + ALICE_JID + " " + PAT_JID), link.summary());
    assertEquals(0, engine.stats().subscriptions());
  }

  /** The polite block: subscribed, then unavailable whatever the SIP user does. */
  @Test
  void aBlockedWatcherIsPolitelyShownUnavailable() throws Exception {
    publish(Show.CHAT, "free");
    String sam = "sam@xmpp.spam.example";
    XmppWatchers withSpam =
        new XmppWatchers(
            Engines.mapping("spam.example"), address -> address.equals(ALICE), engine, link);
    XmlElement subscribe =
        XmlElement.builder("presence", XmppComponent.NAMESPACE)
            .attribute("from", sam)
            .attribute("to", ALICE_JID)
            .attribute("type", "subscribe")
            .build();

    withSpam.stanza(subscribe, jid(ALICE_JID), jid(sam));
    publish(Show.AWAY, "moved");

    assertEquals(
        List.of("subscribed " + ALICE_JID + " " + sam, "unavailable " + ALICE_JID + " " + sam),
        link.summary());
  }

  /** RFC 6121 §4.3: a probe gets the state, without a new "subscribed". */
  @Test
  void aProbeIsAnsweredWithTheState() throws Exception {
    publish(Show.DND, "busy");

    stanza("probe", BOB_JID, ALICE_JID);

    assertEquals(List.of("available " + ALICE_JID + " " + BOB_JID), link.summary());
    assertEquals("dnd", lastShow());
  }

  @Test
  void aProbeFromAWatcherToConfirmLearnsNothingAndAsksNothing() throws Exception {
    publish(Show.DND, "busy");

    stanza("probe", PAT_JID, ALICE_JID);

    assertEquals(List.of("unavailable " + ALICE_JID + " " + PAT_JID), link.summary());
    assertEquals(List.of(), engine.authorization().pending(ALICE));
    assertEquals(0, engine.stats().subscriptions());
  }

  /** RFC 6121 §3.1.3: a subscribe to no such user is answered unsubscribed. */
  @Test
  void anUnknownSipUserIsUnsubscribed() throws Exception {
    stanza("subscribe", BOB_JID, "nobody@sip.herald.test");
    stanza("probe", BOB_JID, "nobody@sip.herald.test");
    stanza("", BOB_JID, "nobody@sip.herald.test");

    assertEquals(
        List.of(
            "unsubscribed nobody@sip.herald.test " + BOB_JID,
            "unsubscribed nobody@sip.herald.test " + BOB_JID),
        link.summary());
  }

  @Test
  void anXmppUserOfAnUnmappedDomainIsRefusedSayingWhy() throws Exception {
    stanza("subscribe", "eve@elsewhere.example", ALICE_JID);

    XmlElement error = link.last();
    assertEquals("error", error.attribute("type").orElseThrow());
    assertEquals("eve@elsewhere.example/res", error.attribute("to").orElseThrow());
    assertEquals("forbidden", PresenceStanzas.condition(error));
    assertTrue(error.toXml().contains("elsewhere.example"), error.toXml());
    assertEquals(0, engine.stats().subscriptions());
  }

  @Test
  void whenTheComponentIsUpAgainEveryWatcherGetsItsStateAgain() throws Exception {
    publish(Show.AWAY, "x");
    stanza("subscribe", BOB_JID, ALICE_JID);
    link.clear();

    watchers.resend();

    assertEquals(List.of("available " + ALICE_JID + " " + BOB_JID), link.summary());
  }
}
