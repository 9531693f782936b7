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
 * client's ephemeral port). A send with no transport yet goes out on the channel's own socket,
 * which is where a pong belongs (RFC 5626 §4.4.1). Installed by
 * CompactDatagramProcessorFactory when it makes the first stream processor, before any socket
 * is open; in this package because the handler's constructor and the stack's field are not public.
 */

/** JAIN-SIP's IOHandler, also sending on a stream channel that has carried no request yet. */
final class StreamTransportIoHandler extends IOHandler {

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
    if (transport == null
        && messageChannel instanceof ConnectionOrientedMessageChannel channel
        && channel.mySock != null
        && !channel.mySock.isClosed()) {
      // Only before the channel's first request: its reader thread, the one writing here, has
      // then handed nothing to the application, so no response can be written concurrently.
      OutputStream out = channel.mySock.getOutputStream();
      out.write(bytes);
      out.flush();
      return channel.mySock;
    }
    return super.sendBytes(
        senderAddress, receiverAddress, contactPort, transport, bytes, isClient, messageChannel);
  }

  /** Puts this handler in place of the stack's stock one, once. */
  static void install(SIPTransactionStack sipStack) {
    if (!(sipStack.ioHandler instanceof StreamTransportIoHandler)) {
      sipStack.ioHandler = new StreamTransportIoHandler(sipStack);
    }
  }
}
