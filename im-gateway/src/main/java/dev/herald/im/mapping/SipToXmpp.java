package dev.herald.im.mapping;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.util.Map;

/**
 * SIP to XMPP, as pure functions: a SIP MESSAGE's text as a {@code <message type='chat'>} (RFC 7572
 * §5), and a SIP final response as the stanza error the XMPP sender gets (RFC 7247 §7.2).
 */
public final class SipToXmpp {

  private SipToXmpp() {}

  /*
   * RFC 7247 §7.2 (SIP response code -> XMPP error condition). Written from the RFC's table;
   * the type of each condition is RFC 6120 §8.3.3's. Codes not in the table fall back to their
   * class (below).
   */
  private static final Map<Integer, StanzaError> BY_STATUS =
      Map.ofEntries(
          entry(300, "redirect", "modify"),
          entry(301, "gone", "cancel"),
          entry(302, "redirect", "modify"),
          entry(305, "redirect", "modify"),
          entry(380, "redirect", "modify"),
          entry(400, "bad-request", "modify"),
          entry(401, "not-authorized", "auth"),
          entry(402, "bad-request", "modify"),
          entry(403, "forbidden", "auth"),
          entry(404, "item-not-found", "cancel"),
          entry(405, "feature-not-implemented", "cancel"),
          entry(406, "not-acceptable", "modify"),
          entry(407, "registration-required", "auth"),
          entry(408, "remote-server-timeout", "wait"),
          entry(410, "gone", "cancel"),
          entry(413, "policy-violation", "modify"),
          entry(414, "jid-malformed", "modify"),
          entry(415, "not-acceptable", "modify"),
          entry(416, "jid-malformed", "modify"),
          entry(420, "feature-not-implemented", "cancel"),
          entry(421, "not-acceptable", "modify"),
          entry(423, "resource-constraint", "wait"),
          entry(430, "recipient-unavailable", "wait"),
          entry(433, "policy-violation", "modify"),
          entry(480, "recipient-unavailable", "wait"),
          entry(481, "item-not-found", "cancel"),
          entry(482, "not-acceptable", "modify"),
          entry(483, "not-acceptable", "modify"),
          entry(484, "item-not-found", "cancel"),
          entry(485, "item-not-found", "cancel"),
          entry(486, "recipient-unavailable", "wait"),
          entry(487, "service-unavailable", "cancel"),
          entry(488, "not-acceptable", "modify"),
          entry(489, "policy-violation", "modify"),
          entry(491, "unexpected-request", "wait"),
          entry(493, "bad-request", "modify"),
          entry(494, "not-authorized", "auth"),
          entry(500, "internal-server-error", "wait"),
          entry(501, "feature-not-implemented", "cancel"),
          entry(502, "remote-server-not-found", "cancel"),
          entry(503, "service-unavailable", "cancel"),
          entry(504, "remote-server-timeout", "wait"),
          entry(505, "not-acceptable", "modify"),
          entry(513, "policy-violation", "modify"),
          entry(600, "service-unavailable", "cancel"),
          entry(603, "service-unavailable", "cancel"),
          entry(604, "item-not-found", "cancel"),
          entry(606, "not-acceptable", "modify"));

  private static Map.Entry<Integer, StanzaError> entry(int status, String condition, String type) {
    return Map.entry(status, new StanzaError(condition, type, ""));
  }

  /**
   * The stanza error for a SIP final error response (3xx to 6xx; a transaction timeout is 408),
   * carrying {@code text}. A code RFC 7247 §7.2 does not list gets its class's most general
   * condition: 3xx redirect, 4xx bad-request, 5xx internal-server-error, 6xx service-unavailable.
   *
   * @throws IllegalArgumentException for a status below 300 or above 699
   */
  public static StanzaError error(int status, String text) {
    if (status < 300 || status > 699) {
      throw new IllegalArgumentException("not an error response: " + status);
    }
    StanzaError mapped = BY_STATUS.get(status);
    if (mapped == null) {
      mapped =
          switch (status / 100) {
            case 3 -> new StanzaError("redirect", "modify", "");
            case 4 -> new StanzaError("bad-request", "modify", "");
            case 5 -> new StanzaError("internal-server-error", "wait", "");
            default -> new StanzaError("service-unavailable", "cancel", "");
          };
    }
    return mapped.withText(text);
  }

  /**
   * The {@code <message type='chat'>} that carries a SIP MESSAGE's text to an XMPP user (RFC 7572
   * §5): {@code <body>}, {@code <subject>} when the SIP side had one, and {@code <thread>} (the SIP
   * Call-ID, so that one SIP conversation stays one XMPP thread).
   *
   * @param from the SIP sender's JID in the component domain
   * @param to the XMPP user's JID
   * @param id the stanza id, unique: an error that comes back names it
   * @param thread the thread, or empty for none
   */
  public static XmlElement message(ImText text, String from, String to, String id, String thread) {
    String ns = XmppComponent.NAMESPACE;
    XmlElement.Builder message =
        XmlElement.builder("message", ns)
            .attribute("from", from)
            .attribute("to", to)
            .attribute("type", "chat")
            .attribute("id", id);
    if (!text.subject().isEmpty()) {
      message.child(XmlElement.builder("subject", ns).text(text.subject()).build());
    }
    message.child(XmlElement.builder("body", ns).text(text.body()).build());
    if (!thread.isEmpty()) {
      message.child(XmlElement.builder("thread", ns).text(thread).build());
    }
    return message.build();
  }

  /**
   * The error reply to {@code stanza} (RFC 6120 §8.3.1): from and to swapped, the same id, the
   * original's children kept out (they are not needed to match the error), {@code <error>} with the
   * condition and its text.
   */
  public static XmlElement errorReply(XmlElement stanza, StanzaError error) {
    String ns = stanza.namespace();
    XmlElement.Builder reply = XmlElement.builder(stanza.name(), ns).attribute("type", "error");
    stanza.attribute("to").ifPresent(to -> reply.attribute("from", to));
    stanza.attribute("from").ifPresent(from -> reply.attribute("to", from));
    stanza.attribute("id").ifPresent(id -> reply.attribute("id", id));
    XmlElement.Builder element =
        XmlElement.builder("error", ns)
            .attribute("type", error.type())
            .child(XmlElement.builder(error.condition(), StanzaError.NAMESPACE).build());
    if (!error.text().isEmpty()) {
      element.child(
          XmlElement.builder("text", StanzaError.NAMESPACE)
              .attribute("xml:lang", "en")
              .text(error.text())
              .build());
    }
    return reply.child(element.build()).build();
  }
}
