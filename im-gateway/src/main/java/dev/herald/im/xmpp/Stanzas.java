package dev.herald.im.xmpp;

import java.util.Optional;

/** Replies the gateway makes to stanzas without looking into what they carry. */
public final class Stanzas {

  private static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";

  private Stanzas() {}

  /**
   * The error reply to an IQ request that nothing handles (RFC 6120 §8.2.3: every get or set must
   * be answered; §8.3.3.19 {@code service-unavailable}), or empty when {@code stanza} is not an IQ
   * get or set.
   */
  public static Optional<XmlElement> serviceUnavailable(XmlElement stanza) {
    String type = stanza.attribute("type").orElse("");
    if (!stanza.name().equals("iq") || !(type.equals("get") || type.equals("set"))) {
      return Optional.empty();
    }
    XmlElement.Builder reply =
        XmlElement.builder("iq", stanza.namespace()).attribute("type", "error");
    stanza.attribute("to").ifPresent(to -> reply.attribute("from", to));
    stanza.attribute("from").ifPresent(from -> reply.attribute("to", from));
    stanza.attribute("id").ifPresent(id -> reply.attribute("id", id));
    return Optional.of(
        reply
            .child(
                XmlElement.builder("error", stanza.namespace())
                    .attribute("type", "cancel")
                    .child(XmlElement.builder("service-unavailable", STANZA_ERRORS).build())
                    .build())
            .build());
  }
}
