package dev.herald.xmpp;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;

/** The presence stanzas the gateway makes without a state to carry (RFC 6121 §3, RFC 6120 §8.3). */
final class PresenceStanzas {
  private static final String NS = XmppComponent.NAMESPACE;
  private static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";

  private PresenceStanzas() {}

  /** {@code <presence type='TYPE'/>}: subscribe, subscribed, unsubscribe, unsubscribed, probe. */
  static XmlElement ofType(String type, String from, String to) {
    return XmlElement.builder("presence", NS)
        .attribute("from", from)
        .attribute("to", to)
        .attribute("type", type)
        .build();
  }

  /**
   * An error in answer to {@code request} (RFC 6120 §8.3): {@code errorType} cancel, wait, modify
   * or auth; {@code condition} a defined condition such as {@code item-not-found}; {@code text}
   * what was wrong, for the sender's user.
   */
  static XmlElement error(XmlElement request, String errorType, String condition, String text) {
    XmlElement.Builder b = XmlElement.builder("presence", NS).attribute("type", "error");
    request.attribute("to").ifPresent(to -> b.attribute("from", to));
    request.attribute("from").ifPresent(from -> b.attribute("to", from));
    request.attribute("id").ifPresent(id -> b.attribute("id", id));
    return b.child(
            XmlElement.builder("error", NS)
                .attribute("type", errorType)
                .child(XmlElement.builder(condition, STANZA_ERRORS).build())
                .child(XmlElement.builder("text", STANZA_ERRORS).text(text).build())
                .build())
        .build();
  }

  /** The defined condition of an error stanza, or "undefined-condition". */
  static String condition(XmlElement errorStanza) {
    return errorStanza.element("error", errorStanza.namespace()).stream()
        .flatMap(e -> e.elements().stream())
        .filter(c -> STANZA_ERRORS.equals(c.namespace()) && !c.name().equals("text"))
        .map(XmlElement::name)
        .findFirst()
        .orElse("undefined-condition");
  }
}
