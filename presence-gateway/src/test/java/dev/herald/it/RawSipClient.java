package dev.herald.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends raw message bytes to Herald exactly as given, except that every Via sent-by is rewritten to
 * this client's loopback socket, so whatever Herald sends back (or forwards) comes here and nowhere
 * else. Over UDP or TCP as the message's top Via says (TLS and SCTP go over TCP: the test Herald
 * listens on UDP and TCP only). What comes back is kept as text, not parsed by JAIN-SIP, so a
 * malformed answer is seen as it is.
 */
final class RawSipClient implements AutoCloseable {
  /**
   * A Via's sent-protocol and sent-by: {@code SIP/2.0/UDP host:port}, with any LWS (folding
   * included) between the parts, as RFC 3261 §25.1 allows. Group 1 is the sent-protocol with its
   * trailing LWS, group 2 the transport, group 3 the host (a bracketed IPv6 reference or a run of
   * host characters), group 4 the optional {@code :port}.
   */
  private static final Pattern SENT_BY =
      Pattern.compile(
          "(SIP[ \\t\\r\\n]*/[ \\t\\r\\n]*[0-9]+\\.[0-9]+[ \\t\\r\\n]*/[ \\t\\r\\n]*([A-Za-z]+)"
              + "[ \\t\\r\\n]+)(\\[[^\\]\\s]*\\]|[^\\s;:,]+)([ \\t]*:[ \\t]*[0-9]+)?");

  /** Header lines that start a Via (full or compact name). */
  private static final Pattern VIA_START = Pattern.compile("(?im)^(via|v)[ \\t]*:");

  private final DatagramSocket udp;
  private final ServerSocket tcpListener;
  private final int heraldPort;
  private final InetAddress loopback = InetAddress.getLoopbackAddress();

  private RawSipClient(DatagramSocket udp, ServerSocket tcpListener, int heraldPort) {
    this.udp = udp;
    this.tcpListener = tcpListener;
    this.heraldPort = heraldPort;
  }

  /** A client on a free loopback port (UDP, and TCP on the same number where it is free). */
  static RawSipClient open(int heraldPort) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
    ServerSocket tcp;
    try {
      tcp = new ServerSocket(udp.getLocalPort(), 8, loopback);
    } catch (IOException e) {
      tcp = null; // no TCP listener: Herald answers TCP requests on the connection anyway
    }
    return new RawSipClient(udp, tcp, heraldPort);
  }

  int port() {
    return udp.getLocalPort();
  }

  /** The transport named by the first Via of {@code message}, upper case; UDP if none is found. */
  static String topViaTransport(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    Matcher via = VIA_START.matcher(text);
    if (via.find()) {
      Matcher m = SENT_BY.matcher(text);
      if (m.find(via.end())) {
        return m.group(2).toUpperCase(Locale.ROOT);
      }
    }
    return "UDP";
  }

  /**
   * {@code message} with the host and port of every Via sent-by replaced by {@code 127.0.0.1:port};
   * every other byte is kept. Only text after a Via header name is touched (a Via's values run on
   * over folded lines and commas).
   */
  static byte[] rewriteVias(byte[] message, int port) {
    // ISO-8859-1 maps each byte to one char and back, so NULs and 8-bit octets survive.
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int headerEnd = text.indexOf("\r\n\r\n");
    String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
    String rest = headerEnd < 0 ? "" : text.substring(headerEnd);
    StringBuilder out = new StringBuilder(text.length());
    Matcher via = VIA_START.matcher(head);
    int copied = 0;
    while (via.find()) {
      int end = nextHeaderLine(head, via.end());
      out.append(head, copied, via.end());
      String value = head.substring(via.end(), end);
      out.append(
          SENT_BY
              .matcher(value)
              .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "127.0.0.1:" + port)));
      copied = end;
    }
    out.append(head, copied, head.length()).append(rest);
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Where the header that goes on at {@code from} ends: the next line not folded onto it. */
  private static int nextHeaderLine(String head, int from) {
    int i = from;
    while (true) {
      int nl = head.indexOf('\n', i);
      if (nl < 0 || nl + 1 >= head.length()) {
        return head.length();
      }
      char c = head.charAt(nl + 1);
      if (c != ' ' && c != '\t') {
        return nl + 1;
      }
      i = nl + 1;
    }
  }

  /**
   * Sends {@code message} (Vias rewritten) over the transport of its top Via and returns the start
   * text of every message that comes back within {@code window}, in order.
   */
  List<String> exchange(byte[] message, Duration window) throws IOException {
    byte[] bytes = rewriteVias(message, port());
    String transport = topViaTransport(message);
    if (transport.equals("UDP")) {
      return exchangeUdp(bytes, window);
    }
    return exchangeTcp(bytes, window);
  }

  /**
   * Sends {@code message} over UDP exactly as it is (Vias not rewritten: for a Via no response can
   * be sent to) and returns what comes back to this client's port within {@code window}.
   */
  List<String> exchangeUdpAsIs(byte[] message, Duration window) throws IOException {
    return exchangeUdp(message, window);
  }

  private List<String> exchangeUdp(byte[] bytes, Duration window) throws IOException {
    udp.send(new DatagramPacket(bytes, bytes.length, loopback, heraldPort));
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    byte[] buffer = new byte[65_535];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return out;
      }
      udp.setSoTimeout((int) left);
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(p);
      } catch (SocketTimeoutException e) {
        return out;
      }
      out.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }
  }

  private List<String> exchangeTcp(byte[] bytes, Duration window) throws IOException {
    List<String> out = new ArrayList<>();
    try (Socket s = new Socket(loopback, heraldPort)) {
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      long deadline = System.nanoTime() + window.toNanos();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        s.setSoTimeout((int) left);
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          break;
        } catch (IOException e) {
          break; // reset by Herald: what arrived before counts
        }
        if (n < 0) {
          break;
        }
        received.write(buffer, 0, n);
      }
      String text = received.toString(StandardCharsets.UTF_8);
      for (String message : text.split("(?=SIP/2\\.0 [0-9]{3} )")) {
        if (!message.isEmpty()) {
          out.add(message);
        }
      }
    }
    return out;
  }

  /** The first line of {@code message}, such as {@code SIP/2.0 400 Bad Request (...)}. */
  static String startLine(String message) {
    int eol = message.indexOf("\r\n");
    return eol < 0 ? message : message.substring(0, eol);
  }

  @Override
  public void close() throws IOException {
    udp.close();
    if (tcpListener != null) {
      tcpListener.close();
    }
  }
}
