package dev.herald.im.xmpp;

import dev.herald.config.PasswordSource;
import dev.herald.config.XmppSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link XmppComponent} connects: the XMPP server's component port, the component's domain
 * and shared secret, the reconnect backoff, the whitespace keep-alive interval, how long the server
 * may take to accept the handshake, and the limits on one incoming stanza.
 */
public record ComponentOptions(
    String host,
    int port,
    String domain,
    String secret,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration keepAlive,
    Duration handshakeTimeout,
    int maxStanzaBytes,
    int maxStanzaDepth) {

  /** Whitespace every 30 s keeps NATs and the server's idle timers from closing the stream. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);

  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Prosody's default stanza size limit for servers and components is 512 KiB; ours is below. */
  public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;

  public static final int DEFAULT_MAX_STANZA_DEPTH = 32;

  public ComponentOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(secret, "secret");
    new Backoff(reconnectMin, reconnectMax); // checks the bounds
    if (keepAlive.getSeconds() < 1 || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("keep-alive must be at least 1 s, the timeout positive");
    }
    if (port < 1 || port > 65_535 || maxStanzaBytes < 1024 || maxStanzaDepth < 2) {
      throw new IllegalArgumentException(
          "port 1..65535, max stanza bytes >= 1024 and depth >= 2 are needed");
    }
  }

  /** Options with the defaults for everything but where to connect, who to be and the secret. */
  public static ComponentOptions of(String host, int port, String domain, String secret) {
    return new ComponentOptions(
        host,
        port,
        domain,
        secret,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        DEFAULT_KEEP_ALIVE,
        DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_MAX_STANZA_BYTES,
        DEFAULT_MAX_STANZA_DEPTH);
  }

  /**
   * The options the {@code xmpp} section of the configuration describes; reads the secret from its
   * file or environment variable now.
   *
   * @throws IOException when the secret's file cannot be read, or its variable is not set or empty
   */
  public static ComponentOptions of(XmppSettings settings) throws IOException {
    return of(
            settings.host(), settings.port(), settings.componentDomain(), secret(settings.secret()))
        .withReconnect(
            Duration.ofMillis(settings.reconnectMinDelayMs()),
            Duration.ofMillis(settings.reconnectMaxDelayMs()));
  }

  /** These options with another reconnect backoff. */
  public ComponentOptions withReconnect(Duration min, Duration max) {
    return new ComponentOptions(
        host,
        port,
        domain,
        secret,
        min,
        max,
        keepAlive,
        handshakeTimeout,
        maxStanzaBytes,
        maxStanzaDepth);
  }

  /** These options with other limits on one incoming stanza. */
  public ComponentOptions withStanzaLimits(int bytes, int depth) {
    return new ComponentOptions(
        host,
        port,
        domain,
        secret,
        reconnectMin,
        reconnectMax,
        keepAlive,
        handshakeTimeout,
        bytes,
        depth);
  }

  /** These options with another keep-alive interval and handshake timeout. */
  public ComponentOptions withTimers(Duration keepAlive, Duration handshakeTimeout) {
    return new ComponentOptions(
        host,
        port,
        domain,
        secret,
        reconnectMin,
        reconnectMax,
        keepAlive,
        handshakeTimeout,
        maxStanzaBytes,
        maxStanzaDepth);
  }

  /** The component's secret: the first line of its file, or its environment variable. */
  static String secret(PasswordSource source) throws IOException {
    String secret;
    if (source.file() != null) {
      String text;
      try {
        text = Files.readString(source.file(), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IOException(
            "cannot read the XMPP component secret from " + source.file() + ": no such file", e);
      }
      int end = text.indexOf('\n');
      secret = end < 0 ? text : text.substring(0, end);
      secret = secret.endsWith("\r") ? secret.substring(0, secret.length() - 1) : secret;
    } else {
      secret = System.getenv(source.env());
      if (secret == null) {
        throw new IOException(
            "the XMPP component secret is to come from environment variable "
                + source.env()
                + ", which is not set");
      }
    }
    if (secret.isEmpty()) {
      throw new IOException("the XMPP component secret from " + source + " is empty");
    }
    return secret;
  }

  /** Leaves the secret out. */
  @Override
  public String toString() {
    return "ComponentOptions[" + domain + " at " + host + ":" + port + "]";
  }
}
