package gov.nist.javax.sip.stack;

import dev.herald.sip.internal.StreamConnections;
import java.io.IOException;
import java.net.InetAddress;

/*
 * Why: JAIN-SIP's TCP processor takes its server socket from the network layer, which Herald
 * cannot swap for TCP alone (the property replaces the TLS layer too). This processor is the
 * stock one with start() making a server socket whose connections StreamConnections tracks, so
 * idle ones can be closed (see its design note). Everything else, the accept loop included, is
 * JAIN-SIP's. In this package for the same reason as CompactDatagramProcessorFactory.
 */

/** The stock TCP processor, accepting connections that {@link StreamConnections} tracks. */
final class TrackingTcpProcessor extends TCPMessageProcessor {
  final StreamConnections connections = new StreamConnections(System::nanoTime);

  TrackingTcpProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port) {
    super(ipAddress, sipStack, port);
  }

  /** As {@link TCPMessageProcessor#start()}, with a tracking server socket. */
  @Override
  public void start() throws IOException {
    Thread thread = new Thread(this);
    thread.setName(
        "MessageProcessorThread-TCP-" + getIpAddress().getHostAddress() + '/' + getPort());
    thread.setPriority(sipStack.getThreadPriority());
    thread.setDaemon(true);
    this.sock = connections.serverSocket(getPort(), 0, getIpAddress());
    String host = getIpAddress().getHostAddress();
    if (host.equals(IN_ADDR_ANY) || host.equals(IN6_ADDR_ANY)) {
      // As the stock processor: record the address actually bound.
      super.setIpAddress(sock.getInetAddress());
    }
    this.isRunning = true;
    thread.start();
  }

  /**
   * Distinct channels in JAIN-SIP's own tables of this processor: the incoming ones, and the cache
   * it sends by (where an incoming channel goes too once it has carried a request).
   */
  int channelCount() {
    java.util.Set<ConnectionOrientedMessageChannel> channels =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    channels.addAll(incomingMessageChannels.values());
    channels.addAll(messageChannels.values());
    return channels.size();
  }
}
