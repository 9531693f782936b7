package dev.herald.im.mapping;

import java.util.Objects;

/**
 * An XMPP stanza error (RFC 6120 §8.3): a defined condition, the error type that goes with it, and
 * the text that says what went wrong.
 *
 * @param condition the defined condition's element name, such as {@code item-not-found}
 * @param type {@code cancel}, {@code continue}, {@code modify}, {@code auth} or {@code wait}
 * @param text human-readable detail, or empty
 */
public record StanzaError(String condition, String type, String text) {

  /** The namespace of the defined conditions and of {@code <text/>}, RFC 6120 §8.3.2. */
  public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-stanzas";

  public StanzaError {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
  }

  /** The same condition and type with {@code text}. */
  public StanzaError withText(String text) {
    return new StanzaError(condition, type, text);
  }
}
