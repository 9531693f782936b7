package dev.herald.sip.internal;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.header.ExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note (issue 7, BENCHMARKS.md "Subscription setup, third round"): under subscription setup
 * JAIN-SIP's server transaction layer took 18.6% of Herald's samples (JFR, 1 ms sampling, 4,000
 * SUBSCRIBE/s): making the transaction and its timers, the dialog filter and event scanner around
 * the listener, getTransactionId upper-casing the branch on every call, the state machine on the
 * response; and each transaction, kept 32 s for Timer J, was copied by young collections and then
 * promoted. A non-INVITE server transaction over UDP needs little of that (RFC 3261 §17.2.2): a
 * table entry keyed as a retransmission is matched (RequestKey: method, RFC 3261 branch, source),
 * the last response it sent, and a lifetime. This class is that, for requests that arrive over UDP
 * and whose responses go to an IP address (HeraldSipStack#newSIPServerRequest decides; everything
 * else keeps JAIN-SIP's transactions).
 *
 * What differs from JAIN-SIP's: an entry lives a fixed 64*T1 from the request's arrival instead of
 * Timer J (64*T1) from its final response. A client stops retransmitting 64*T1 after it first sent
 * the request (Timer F, RFC 3261 §17.1.2.2), which is before the entry goes, so every
 * retransmission still finds it: in Trying it is absorbed (§17.2.2: nothing to send yet), after a
 * response it gets that response again. A retransmission is matched on the UDP receive thread from
 * the datagram's bytes, before anything parses it. Nothing changes on the wire.
 */

/**
 * Herald's own non-INVITE server transactions over UDP (RFC 3261 §17.2.2): absorb retransmitted
 * requests, answering each with the last response sent, for 64*T1 after the request came.
 */
public final class UdpServerTransactions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpServerTransactions.class);

  /** What {@link #begin} returns for a retransmission of a transaction in the table. */
  public static final Tx RETRANSMISSION = new Tx(null, null, -1, null, null, null, 0);

  private final long lifetimeNanos;
  private final int capacity;
  private final ConcurrentHashMap<String, Tx> table = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Tx> byAge = new ConcurrentLinkedQueue<>();
  private final ScheduledThreadPoolExecutor sweeper;
  private final AtomicLong absorbed = new AtomicLong();

  /** With RFC 3261's lifetime, 64*T1 (32 s), at most {@code capacity} at once. */
  public UdpServerTransactions(String name, int capacity) {
    this(name, 64 * UdpClientTransactions.T1_MS, capacity);
  }

  /** With another lifetime, for tests. */
  public UdpServerTransactions(String name, long lifetimeMillis, int capacity) {
    this.lifetimeNanos = TimeUnit.MILLISECONDS.toNanos(lifetimeMillis);
    this.capacity = capacity;
    this.sweeper =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name + "-udp-server-sweep");
              t.setDaemon(true);
              return t;
            });
    sweeper.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    long period = Math.max(10, Math.min(1_000, lifetimeMillis / 8));
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Begins the transaction of a request that came over UDP: a new one, {@link #RETRANSMISSION} when
   * {@code key} is already in the table (its last response, if any, is sent again), or null when
   * the table is full (the caller leaves the request to JAIN-SIP's transactions).
   *
   * @param key the request's {@link RequestKey}
   * @param requestExpires the request's Expires, or -1 (a 2xx to SUBSCRIBE may not grant more)
   * @param socket the listen point's socket, which its responses leave from
   * @param to where its responses go ({@link #responseDestination})
   */
  public Tx begin(
      String key,
      String method,
      int requestExpires,
      DatagramSocket socket,
      InetSocketAddress to,
      String local) {
    if (absorb(key)) {
      return RETRANSMISSION;
    }
    if (table.size() >= capacity) {
      return null;
    }
    Tx tx =
        new Tx(key, method, requestExpires, socket, to, local, System.nanoTime() + lifetimeNanos);
    Tx prior = table.putIfAbsent(key, tx);
    if (prior != null) {
      absorbed.incrementAndGet();
      prior.resend();
      return RETRANSMISSION; // a copy parsed on another thread at the same time
    }
    byAge.add(tx);
    return tx;
  }

  /**
   * Whether a request with this {@link RequestKey} is a retransmission of a transaction in the
   * table; if so it is absorbed: the transaction's last response, if any, is sent again.
   */
  public boolean absorb(String key) {
    if (key == null || table.isEmpty()) {
      return false;
    }
    Tx tx = table.get(key);
    if (tx == null) {
      return false;
    }
    absorbed.incrementAndGet();
    tx.resend();
    return true;
  }

  /** Takes a transaction out of the table: a copy of its request will be a new request. */
  public void forget(Tx tx) {
    table.remove(tx.key, tx);
  }

  /** Transactions in the table now (answered or not). */
  public int size() {
    return table.size();
  }

  /** Retransmitted requests absorbed so far. */
  public long absorbed() {
    return absorbed.get();
  }

  /** Drops the transactions whose lifetime is over. */
  void sweep() {
    long now = System.nanoTime();
    Tx head;
    while ((head = byAge.peek()) != null && now - head.endNanos >= 0) {
      byAge.poll();
      table.remove(head.key, head);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    table.clear();
    byAge.clear();
  }

  /**
   * Where a response goes over UDP (RFC 3261 §18.2.2, RFC 3581), given the top Via as the request
   * arrived with it (received and rport filled in): the received address, else the sent-by host, at
   * rport, else the sent-by port, else 5060. Null when that is not an IP address over UDP without
   * maddr: the stock transaction then decides.
   */
  public static InetSocketAddress responseDestination(Via via) {
    if (via == null || via.getMAddr() != null || !"UDP".equalsIgnoreCase(via.getTransport())) {
      return null;
    }
    int port = via.getRPort();
    if (port == -1) {
      port = via.getPort();
    }
    if (port == -1) {
      port = 5060;
    }
    String host = via.getParameter(Via.RECEIVED);
    InetAddress to = UdpClientTransactions.ipLiteral(host != null ? host : via.getHost());
    return to == null ? null : new InetSocketAddress(to, port);
  }

  /** One server transaction: the request's key and where its responses go. */
  public static final class Tx {
    private final String key;
    private final String method;
    private final int requestExpires;
    private final DatagramSocket socket;
    private final InetSocketAddress to;
    private final String local;
    private final long endNanos;
    private volatile DatagramPacket last;
    private boolean finalSent; // guarded by this

    private Tx(
        String key,
        String method,
        int requestExpires,
        DatagramSocket socket,
        InetSocketAddress to,
        String local,
        long endNanos) {
      this.key = key;
      this.method = method;
      this.requestExpires = requestExpires;
      this.socket = socket;
      this.to = to;
      this.local = local;
      this.endNanos = endNanos;
    }

    /**
     * Sends a response to the request: provisional ones, then one final response. Checks what
     * JAIN-SIP's transaction checks that Herald could get wrong: the CSeq method, and a 2xx to
     * SUBSCRIBE has an Expires no longer than the request's (RFC 6665 §4.2.1.1).
     *
     * @throws IllegalStateException when the response does not fit the transaction or a final
     *     response was already sent
     */
    public void send(Response response) throws IOException {
      SIPResponse r = (SIPResponse) response;
      if (r.getCSeq() == null || !method.equals(r.getCSeq().getMethod())) {
        throw new IllegalStateException(
            "a response to "
                + (r.getCSeq() == null ? "nothing" : r.getCSeq().getMethod())
                + " in a "
                + method
                + " transaction");
      }
      int status = r.getStatusCode();
      if (status / 100 == 2 && method.equals(Request.SUBSCRIBE)) {
        ExpiresHeader expires = r.getExpires();
        if (expires == null) {
          throw new IllegalStateException("a 2xx to SUBSCRIBE without Expires");
        }
        if (requestExpires >= 0 && expires.getExpires() > requestExpires) {
          throw new IllegalStateException(
              "Expires " + expires.getExpires() + " longer than the request's " + requestExpires);
        }
      }
      synchronized (this) {
        if (finalSent) {
          throw new IllegalStateException("a final response was already sent");
        }
        finalSent = status >= 200;
      }
      byte[] bytes = r.encodeAsBytes("UDP");
      DatagramPacket packet = new DatagramPacket(bytes, bytes.length, to);
      last = packet; // before sending: a retransmission that comes now gets it too
      if (Slf4jServerLogger.tracing()) {
        Slf4jServerLogger.sent(r, local, to.getAddress().getHostAddress() + ":" + to.getPort());
      }
      socket.send(packet);
    }

    private void resend() {
      DatagramPacket p = last;
      if (p == null) {
        return; // Trying: RFC 3261 §17.2.2, a retransmission is discarded
      }
      try {
        socket.send(p);
      } catch (IOException | RuntimeException e) {
        LOG.debug("could not resend a response to {}: {}", to, e.toString());
      }
    }
  }
}
