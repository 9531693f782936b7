package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6120 §8.2.3: an IQ get or set nobody handles is answered service-unavailable. */
class StanzasTest {

  private static XmlElement iq(String type) {
    return XmlElement.builder("iq", XmppComponent.NAMESPACE)
        .attribute("from", "bob@xmpp.herald.test/pc")
        .attribute("to", "alice@sip.herald.test")
        .attribute("id", "q1")
        .attribute("type", type)
        .child(XmlElement.builder("query", "jabber:iq:version").build())
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "set"})
  void aRequestGetsServiceUnavailableFromWhereItWentTo(String type) {
    assertEquals(
        "<iq type='error' from='alice@sip.herald.test' to='bob@xmpp.herald.test/pc' id='q1'>"
            + "<error type='cancel'>"
            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        Stanzas.serviceUnavailable(iq(type)).orElseThrow().toXml(XmppComponent.NAMESPACE));
  }

  /** Answering a result or an error would loop between two entities (RFC 6120 §8.2.3). */
  @ParameterizedTest
  @ValueSource(strings = {"result", "error"})
  void responsesAreNotAnswered(String type) {
    assertEquals(Optional.empty(), Stanzas.serviceUnavailable(iq(type)));
  }

  @Test
  void messagesAreNotAnswered() {
    assertEquals(
        Optional.empty(),
        Stanzas.serviceUnavailable(XmlElement.builder("message", XmppComponent.NAMESPACE).build()));
  }
}
