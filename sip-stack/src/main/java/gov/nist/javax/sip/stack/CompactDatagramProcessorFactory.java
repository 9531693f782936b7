package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import javax.sip.ListeningPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Herald's message processor factory (stack property gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY):
 * the stock OIO processors, except that UDP datagrams are queued in arrays of their own size.
 *
 * Why: JAIN-SIP 1.3.0-91's UDPMessageProcessor.run() allocates a new 64 KiB array for every
 * datagram it receives and queues it, whole, for the message channel threads. Under fan-out
 * (6,000 datagrams/s at 1,000 PUBLISH/s) that is ~380 MB/s of garbage, and every datagram still
 * queued when a young collection starts is copied by it: JFR showed 38,932 such 64 KiB arrays
 * (2.5 GB) copied in one 10 s run, which made the pauses 60-190 ms (scripts/bench/fanout,
 * BENCHMARKS.md). Here one reader thread receives into one reused buffer and queues a copy of
 * exactly the datagram's length.
 *
 * Why in this package: the processor must set SIPTransactionStack.udpFlag (package-private; it
 * makes replies leave from the listening socket) and read the stack's thread pool size, as the
 * stock factory does. Being here keeps that compiler-checked instead of reflective: a JAIN-SIP
 * upgrade that changes them fails the build, not a running server.
 */

/**
 * UDP processors that queue right-sized datagrams; TCP processors whose connections are tracked
 * ({@link TrackingTcpProcessor}); TLS as {@link OIOMessageProcessorFactory}; for stream transports,
 * an I/O handler that answers a keep-alive on a fresh connection ({@link
 * StreamTransportIoHandler}).
 */
public final class CompactDatagramProcessorFactory extends OIOMessageProcessorFactory {

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack sipStack, InetAddress ipAddress, int port, String transport)
      throws IOException {
    if (transport.equalsIgnoreCase(ListeningPoint.UDP)) {
      if (sipStack.threadPoolSize < 1) {
        throw new IllegalArgumentException(
            "CompactDatagramProcessorFactory needs gov.nist.javax.sip.THREAD_POOL_SIZE set");
      }
      CompactDatagramProcessor processor = new CompactDatagramProcessor(ipAddress, sipStack, port);
      sipStack.udpFlag = true;
      return processor;
    }
    // Before any stream socket exists: a keep-alive pong on a fresh connection (see the class).
    StreamTransportIoHandler.install(sipStack);
    if (transport.equalsIgnoreCase(ListeningPoint.TCP)) {
      return new TrackingTcpProcessor(ipAddress, sipStack, port);
    }
    return super.createMessageProcessor(sipStack, ipAddress, port, transport);
  }

  /**
   * The tracked TCP connections of each TCP processor the stack has now (its listen points are all
   * created by then), to close idle ones and to hold those that carry live state.
   */
  public static java.util.List<dev.herald.sip.internal.StreamConnections> tcpConnections(
      SIPTransactionStack stack) {
    java.util.List<dev.herald.sip.internal.StreamConnections> out = new java.util.ArrayList<>();
    for (MessageProcessor p : stack.getMessageProcessors()) {
      if (p instanceof TrackingTcpProcessor tcp) {
        out.add(tcp.connections);
      }
    }
    return out;
  }

  /**
   * The socket of the UDP processor listening on {@code address}:{@code port} (the stack's listen
   * points are all created by then), or null: Herald sends its own client transactions' requests
   * from it, so that they leave from the listen point as JAIN-SIP's do ({@code udpFlag}).
   */
  public static java.net.DatagramSocket udpSocket(
      SIPTransactionStack stack, InetAddress address, int port) {
    for (MessageProcessor p : stack.getMessageProcessors()) {
      if (p instanceof CompactDatagramProcessor udp
          && udp.getPort() == port
          && udp.getIpAddress().equals(address)) {
        return udp.sock;
      }
    }
    return null;
  }

  /** TCP connections in JAIN-SIP's own channel tables, summed over the TCP processors. */
  public static int tcpChannelCount(SIPTransactionStack stack) {
    int n = 0;
    for (MessageProcessor p : stack.getMessageProcessors()) {
      if (p instanceof TrackingTcpProcessor tcp) {
        n += tcp.channelCount();
      }
    }
    return n;
  }

  /**
   * The number of request datagrams received and not yet taken by a message channel thread, summed
   * over the UDP processors the stack has now (its listen points are all created by then): Herald's
   * overload signal. Responses waiting in the same queues are not counted: each completes work
   * already in flight (a NOTIFY's 200 ends its transaction), and under fan-out there are several
   * per request, so counting them refused PUBLISHes for the very answers that would free Herald
   * (issue 7). Reading it is cheap (one counter per queue).
   */
  public static java.util.function.LongSupplier queuedRequests(SIPTransactionStack stack) {
    java.util.List<RequestCountingQueue> queues = new java.util.ArrayList<>();
    for (MessageProcessor p : stack.getMessageProcessors()) {
      if (p instanceof CompactDatagramProcessor udp) {
        queues.add((RequestCountingQueue) udp.messageQueue);
      }
    }
    return () -> {
      long n = 0;
      for (RequestCountingQueue q : queues) {
        n += q.requests();
      }
      return n;
    };
  }

  /**
   * The intake queue of a UDP processor, counting the requests in it. The message channel threads
   * take with {@link #take()} and {@link #poll(long, TimeUnit)}; the receive thread offers.
   *
   * <p>A request retransmitted while its first copy still waits here is not queued again (issue 7):
   * the first copy's answer goes to the same client transaction, so the copy is only more work.
   * Once Herald fell a second behind, every queued request came in again after 500 ms, 1 s, 2 s
   * (RFC 3261 Timer E) and each copy was parsed and matched in turn, which kept it behind (the
   * subscription-setup bench: 76,000 retransmissions in 25 s, never recovering). Copies are known
   * by {@link dev.herald.sip.internal.RequestKey}: method, RFC 3261 branch, source. A copy that
   * comes after the first was taken goes on as before (JAIN-SIP's server transaction answers it).
   */
  static final class RequestCountingQueue
      extends java.util.concurrent.LinkedBlockingQueue<DatagramQueuedMessageDispatch> {
    private static final long serialVersionUID = 1L;
    private final java.util.concurrent.atomic.AtomicLong requests =
        new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<String> queuedKeys =
        java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong copiesDropped =
        new java.util.concurrent.atomic.AtomicLong();

    long requests() {
      return requests.get();
    }

    /** Retransmitted requests not queued because their first copy was still waiting. */
    long copiesDropped() {
      return copiesDropped.get();
    }

    /** A request datagram's key ({@link dev.herald.sip.internal.RequestKey}), or null. */
    String keyOf(DatagramPacket packet) {
      return isRequest(packet)
          ? dev.herald.sip.internal.RequestKey.of(
              packet.getData(),
              packet.getOffset(),
              packet.getLength(),
              packet.getAddress().getHostAddress() + ":" + packet.getPort())
          : null;
    }

    /**
     * Whether a request with this key still waits here; if so its copy is counted as dropped. The
     * receive thread is the only one that adds keys, so a key seen absent here is still absent when
     * it offers.
     */
    boolean dropsCopy(String key) {
      if (key != null && queuedKeys.contains(key)) {
        copiesDropped.incrementAndGet();
        return true;
      }
      return false;
    }

    /**
     * Queues a received datagram, unless it is a request whose first copy still waits here.
     *
     * @return false when it was such a copy, and dropped
     */
    boolean offerReceived(DatagramPacket packet, long time) {
      return offerReceived(packet, time, keyOf(packet));
    }

    /** As {@link #offerReceived(DatagramPacket, long)}, with the packet's key already read. */
    boolean offerReceived(DatagramPacket packet, long time, String key) {
      if (key != null && !queuedKeys.add(key)) {
        copiesDropped.incrementAndGet();
        return false;
      }
      if (!offer(new KeyedDispatch(packet, time, key)) && key != null) {
        queuedKeys.remove(key);
      }
      return true;
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch d) {
      boolean request = isRequest(d);
      if (request) {
        requests.incrementAndGet(); // before it can be taken, so the count never goes below 0
      }
      boolean queued = super.offer(d);
      if (!queued && request) {
        requests.decrementAndGet();
      }
      return queued;
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
      return taken(super.take());
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, java.util.concurrent.TimeUnit unit)
        throws InterruptedException {
      return taken(super.poll(timeout, unit));
    }

    @Override
    public DatagramQueuedMessageDispatch poll() {
      return taken(super.poll());
    }

    private DatagramQueuedMessageDispatch taken(DatagramQueuedMessageDispatch d) {
      if (d != null && isRequest(d)) {
        requests.decrementAndGet();
      }
      if (d instanceof KeyedDispatch k && k.key != null) {
        queuedKeys.remove(k.key);
      }
      return d;
    }

    /**
     * Whether a datagram holds a request: its first line, after any CRLFs (RFC 3261 §7.5), does not
     * start with the SIP version a status line starts with. A keep-alive (CRLFs only) is neither.
     */
    static boolean isRequest(DatagramQueuedMessageDispatch d) {
      return isRequest(d.packet);
    }

    static boolean isRequest(DatagramPacket packet) {
      byte[] b = packet.getData();
      int i = packet.getOffset();
      int end = i + packet.getLength();
      while (i < end && (b[i] == '\r' || b[i] == '\n')) {
        i++;
      }
      if (i == end) {
        return false;
      }
      return !(end - i >= 4
          && b[i] == 'S'
          && b[i + 1] == 'I'
          && b[i + 2] == 'P'
          && b[i + 3] == '/');
    }
  }

  /** A queued datagram with its request key (null for a response or a request without one). */
  static final class KeyedDispatch extends DatagramQueuedMessageDispatch {
    final String key;

    KeyedDispatch(DatagramPacket packet, long time, String key) {
      super(packet, time);
      this.key = key;
    }
  }

  /** The stock UDP processor with its receive loop replaced. */
  static final class CompactDatagramProcessor extends UDPMessageProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(CompactDatagramProcessor.class);
    private static final int MAX_REPORTED_ERRORS = 10;

    private final int bufferSize;
    private int reportedErrors;

    CompactDatagramProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port)
        throws IOException {
      super(ipAddress, sipStack, port);
      // before any thread uses it (the stock constructor only stores its own queue)
      this.messageQueue = new RequestCountingQueue();
      int max = sipStack.getMaxMessageSize();
      this.bufferSize =
          max > 0 && max < SipStackImpl.MAX_DATAGRAM_SIZE ? max : SipStackImpl.MAX_DATAGRAM_SIZE;
    }

    /**
     * Starts the message channel threads, then the receive thread. The channels exist before
     * start() returns (the stock processor made them on its receive thread, so a stop() right after
     * start() could find none and fail).
     */
    @Override
    public void start() throws IOException {
      this.messageChannels = new LinkedList<>();
      String name = ((SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-";
      for (int i = 0; i < sipStack.threadPoolSize; i++) {
        messageChannels.add(new UDPMessageChannel(sipStack, this, name + i));
      }
      super.start();
    }

    @Override
    public void run() {
      byte[] buffer = new byte[bufferSize];
      DatagramPacket received = new DatagramPacket(buffer, buffer.length);
      while (isRunning) {
        try {
          received.setData(buffer, 0, buffer.length);
          sock.receive(received);
          if (takenByHerald(received)) {
            reportedErrors = 0;
            continue;
          }
          // A copy of a request still queued is dropped before the overload check: its first copy
          // will be answered, and a 503 to the copy would end the client's transaction with a
          // refusal of a request Herald is about to serve.
          RequestCountingQueue queue = (RequestCountingQueue) messageQueue;
          String key = queue.keyOf(received);
          if (!absorbedByHerald(key) && !queue.dropsCopy(key) && !refusedByHerald(received, key)) {
            queue.offerReceived(rightSized(received), System.currentTimeMillis(), key);
          }
          reportedErrors = 0;
        } catch (SocketException e) {
          if (!isRunning) {
            return;
          }
          report(e);
        } catch (IOException | RuntimeException e) {
          report(e);
        }
      }
    }

    /**
     * Whether a 2xx to one of Herald's own UDP client transactions (a NOTIFY's 200) was taken here,
     * on the receive thread, without queueing or parsing it (issue 7, {@link
     * dev.herald.sip.internal.UdpClientTransactions#takeDatagram}). Not while the message trace is
     * on: JAIN-SIP's path traces what it receives.
     */
    private boolean takenByHerald(DatagramPacket received) {
      if (!(sipStack instanceof dev.herald.sip.internal.HeraldSipStack herald)) {
        return false;
      }
      dev.herald.sip.internal.UdpClientTransactions own = herald.ownTransactions();
      return own != null
          && !dev.herald.sip.internal.Slf4jServerLogger.tracing()
          && own.takeDatagram(received.getData(), received.getOffset(), received.getLength());
    }

    /**
     * Whether a request was a retransmission of one of Herald's own UDP server transactions (issue
     * 7, {@link dev.herald.sip.internal.UdpServerTransactions#absorb}), absorbed here, on the
     * receive thread, without queueing or parsing it: its transaction's last response, if any, went
     * again. Not while the message trace is on.
     */
    private boolean absorbedByHerald(String key) {
      if (key == null || !(sipStack instanceof dev.herald.sip.internal.HeraldSipStack herald)) {
        return false;
      }
      dev.herald.sip.internal.UdpServerTransactions own = herald.ownServerTransactions();
      return own != null && !dev.herald.sip.internal.Slf4jServerLogger.tracing() && own.absorb(key);
    }

    /**
     * Whether a request was refused here, on the receive thread, before being queued: while Herald
     * is overloaded a new out-of-dialog request gets its 503 from the datagram's bytes (issue 7,
     * {@link dev.herald.sip.internal.StatelessRefusal}). Not while the message trace is on.
     */
    private boolean refusedByHerald(DatagramPacket received, String key) {
      if (!(sipStack instanceof dev.herald.sip.internal.HeraldSipStack herald)) {
        return false;
      }
      dev.herald.sip.internal.HeraldSipStack.IntakeRefusal refusal = herald.intakeRefusal();
      if (refusal == null || dev.herald.sip.internal.Slf4jServerLogger.tracing()) {
        return false;
      }
      String id = key == null ? null : dev.herald.sip.internal.RequestKey.transactionId(key);
      if (id != null && sipStack.findTransaction(id, true) != null) {
        return false; // a retransmission its server transaction answers (with its response)
      }
      DatagramPacket answer =
          refusal.refusal(
              received.getData(),
              received.getOffset(),
              received.getLength(),
              received.getAddress(),
              received.getPort());
      if (answer == null) {
        return false;
      }
      try {
        sock.send(answer);
      } catch (IOException e) {
        // refused all the same: over UDP the client retransmits and is refused again
        LOG.debug("503 to {}:{} not sent", answer.getAddress(), answer.getPort(), e);
      }
      return true;
    }

    /** A packet holding a copy of exactly the received bytes, with the sender's address. */
    static DatagramPacket rightSized(DatagramPacket received) {
      byte[] data =
          Arrays.copyOfRange(
              received.getData(),
              received.getOffset(),
              received.getOffset() + received.getLength());
      return new DatagramPacket(data, data.length, received.getAddress(), received.getPort());
    }

    private void report(Exception e) {
      if (reportedErrors < MAX_REPORTED_ERRORS) {
        reportedErrors++;
        LOG.warn(
            "UDP receive on {}:{} failed{}",
            getIpAddress().getHostAddress(),
            getPort(),
            reportedErrors == MAX_REPORTED_ERRORS ? " (not reporting more in a row)" : "",
            e);
      }
    }
  }
}
