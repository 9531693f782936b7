package dev.herald.im.xmpp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note. One MINA NioSocketConnector with one I/O processor thread carries the one TCP
 * connection; a single "xmpp-component-timer" thread runs reconnects and handshake timeouts. No
 * codec filter: messageReceived hands the raw bytes to the session's StreamParser, which calls
 * back (still on the I/O thread) with the header, stanzas and the end of the stream.
 *
 * Every connection attempt gets a generation number. Everything that ends an attempt (connect
 * failure, handshake timeout, stream error, close, exception) calls fail(generation, reason), and
 * only the first call for the current generation counts: it moves to DOWN and schedules the next
 * attempt, so an exception followed by sessionClosed schedules one reconnect, not two. The state
 * and the session live under one lock; listener callbacks are made outside it.
 *
 * Logging: UP at INFO; DOWN at WARN with the reason, but a reason repeated attempt after attempt
 * (the server stays unreachable) only at DEBUG after the first time.
 */

/** The MINA implementation of {@link XmppComponent}. */
final class MinaXmppComponent implements XmppComponent {

  private static final Logger LOG = LoggerFactory.getLogger(XmppComponent.class);

  private static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  private static final String GENERATION = "herald.xmpp.generation";
  private static final String PARSER = "herald.xmpp.parser";
  private static final String FAILURE = "herald.xmpp.failure";

  private final ComponentOptions options;
  private final Listener listener;
  private final DoubleSupplier random;
  private final Backoff backoff;
  private final NioSocketConnector connector;
  private final ScheduledExecutorService timer;

  private final Object lock = new Object();
  private State state = State.CONNECTING;
  private long generation;
  private IoSession session;
  private int attempt;
  private long nextAttemptNanos;
  private String lastReported;

  MinaXmppComponent(ComponentOptions options, Listener listener, DoubleSupplier random) {
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.random = random;
    this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "xmpp-component-timer");
              thread.setDaemon(true);
              return thread;
            });
    this.connector = new NioSocketConnector(1);
    connector.setConnectTimeoutMillis(options.handshakeTimeout().toMillis());
    connector.getSessionConfig().setTcpNoDelay(true);
    connector.getSessionConfig().setKeepAlive(true);
    connector
        .getSessionConfig()
        .setIdleTime(IdleStatus.WRITER_IDLE, (int) options.keepAlive().getSeconds());
    connector.setHandler(new Handler());
  }

  void start() {
    timer.execute(this::connect);
  }

  private void connect() {
    long current;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      current = ++generation;
    }
    changeState(State.CONNECTING, null);
    InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
    ConnectFuture future;
    try {
      // The attempt's generation travels with its session from the start, so that a connection
      // that completes after its attempt was given up is recognised and closed.
      future =
          connector.connect(address, (session, f) -> session.setAttribute(GENERATION, current));
    } catch (RuntimeException e) {
      fail(current, "cannot connect to " + where() + ": " + e.getMessage());
      return;
    }
    future.addListener(
        f -> {
          ConnectFuture connected = (ConnectFuture) f;
          if (connected.isConnected()) {
            IoSession opened = connected.getSession();
            if (!isCurrent(current)) {
              opened.closeNow();
            }
          } else {
            Throwable cause = connected.getException();
            fail(
                current,
                "cannot connect to "
                    + where()
                    + ": "
                    + (cause == null ? "cancelled" : cause.getMessage()));
          }
        });
    timer.schedule(
        () -> {
          synchronized (lock) {
            if (current != generation || state == State.UP || state == State.DOWN) {
              return;
            }
          }
          failAndClose(
              current,
              "the server did not accept the handshake within "
                  + options.handshakeTimeout().toMillis()
                  + " ms");
        },
        options.handshakeTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Whether attempt {@code current} is the one under way (not given up, not superseded). */
  private boolean isCurrent(long current) {
    synchronized (lock) {
      return current == generation && state != State.DOWN && state != State.CLOSED;
    }
  }

  private String where() {
    return options.host() + ":" + options.port();
  }

  /** Ends attempt {@code current}: DOWN, and the next attempt scheduled after the backoff. */
  private void fail(long current, String reason) {
    Duration delay;
    boolean repeated;
    synchronized (lock) {
      if (current != generation || state == State.DOWN || state == State.CLOSED) {
        return;
      }
      delay = backoff.delay(attempt++, random.getAsDouble());
      nextAttemptNanos = System.nanoTime() + delay.toNanos();
      repeated = reason.equals(lastReported);
      lastReported = reason;
      session = null;
    }
    String message =
        "XMPP component "
            + options.domain()
            + " is down: "
            + reason
            + "; next attempt in "
            + delay.toMillis()
            + " ms";
    if (repeated) {
      LOG.debug(message);
    } else {
      LOG.warn(message);
    }
    changeState(State.DOWN, null);
    try {
      timer.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // close() shut the timer down meanwhile; nothing is to be retried.
    }
  }

  private void failAndClose(long current, String reason) {
    IoSession closing;
    synchronized (lock) {
      closing = current == generation ? session : null;
    }
    fail(current, reason);
    if (closing != null) {
      closing.closeNow();
    }
  }

  private void changeState(State next, String info) {
    State previous;
    synchronized (lock) {
      if (state == State.CLOSED || state == next) {
        return;
      }
      previous = state;
      state = next;
    }
    if (next == State.UP) {
      LOG.info("XMPP component {} is up at {}", options.domain(), where());
    } else {
      LOG.debug("XMPP component {}: {} -> {}", options.domain(), previous, next);
    }
    try {
      listener.stateChanged(next);
    } catch (RuntimeException e) {
      LOG.error("the XMPP component's listener failed on state " + next, e);
    }
  }

  @Override
  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  @Override
  public Duration retryAfter() {
    long nanos;
    synchronized (lock) {
      switch (state) {
        case UP:
          return Duration.ZERO;
        case DOWN:
          nanos = nextAttemptNanos - System.nanoTime();
          break;
        default:
          nanos = options.reconnectMin().toNanos();
      }
    }
    long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    return Duration.ofSeconds(seconds);
  }

  @Override
  public boolean send(XmlElement stanza) {
    IoSession up;
    synchronized (lock) {
      up = state == State.UP ? session : null;
    }
    if (up == null) {
      return false;
    }
    write(up, stanza.toXml(NAMESPACE));
    return true;
  }

  @Override
  public void close() {
    IoSession closing;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      closing = session;
      session = null;
    }
    LOG.info("XMPP component {} closed", options.domain());
    timer.shutdownNow();
    if (closing != null) {
      write(closing, "</stream:stream>");
      closing.closeOnFlush().awaitUninterruptibly(1_000);
    }
    connector.dispose(true);
    try {
      listener.stateChanged(State.CLOSED);
    } catch (RuntimeException e) {
      LOG.error("the XMPP component's listener failed on state CLOSED", e);
    }
  }

  private static void write(IoSession session, String xml) {
    session.write(IoBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** MINA's callbacks for the connection, on the I/O processor thread. */
  private final class Handler extends IoHandlerAdapter {

    @Override
    public void sessionOpened(IoSession session) {
      long current = (Long) session.getAttribute(GENERATION);
      synchronized (lock) {
        if (current != generation || state == State.DOWN || state == State.CLOSED) {
          session.removeAttribute(GENERATION); // a stale attempt: its close must not count
          session.closeNow();
          return;
        }
        MinaXmppComponent.this.session = session;
      }
      session.setAttribute(
          PARSER,
          new StreamParser(
              new Stream(session, current), options.maxStanzaBytes(), options.maxStanzaDepth()));
      changeState(State.AUTHENTICATING, null);
      write(
          session,
          "<?xml version='1.0'?><stream:stream xmlns='"
              + NAMESPACE
              + "' xmlns:stream='"
              + StreamParser.STREAMS_NAMESPACE
              + "' to='"
              + options.domain()
              + "'>");
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
      StreamParser parser = (StreamParser) session.getAttribute(PARSER);
      IoBuffer buffer = (IoBuffer) message;
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      try {
        parser.feed(bytes, 0, bytes.length);
      } catch (XmppStreamException e) {
        // RFC 6120 §4.9.1.1: send the stream error, close the stream, then the connection.
        write(
            session,
            "<stream:error><"
                + e.condition()
                + " xmlns='"
                + STREAM_ERRORS
                + "'/></stream:error></stream:stream>");
        session.setAttribute(
            FAILURE, "closed the stream (" + e.condition() + "): " + e.getMessage());
        session.closeOnFlush();
      }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
      if (status == IdleStatus.WRITER_IDLE) {
        write(session, " "); // RFC 6120 §4.6.1 whitespace keep-alive
      }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
      session.setAttribute(FAILURE, "connection error: " + cause);
      session.closeNow();
    }

    @Override
    public void sessionClosed(IoSession session) {
      Object current = session.getAttribute(GENERATION);
      StreamParser parser = (StreamParser) session.getAttribute(PARSER);
      if (parser != null) {
        parser.close();
      }
      if (current != null) {
        Object failure = session.getAttribute(FAILURE);
        fail(
            (Long) current,
            failure != null ? failure.toString() : "the server closed the connection");
      }
    }
  }

  /** What the server's stream says, for one connection. */
  private final class Stream implements StreamParser.Handler {
    private final IoSession session;
    private final long current;

    Stream(IoSession session, long current) {
      this.session = session;
      this.current = current;
    }

    @Override
    public void streamOpened(Map<String, String> attributes) throws XmppStreamException {
      String id = attributes.get("id");
      if (id == null || id.isEmpty()) {
        throw new XmppStreamException("invalid-xml", "the server's stream header has no id");
      }
      write(session, "<handshake>" + Handshake.digest(id, options.secret()) + "</handshake>");
    }

    @Override
    public void stanza(XmlElement stanza) throws XmppStreamException {
      if (stanza.name().equals("error")
          && stanza.namespace().equals(StreamParser.STREAMS_NAMESPACE)) {
        session.setAttribute(FAILURE, "stream error from the server: " + describe(stanza));
        session.closeNow();
        return;
      }
      boolean authenticating;
      synchronized (lock) {
        authenticating = current == generation && state == State.AUTHENTICATING;
      }
      if (authenticating) {
        if (!stanza.name().equals("handshake") || !stanza.namespace().equals(NAMESPACE)) {
          throw new XmppStreamException(
              "not-authorized", "the server sent " + stanza.name() + " before the handshake");
        }
        synchronized (lock) {
          attempt = 0;
          lastReported = null;
        }
        changeState(State.UP, null);
        return;
      }
      try {
        listener.stanza(stanza);
      } catch (RuntimeException e) {
        LOG.error("the XMPP component's listener failed on a stanza; the stream goes on", e);
      }
    }

    @Override
    public void streamClosed() {
      write(session, "</stream:stream>");
      // A stream error just before the end is the better reason.
      session.setAttributeIfAbsent(FAILURE, "the server closed the stream");
      session.closeOnFlush();
    }

    /** {@code not-authorized (text)}: the condition of a stream error and its text, if any. */
    private String describe(XmlElement error) {
      String condition = "undefined-condition";
      String text = "";
      for (XmlElement child : error.elements()) {
        if (child.namespace().equals(STREAM_ERRORS)) {
          if (child.name().equals("text")) {
            text = " (" + child.text() + ")";
          } else {
            condition = child.name();
          }
        }
      }
      return condition + text;
    }
  }
}
