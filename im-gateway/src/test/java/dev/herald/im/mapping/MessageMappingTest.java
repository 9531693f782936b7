package dev.herald.im.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 7572: a message's text, subject and thread each way. */
class MessageMappingTest {
  private static final String NS = XmppComponent.NAMESPACE;

  @Test
  void sipTextBecomesAChatMessageWithSubjectBodyAndThread() {
    XmlElement m =
        SipToXmpp.message(
            new ImText("hi <you> & me", "lunch"),
            "alice@sip.herald.test",
            "bob@xmpp.herald.test",
            "herald-1",
            "call-1@host");

    assertEquals(
        "<message xmlns='jabber:component:accept' from='alice@sip.herald.test'"
            + " to='bob@xmpp.herald.test' type='chat' id='herald-1'><subject>lunch</subject>"
            + "<body>hi &lt;you&gt; &amp; me</body><thread>call-1@host</thread></message>",
        m.toXml());
  }

  @Test
  void noSubjectNoThreadNoElements() {
    XmlElement m = SipToXmpp.message(new ImText("hi", ""), "a@c", "b@x", "id", "");

    assertEquals(Optional.empty(), m.element("subject", NS));
    assertEquals(Optional.empty(), m.element("thread", NS));
    assertEquals("hi", m.element("body", NS).orElseThrow().text());
  }

  @Test
  void anXmppMessageGivesBodySubjectAndThread() {
    XmlElement m =
        XmlElement.builder("message", NS)
            .child(XmlElement.builder("subject", NS).text("lunch").build())
            .child(XmlElement.builder("body", NS).text("at noon?").build())
            .child(XmlElement.builder("thread", NS).text(" t-1 ").build())
            .build();

    assertEquals(Optional.of(new ImText("at noon?", "lunch")), XmppToSip.text(m));
    assertEquals("t-1", XmppToSip.thread(m));
  }

  /** XEP-0085 chat states and receipts carry no body: nothing for a pager-mode MESSAGE. */
  @Test
  void aMessageWithoutBodyHasNoText() {
    XmlElement composing =
        XmlElement.builder("message", NS)
            .child(XmlElement.builder("composing", "http://jabber.org/protocol/chatstates").build())
            .build();

    assertEquals(Optional.empty(), XmppToSip.text(composing));
    assertEquals("", XmppToSip.thread(composing));
  }
}
