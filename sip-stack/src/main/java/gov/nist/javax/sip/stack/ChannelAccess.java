package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.InetAddress;

/*
 * Why in this package: a message channel's peer address and its raw send are protected in
 * JAIN-SIP 1.3.0-91. Herald's parser (dev.herald.sip.internal.ValidatingParserFactory) is handed
 * the channel as its ParseExceptionListener and needs both: the peer address to correct a Via
 * received parameter, and a send for the 400 to a request that JAIN-SIP would drop unanswered.
 * Being here keeps that compiler-checked instead of reflective.
 */

/** The parts of a JAIN-SIP message channel that Herald's parser uses. */
public final class ChannelAccess {
  private ChannelAccess() {}

  /**
   * The address the message now being parsed came from, or null if {@code listener} is not a
   * message channel.
   */
  public static InetAddress peerAddress(Object listener) {
    return listener instanceof MessageChannel channel ? channel.getPeerInetAddress() : null;
  }

  /**
   * Sends {@code bytes} back: over UDP to the peer's address at {@code port} (the request's Via
   * port, RFC 3261 §18.2.2), over TCP and TLS on the connection the request came in on. False if
   * {@code listener} is not a channel Herald knows.
   */
  public static boolean reply(Object listener, byte[] bytes, int port) throws IOException {
    if (listener instanceof UDPMessageChannel udp) {
      udp.sendMessage(bytes, udp.getPeerInetAddress(), port, false);
      return true;
    }
    if (listener instanceof ConnectionOrientedMessageChannel connection) {
      connection.sendMessage(bytes, false);
      return true;
    }
    return false;
  }

  /**
   * Sends {@code bytes} over UDP from the socket of the listen point {@code channel} belongs to (a
   * channel a request came in on). False, having sent nothing, if it is not a UDP channel.
   */
  public static boolean sendOverUdp(MessageChannel channel, byte[] bytes, InetAddress to, int port)
      throws IOException {
    if (channel instanceof UDPMessageChannel udp) {
      udp.sendMessage(bytes, to, port, false);
      return true;
    }
    return false;
  }

  /**
   * The socket of the UDP listen point {@code channel} belongs to (a channel a request came in on),
   * which its responses leave from; null if it is not a UDP channel.
   */
  public static java.net.DatagramSocket udpSocket(MessageChannel channel) {
    return channel instanceof UDPMessageChannel udp
            && udp.getMessageProcessor() instanceof UDPMessageProcessor processor
        ? processor.sock
        : null;
  }

  /** The provider of the listen point {@code channel} belongs to, or null. */
  public static gov.nist.javax.sip.SipProviderImpl provider(MessageChannel channel) {
    MessageProcessor processor = channel.getMessageProcessor();
    gov.nist.javax.sip.ListeningPointImpl lp =
        processor == null ? null : processor.getListeningPoint();
    return lp == null ? null : lp.getProvider();
  }

  /**
   * Over TCP and TLS, answers a request JAIN-SIP could not parse with JAIN-SIP's own stateless 400
   * (the one its UDP channel sends; its TCP reader drops such a request instead), with {@code
   * reason} in the reason phrase. {@code raw} is the request's text. False if nothing was sent: not
   * a connection, a response, or a request without the headers a response needs.
   */
  public static boolean badRequestOverConnection(Object listener, String raw, String reason)
      throws IOException {
    if (!(listener instanceof ConnectionOrientedMessageChannel connection)
        || raw == null
        || raw.startsWith("SIP/")
        || raw.startsWith("ACK ")) {
      return false;
    }
    // JAIN-SIP's TCP reader joins header lines with LF; createBadReqRes looks for CRLF.
    String crlf = raw.replaceAll("(?<!\r)\n", "\r\n");
    String response = connection.createBadReqRes(crlf, new java.text.ParseException(reason, 0));
    if (response == null) {
      return false;
    }
    // Straight onto the connection's socket: the channel's own send goes through the IOHandler,
    // which fails on a channel whose transport is not yet known (its NPE would end the reader).
    java.net.Socket socket = connection.mySock;
    if (socket == null || socket.isClosed()) {
      return false;
    }
    java.io.OutputStream out = socket.getOutputStream();
    synchronized (out) {
      out.write(response.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
    }
    return true;
  }
}
