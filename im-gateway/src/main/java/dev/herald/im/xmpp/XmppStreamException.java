package dev.herald.im.xmpp;

/**
 * The XMPP stream broke a rule, ours or RFC 6120's: the connection must be closed. {@link
 * #condition} is the stream error condition of RFC 6120 §4.9.3 that names the fault.
 */
final class XmppStreamException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String condition;

  XmppStreamException(String condition, String message) {
    super(message);
    this.condition = condition;
  }

  XmppStreamException(String condition, String message, Throwable cause) {
    super(message, cause);
    this.condition = condition;
  }

  /** {@code not-well-formed}, {@code policy-violation}, {@code restricted-xml}, ... */
  String condition() {
    return condition;
  }
}
