package dev.herald.sip.internal;

import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note (issue 7, BENCHMARKS.md "What was tried"): under fan-out a JAIN-SIP client
 * transaction per NOTIFY was most of Herald's CPU per PUBLISH (JFR: creating the transaction and
 * its timers on the lanes, matching each 200 to it on the UDP threads, the stack timer running its
 * state machine). A NOTIFY over UDP needs little of that: RFC 3261 §17.1.2's non-INVITE client
 * transaction is a table entry keyed by the branch, a retransmission timer (Timer E, T1 doubling to
 * T2, T2 once a provisional response came) and a deadline (Timer F, 64*T1). This class is that, for
 * requests Herald encodes itself and sends from the listen point's own UDP socket. Responses are
 * taken in HeraldSipStack#newSIPServerResponse, right after JAIN-SIP has parsed them and before it
 * looks for a transaction of its own: the branch lookup is RFC 3261 §17.1.3's matching (branch,
 * then the CSeq method).
 *
 * What differs from a JAIN-SIP transaction: the entry leaves the table at the final response
 * (JAIN-SIP keeps it Completed for Timer K, SipServer.COMPLETED_LINGER_MS, only to absorb
 * retransmitted final responses); a retransmitted 200 now matches no transaction and is dropped as
 * a stray, which is what Herald's listener did with it after the linger anyway. Nothing changes on
 * the wire.
 */

/**
 * Herald's own non-INVITE client transactions over UDP (RFC 3261 §17.1.2): sends a request's bytes,
 * retransmits them on Timer E, ends on the first final response or on Timer F, telling the callback
 * exactly once.
 */
public final class UdpClientTransactions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpClientTransactions.class);

  /** RFC 3261 §17.1.1.1's defaults, as JAIN-SIP uses them. */
  public static final long T1_MS = 500;

  public static final long T2_MS = 4_000;

  private final long t1;
  private final long t2;
  private final long timerF;
  private final ConcurrentHashMap<String, Tx> pending = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;
  private final String branchPrefix;
  private final AtomicLong counter = new AtomicLong();

  /** With RFC 3261's T1 (500 ms) and T2 (4 s). */
  public UdpClientTransactions(String name) {
    this(name, T1_MS, T2_MS);
  }

  /** With other timer values, for tests. Timer F is 64*T1. */
  public UdpClientTransactions(String name, long t1Millis, long t2Millis) {
    this.t1 = t1Millis;
    this.t2 = t2Millis;
    this.timerF = 64 * t1Millis;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name + "-udp-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    // RFC 3261 §8.1.1.7: the magic cookie, then something unique to this server and this request.
    this.branchPrefix = "z9hG4bK" + HexFormat.of().formatHex(random) + "-";
  }

  /** A branch no other request of this table (nor, with its random part, of any other) has. */
  public String newBranch() {
    return branchPrefix + Long.toHexString(counter.incrementAndGet());
  }

  /**
   * Sends {@code bytes} (an encoded request whose top Via carries {@code branch}) to {@code to}
   * from {@code socket}, and keeps them until a final response or Timer F. {@code callback} is told
   * once.
   */
  public void start(
      String branch,
      String method,
      byte[] bytes,
      InetSocketAddress to,
      DatagramSocket socket,
      ResponseCallback callback) {
    Tx tx = new Tx(key(branch), method, new DatagramPacket(bytes, bytes.length, to), socket);
    tx.callback = callback;
    tx.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timerF);
    tx.interval = t1;
    pending.put(tx.key, tx);
    if (!transmit(tx)) {
      return;
    }
    synchronized (tx) {
      if (pending.get(tx.key) == tx && !timer.isShutdown()) {
        tx.timer = timer.schedule(() -> fire(tx), t1, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Takes a response if it belongs to one of these transactions (RFC 3261 §17.1.3: its top Via's
   * branch, then its CSeq method). True when it did: the caller must not hand it on.
   */
  public boolean take(SIPResponse response) {
    if (pending.isEmpty() || response.getTopmostVia() == null || response.getCSeq() == null) {
      return false;
    }
    String key = response.getTransactionId(); // the branch, lower-cased
    Tx tx = key == null ? null : pending.get(key);
    if (tx == null || !tx.method.equals(response.getCSeq().getMethod())) {
      return false;
    }
    int status = response.getStatusCode();
    if (status < 200) {
      tx.proceeding = true; // Proceeding: Timer E at T2 from its next firing on
      return true;
    }
    if (pending.remove(key, tx)) {
      cancelTimer(tx);
      complete(tx, RequestResult.of(response));
    }
    return true;
  }

  /**
   * Takes a 2xx response datagram to one of these transactions without JAIN-SIP parsing it (issue
   * 7: parsing each NOTIFY's 200 was a large part of the UDP threads' work). Only the status line
   * and the names and values of Via, CSeq, From, To and Call-ID are read; the callback gets a
   * response holding the status line alone. False, having taken nothing, for anything else: a
   * request, another status, another branch or method, a folded header line, a missing mandatory
   * header; those go through JAIN-SIP's parser as before (and then {@link #take}).
   */
  public boolean takeDatagram(byte[] b, int offset, int length) {
    if (pending.isEmpty()) {
      return false;
    }
    RawResponse raw = RawResponse.scan(b, offset, length);
    if (raw == null || raw.status < 200 || raw.status > 299) {
      return false;
    }
    String key = raw.branch.toLowerCase(Locale.ROOT);
    Tx tx = pending.get(key);
    if (tx == null || !tx.method.equals(raw.method)) {
      return false;
    }
    SIPResponse response = new SIPResponse();
    response.setStatusLine(new StatusLine());
    try {
      response.setStatusCode(raw.status);
    } catch (java.text.ParseException e) {
      return false; // 2xx never fails; JAIN-SIP's parser would say why
    }
    response.setReasonPhrase(raw.reason);
    if (pending.remove(key, tx)) {
      cancelTimer(tx);
      complete(tx, RequestResult.of(response));
    }
    return true;
  }

  /** Transactions waiting for a final response now. */
  public int size() {
    return pending.size();
  }

  /** Abandons the transactions in flight (as stopping JAIN-SIP's stack does with its own). */
  @Override
  public void close() {
    timer.shutdownNow();
    pending.clear();
  }

  private void fire(Tx tx) {
    if (pending.get(tx.key) != tx) {
      return;
    }
    long left = tx.deadlineNanos - System.nanoTime();
    if (left <= 0) {
      if (pending.remove(tx.key, tx)) {
        LOG.debug("{} to {} timed out (Timer F)", tx.method, tx.packet.getSocketAddress());
        complete(tx, RequestResult.timeout());
      }
      return;
    }
    if (!transmit(tx)) {
      return;
    }
    // RFC 3261 §17.1.2.2: Timer E doubles up to T2 in Trying, and is T2 in Proceeding.
    tx.interval = tx.proceeding ? t2 : Math.min(2 * tx.interval, t2);
    long delay = Math.min(tx.interval, TimeUnit.NANOSECONDS.toMillis(left) + 1);
    synchronized (tx) {
      if (pending.get(tx.key) == tx && !timer.isShutdown()) {
        tx.timer = timer.schedule(() -> fire(tx), delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Sends the request once; on failure ends the transaction with a transport error. */
  private boolean transmit(Tx tx) {
    try {
      tx.socket.send(tx.packet);
      return true;
    } catch (IOException | RuntimeException e) {
      if (pending.remove(tx.key, tx)) {
        cancelTimer(tx);
        LOG.warn(
            "could not send {} to {}: {}", tx.method, tx.packet.getSocketAddress(), e.toString());
        complete(tx, RequestResult.transportError());
      }
      return false;
    }
  }

  private static void cancelTimer(Tx tx) {
    ScheduledFuture<?> f;
    synchronized (tx) {
      f = tx.timer;
      tx.timer = null;
    }
    if (f != null) {
      f.cancel(false);
    }
  }

  private static void complete(Tx tx, RequestResult result) {
    ResponseCallback cb = tx.callback;
    tx.callback = null;
    if (cb != null) {
      try {
        cb.completed(result);
      } catch (RuntimeException e) {
        LOG.error("response callback failed on {}", result, e);
      }
    }
  }

  private static String key(String branch) {
    return branch.toLowerCase(Locale.ROOT);
  }

  /**
   * Where a request whose next hop is {@code uri} (the first Route when it is a loose router, else
   * the Request-URI: RFC 3261 §8.1.2) goes over UDP. Null when this class should not send it: a
   * maddr, a transport other than UDP, a sips URI or a host name (which would need DNS); those go
   * through JAIN-SIP.
   */
  public static InetSocketAddress udpNextHop(URI uri) {
    if (!(uri instanceof SipURI sip)
        || sip.isSecure()
        || sip.getMAddrParam() != null
        || (sip.getTransportParam() != null && !sip.getTransportParam().equalsIgnoreCase("udp"))) {
      return null;
    }
    InetAddress address = ipLiteral(sip.getHost());
    if (address == null) {
      return null;
    }
    int port = sip.getPort();
    return new InetSocketAddress(address, port > 0 ? port : 5060);
  }

  /** The address an IPv4 or IPv6 literal names, without a DNS lookup; null for a host name. */
  static InetAddress ipLiteral(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    // Only a literal (the validation layer's IPv6 grammar, RFC 5118; no zone id), so that
    // getByName never asks DNS.
    if (h.indexOf(':') >= 0 ? !MessageValidation.isIpv6(h) : !isDottedQuad(h)) {
      return null;
    }
    try {
      return InetAddress.getByName(h); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isDottedQuad(String h) {
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return false;
        }
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  /**
   * What {@link #takeDatagram} reads of a response: its status line, its top Via's branch and its
   * CSeq method, found with the From, To and Call-ID headers (full or compact names, any case).
   */
  record RawResponse(int status, String reason, String branch, String method) {

    /** The parts of a response datagram, or null when it is not a plain response to read so. */
    static RawResponse scan(byte[] b, int offset, int length) {
      int end = offset + length;
      int i = offset;
      if (length < 12
          || b[i] != 'S'
          || b[i + 1] != 'I'
          || b[i + 2] != 'P'
          || b[i + 3] != '/'
          || b[i + 4] != '2'
          || b[i + 5] != '.'
          || b[i + 6] != '0'
          || b[i + 7] != ' ') {
        return null;
      }
      int status = 0;
      for (int k = 8; k < 11; k++) {
        int d = b[i + k] - '0';
        if (d < 0 || d > 9) {
          return null;
        }
        status = status * 10 + d;
      }
      if (b[i + 11] != ' ' && b[i + 11] != '\r' && b[i + 11] != '\n') {
        return null;
      }
      int lineEnd = lineEnd(b, i, end);
      if (lineEnd < 0) {
        return null;
      }
      int reasonStart = Math.min(i + 12, lineEnd);
      String reason =
          new String(
                  b,
                  reasonStart,
                  trimCr(b, reasonStart, lineEnd) - reasonStart,
                  java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      String via = null;
      String cseq = null;
      int mandatory = 0; // bits: From, To, Call-ID
      i = lineEnd + 1;
      while (true) {
        if (i >= end) {
          return null; // no empty line: not a whole message
        }
        lineEnd = lineEnd(b, i, end);
        if (lineEnd < 0) {
          return null;
        }
        int contentEnd = trimCr(b, i, lineEnd);
        if (contentEnd == i) {
          break; // the empty line: end of the header section
        }
        if (b[i] == ' ' || b[i] == '\t') {
          return null; // a folded line (RFC 3261 §7.3.1): JAIN-SIP's parser knows them
        }
        int colon = indexOf(b, i, contentEnd, (byte) ':');
        if (colon < 0) {
          return null;
        }
        String name = text(b, i, colon).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "via", "v" -> {
            if (via == null) {
              via = text(b, colon + 1, contentEnd);
            }
          }
          case "cseq" -> cseq = text(b, colon + 1, contentEnd);
          case "from", "f" -> mandatory |= 1;
          case "to", "t" -> mandatory |= 2;
          case "call-id", "i" -> mandatory |= 4;
          default -> {
            // not needed
          }
        }
        i = lineEnd + 1;
      }
      if (via == null || cseq == null || mandatory != 7) {
        return null;
      }
      String branch = branch(via);
      String method = cseqMethod(cseq);
      if (branch == null || method == null) {
        return null;
      }
      return new RawResponse(status, reason, branch, method);
    }

    /** The method of a CSeq value (digits, white space, method), or null. */
    static String cseqMethod(String cseq) {
      String v = cseq.trim();
      int k = 0;
      while (k < v.length() && v.charAt(k) >= '0' && v.charAt(k) <= '9') {
        k++;
      }
      if (k == 0 || k == v.length() || (v.charAt(k) != ' ' && v.charAt(k) != '\t')) {
        return null;
      }
      String method = v.substring(k).trim();
      for (int m = 0; m < method.length(); m++) {
        if (method.charAt(m) == ' ' || method.charAt(m) == '\t') {
          return null;
        }
      }
      return method;
    }

    /** The branch parameter of the first value of a Via header, or null. */
    static String branch(String via) {
      int comma = via.indexOf(',');
      String first = comma < 0 ? via : via.substring(0, comma);
      String[] params = first.split(";");
      for (int k = 1; k < params.length; k++) {
        String p = params[k].trim();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("branch")) {
          String value = p.substring(eq + 1).trim();
          return value.isEmpty() ? null : value;
        }
      }
      return null;
    }

    private static int lineEnd(byte[] b, int from, int end) {
      return indexOf(b, from, end, (byte) '\n');
    }

    private static int trimCr(byte[] b, int from, int lineEnd) {
      return lineEnd > from && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
      for (int k = from; k < end; k++) {
        if (b[k] == c) {
          return k;
        }
      }
      return -1;
    }

    private static String text(byte[] b, int from, int to) {
      return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /** One transaction: its bytes and destination, its timer, its callback until told. */
  private static final class Tx {
    final String key;
    final String method;
    final DatagramPacket packet;
    final DatagramSocket socket;
    volatile ResponseCallback callback;
    volatile boolean proceeding;
    long deadlineNanos;
    long interval; // the timer thread's only
    ScheduledFuture<?> timer; // guarded by this

    Tx(String key, String method, DatagramPacket packet, DatagramSocket socket) {
      this.key = key;
      this.method = method;
      this.packet = packet;
      this.socket = socket;
    }
  }
}
