package dev.herald.im.mapping;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.util.Map;
import java.util.Optional;

/**
 * XMPP to SIP, as pure functions: a {@code <message>}'s text for a SIP MESSAGE (RFC 7572 §4), and
 * an XMPP stanza error as the SIP response code the SIP sender gets (RFC 7247 §7.1).
 */
public final class XmppToSip {

  private XmppToSip() {}

  /* RFC 7247 §7.1 (XMPP error condition -> SIP response code), written from the RFC's table. */
  private static final Map<String, Integer> BY_CONDITION =
      Map.ofEntries(
          Map.entry("bad-request", 400),
          Map.entry("conflict", 400),
          Map.entry("feature-not-implemented", 405),
          Map.entry("forbidden", 403),
          Map.entry("gone", 410),
          Map.entry("internal-server-error", 500),
          Map.entry("item-not-found", 404),
          Map.entry("jid-malformed", 400),
          Map.entry("not-acceptable", 406),
          Map.entry("not-allowed", 403),
          Map.entry("not-authorized", 401),
          Map.entry("payment-required", 402),
          Map.entry("policy-violation", 403),
          Map.entry("recipient-unavailable", 480),
          Map.entry("redirect", 302),
          Map.entry("registration-required", 400),
          Map.entry("remote-server-not-found", 404),
          Map.entry("remote-server-timeout", 408),
          Map.entry("resource-constraint", 500),
          Map.entry("service-unavailable", 503),
          Map.entry("subscription-required", 400),
          Map.entry("undefined-condition", 400),
          Map.entry("unexpected-request", 400));

  /**
   * The SIP response code for an XMPP error condition; a condition RFC 6120 does not define (or a
   * newer one) is 400, as {@code undefined-condition} is.
   */
  public static int status(String condition) {
    return BY_CONDITION.getOrDefault(condition, 400);
  }

  /**
   * The stanza error an error stanza carries (RFC 6120 §8.3.2): the first defined condition, the
   * error's type and its text. {@code undefined-condition} when the stanza names none.
   */
  public static StanzaError error(XmlElement stanza) {
    Optional<XmlElement> error = stanza.element("error", stanza.namespace());
    String type = error.flatMap(e -> e.attribute("type")).orElse("cancel");
    String condition = "undefined-condition";
    String text = "";
    for (XmlElement child : error.map(XmlElement::elements).orElse(java.util.List.of())) {
      if (!child.namespace().equals(StanzaError.NAMESPACE)) {
        continue; // an application-specific condition: the defined one says enough
      }
      if (child.name().equals("text")) {
        text = child.text().strip();
      } else if (condition.equals("undefined-condition")) {
        condition = child.name();
      }
    }
    return new StanzaError(condition, type, text);
  }

  /**
   * The text of a {@code <message>} for a SIP MESSAGE: its {@code <body>} and {@code <subject>}
   * (RFC 7572 §4); empty when it has no body, as chat-state notifications (XEP-0085) and receipts
   * do, which carry nothing for a pager-mode MESSAGE.
   */
  public static Optional<ImText> text(XmlElement message) {
    String ns = XmppComponent.NAMESPACE;
    Optional<XmlElement> body = message.element("body", ns);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    String subject = message.element("subject", ns).map(XmlElement::text).orElse("");
    return Optional.of(new ImText(body.get().text(), subject));
  }

  /** The {@code <thread>} of a message, or empty. */
  public static String thread(XmlElement message) {
    return message
        .element("thread", XmppComponent.NAMESPACE)
        .map(XmlElement::text)
        .map(String::strip)
        .orElse("");
  }
}
