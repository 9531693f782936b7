package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/*
 * Why: a TCP channel JAIN-SIP 1.3.0-91 accepts learns its transport from the Via of the first
 * request it carries. A client that opens the connection with an RFC 5626 §4.4.1 keep-alive
 * (CRLFCRLF) before any request made the pong fail: IOHandler.sendBytes was given a null transport
 * and threw NullPointerException (an ERROR in the log, no pong; 113 times in a 30-minute soak).
 * Nor would the handler have found the socket: it keys sockets by peer address and port and
 * learns an incoming one with that first request too (it would have connected back to the
 * client's ephemeral port). The same happened to a pong after the handler had dropped the socket
 * from its table (the peer had closed it; SIPp's trailing blank lines after a request over TCP
 * read as a keep-alive): "Could not connect to" at ERROR, a connection attempt to a port nobody
 * listens on. So a send with no transport yet, and any pong, whose channel's socket is not in the
 * handler's table go out on the channel's own socket, which is where a pong belongs (RFC 5626
 * §4.4.1); a pong that cannot be sent (the peer closed) fails with PONG_DROPPED, which
 * Slf4jStackLogger logs at DEBUG, as it does JAIN-SIP's warning before it retries. Installed by
 * CompactDatagramProcessorFactory when it makes the first stream processor, before any socket
 * is open; in this package because the handler's constructor and the stack's field are not public.
 */

/** JAIN-SIP's IOHandler, also sending on a stream channel that has carried no request yet. */
public final class StreamTransportIoHandler extends IOHandler {

  StreamTransportIoHandler(SIPTransactionStack sipStack) {
    super(sipStack);
  }

  @Override
  public Socket sendBytes(
      InetAddress senderAddress,
      InetAddress receiverAddress,
      int contactPort,
      String transport,
      byte[] bytes,
      boolean isClient,
      MessageChannel messageChannel)
      throws IOException {
    boolean pong = isPong(bytes);
    if (isClient
        || !(messageChannel instanceof ConnectionOrientedMessageChannel channel)
        || (transport != null && !pong)) {
      return super.sendBytes(
          senderAddress, receiverAddress, contactPort, transport, bytes, isClient, messageChannel);
    }
    // A pong, or a send before the channel's first request (no transport known yet).
    Socket own = channel.mySock;
    try {
      if (own == null || own.isClosed()) {
        throw new IOException("the connection is closed");
      }
      if (getSocket(makeKey(receiverAddress, contactPort)) == own) {
        // The usual path: the connection is in the table every writer goes through.
        return super.sendBytes(
            senderAddress, receiverAddress, contactPort, transport, bytes, isClient, channel);
      }
      // Not in that table, so nobody else writes on it now; and a pong never opens a connection.
      OutputStream out = own.getOutputStream();
      out.write(bytes);
      out.flush();
      return own;
    } catch (IOException e) {
      throw pong ? new IOException(PONG_DROPPED + e.getMessage(), e) : e;
    }
  }

  /**
   * How the message of an exception this handler throws for a keep-alive pong that cannot be sent
   * starts: the peer closed the connection, which is no error of Herald's (Slf4jStackLogger logs it
   * at DEBUG).
   */
  public static final String PONG_DROPPED = "keep-alive pong not sent: ";

  private static boolean isPong(byte[] bytes) {
    return bytes.length == 2 && bytes[0] == '\r' && bytes[1] == '\n';
  }

  /** Puts this handler in place of the stack's stock one, once. */
  static void install(SIPTransactionStack sipStack) {
    if (!(sipStack.ioHandler instanceof StreamTransportIoHandler)) {
      sipStack.ioHandler = new StreamTransportIoHandler(sipStack);
    }
  }
}
