package dev.herald.im.xmpp;

import java.time.Duration;
import java.util.Random;

/**
 * Herald's XEP-0114 external component connection to an XMPP server. It connects at once, keeps the
 * stream alive with whitespace, and reconnects with jittered exponential backoff whenever the
 * stream is lost, refused or fails its handshake, until {@link #close}.
 *
 * <p>While it is not {@link #isUp() up}, SIP requests that need XMPP should be answered with an
 * error (480, or 503 with {@code Retry-After: }{@link #retryAfter()}) rather than dropped.
 *
 * <p>Thread-safe. The listener is called on MINA's I/O thread, one stanza at a time and in the
 * order they arrived; it must not block (hand slow work to another executor).
 */
public interface XmppComponent extends AutoCloseable {

  /** The namespace of the component's stream, XEP-0114 §3. */
  String NAMESPACE = "jabber:component:accept";

  /** Where the connection is; each change is logged once and told to the listener. */
  enum State {
    /** Opening the TCP connection. */
    CONNECTING,
    /** Connected; the stream is open and the handshake not yet accepted. */
    AUTHENTICATING,
    /** The handshake was accepted: stanzas flow both ways. */
    UP,
    /** Lost, refused or failed; waiting {@link #retryAfter()} to try again. */
    DOWN,
    /** {@link #close()} was called; it stays closed. */
    CLOSED
  }

  /** Receives what comes from the XMPP server. */
  interface Listener {
    /** A stanza addressed to the component's domain (message, presence, iq, ...). */
    void stanza(XmlElement stanza);

    /** The connection's new state. */
    default void stateChanged(State state) {}
  }

  /** Starts connecting with {@code options}; stanzas and state changes go to {@code listener}. */
  static XmppComponent start(ComponentOptions options, Listener listener) {
    Random random = new Random();
    MinaXmppComponent component = new MinaXmppComponent(options, listener, random::nextDouble);
    component.start();
    return component;
  }

  State state();

  /** Whether stanzas can be sent now. */
  default boolean isUp() {
    return state() == State.UP;
  }

  /**
   * How long until the next attempt to connect, rounded up to whole seconds and at least one: the
   * value for a {@code Retry-After} header. Zero when up.
   */
  Duration retryAfter();

  /**
   * Sends {@code stanza}; its {@code from} must be in the component's domain (XEP-0114 §3).
   *
   * @return false, sending nothing, when the connection is not up
   */
  boolean send(XmlElement stanza);

  /** Closes the stream and stops reconnecting. */
  @Override
  void close();
}
