package dev.herald.im.xmpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An XMPP server's component port, in-process on loopback, driven step by step by the test: it
 * accepts one connection at a time and reads and writes raw text, so a test can say exactly what
 * the server sends and when, down to one byte per TCP segment.
 */
final class FakeComponentServer implements AutoCloseable {

  static final String STREAMS = "http://etherx.jabber.org/streams";

  private final ServerSocket server;

  FakeComponentServer() throws IOException {
    this(0);
  }

  /** A server on {@code port} of loopback; 0 for any free port. */
  FakeComponentServer(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10);
    server.setSoTimeout(10_000);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next connection from the component; fails after 10 s without one. */
  Peer accept() throws IOException {
    Socket socket = server.accept();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    return new Peer(socket);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** One connection, seen from the server's side. */
  static final class Peer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder unread = new StringBuilder();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /**
     * Reads until what was read matches {@code regex}; returns the match and drops what came before
     * and with it.
     *
     * @throws IOException when the connection ends or 10 s pass first
     */
    MatchResult read(String regex) throws IOException {
      Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
      while (true) {
        Matcher matcher = pattern.matcher(unread);
        if (matcher.find()) {
          MatchResult match = matcher.toMatchResult();
          unread.delete(0, matcher.end());
          return match;
        }
        int b = in.read();
        if (b < 0) {
          throw new IOException("the component closed the connection; unread: " + unread);
        }
        pending.write(b);
        String decoded = pending.toString(StandardCharsets.UTF_8);
        if (!decoded.endsWith("\uFFFD")) {
          unread.append(decoded);
          pending.reset();
        }
      }
    }

    /** Reads everything until the component closes the connection. */
    String readToEnd() throws IOException {
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      try {
        in.transferTo(rest);
      } catch (SocketTimeoutException e) {
        throw new IOException("the component kept the connection open; read: " + unread + rest);
      } catch (IOException e) {
        // reset by the component: what arrived before counts
      }
      return unread + rest.toString(StandardCharsets.UTF_8);
    }

    /** Answers the component's stream header with a header of stream id {@code id}. */
    void openStream(String id) throws IOException {
      MatchResult header = read("<stream:stream [^>]*>");
      if (!header.group().contains("xmlns='jabber:component:accept'")) {
        throw new IOException("not a component stream: " + header.group());
      }
      write(
          "<?xml version='1.0'?><stream:stream xmlns:stream='"
              + STREAMS
              + "' xmlns='jabber:component:accept' from='sip.herald.test' id='"
              + id
              + "'>");
    }

    /** The digest the component sent in its handshake. */
    String readHandshake() throws IOException {
      return read("<handshake>([^<]*)</handshake>").group(1);
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Writes {@code text} one byte per write, so each byte travels in a TCP segment of its own. */
    void writeByteByByte(String text) throws IOException {
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        out.write(b);
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
