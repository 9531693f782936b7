package dev.herald.sip.internal;

import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.ChannelAccess;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.ServerRequestInterface;
import gov.nist.javax.sip.stack.ServerResponseInterface;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.header.ExpiresHeader;
import javax.sip.message.Request;

/*
 * Design note (issue 7, BENCHMARKS.md "What was tried"): JAIN-SIP 1.3.0-91's
 * SIPTransactionStack.newSIPServerResponse looks a response's client transaction up by its key
 * (the top Via's branch, lower-cased) and, when there is none, walks the WHOLE client transaction
 * table calling isMessagePartOfTransaction on each entry (lower-casing both branches every time),
 * to find RFC 2543 transactions that have no RFC 3261 branch. Under fan-out the table holds every
 * NOTIFY in flight or lingering in Completed (thousands to tens of thousands), and a 200 that comes
 * after its transaction has gone (a retransmitted NOTIFY's second 200, a 200 later than Timer K)
 * matches none: each such response cost a scan of the table. Once Herald falls a little behind,
 * late 200s multiply and the scans took 75% of its CPU (JFR at 1,000 PUBLISH/s): a collapse that
 * feeds itself.
 *
 * For a response whose branch carries the RFC 3261 magic cookie, the key lookup is the whole of
 * RFC 3261 §17.1.3's matching (branch, then method, which isMessagePartOfTransaction checks on the
 * transaction found). Every transaction the stack makes is keyed by that same lower-cased branch
 * (SIPTransactionStack.addTransactionHash uses getTransactionId of the request), and a scan can
 * only match a transaction whose branch equals the response's ignoring case, so when the lookup
 * finds nothing the scan finds nothing either. Here that case skips the scan and goes on as the
 * stock code does once its scan has failed: the response is handed on with no transaction (Herald's
 * listener drops it). Responses without the cookie take the stock path, scan included.
 */

/**
 * JAIN-SIP's stack, without the linear search for a response that matches no transaction; every
 * response is offered to Herald's own UDP client transactions ({@link UdpClientTransactions})
 * before the stack looks for a transaction of its own, and a non-INVITE request over UDP gets
 * Herald's own server transaction ({@link UdpServerTransactions}) when its responses go to an IP
 * address.
 */
public final class HeraldSipStack extends SipStackImpl {
  private volatile UdpClientTransactions ownTransactions;
  private volatile UdpServerTransactions ownServerTransactions;
  private volatile OwnRequests ownRequests;

  /** Where a request with Herald's own server transaction goes, instead of the listener. */
  @FunctionalInterface
  public interface OwnRequests {
    /** Handles {@code request}, on the message channel thread that parsed it. */
    void process(SIPRequest request, SipProviderImpl provider, UdpServerTransactions.Tx tx);
  }

  public HeraldSipStack(Properties properties) throws PeerUnavailableException {
    super(properties);
  }

  @Override
  public ServerResponseInterface newSIPServerResponse(
      SIPResponse response, MessageChannel channel) {
    UdpClientTransactions own = ownTransactions;
    if (own != null && own.take(response)) {
      return null; // taken: the channel hands it to nothing else
    }
    // With a message valve installed the stock path runs it first; Herald installs none.
    if (sipMessageValves.isEmpty() && isStray(response)) {
      return sipMessageFactory.newSIPServerResponse(response, channel);
    }
    return super.newSIPServerResponse(response, channel);
  }

  /**
   * A new non-INVITE request over UDP whose responses go to an IP address gets Herald's own server
   * transaction and goes straight to {@link OwnRequests}, without JAIN-SIP's transaction, dialog
   * filter and event scanner; a retransmission of one is absorbed. Anything else (INVITE, ACK,
   * CANCEL, TCP and TLS, a response to a host name or a maddr, a full table, a request JAIN-SIP
   * already has a transaction for, a new request while the message trace is on) takes the stock
   * path.
   */
  @Override
  public ServerRequestInterface newSIPServerRequest(SIPRequest request, MessageChannel channel) {
    UdpServerTransactions own = ownServerTransactions;
    OwnRequests sink = ownRequests;
    if (own != null && sink != null && sipMessageValves.isEmpty()) {
      ServerRequestInterface taken = ownTransaction(own, sink, request, channel);
      if (taken != null) {
        return taken;
      }
    }
    return super.newSIPServerRequest(request, channel);
  }

  private ServerRequestInterface ownTransaction(
      UdpServerTransactions own, OwnRequests sink, SIPRequest request, MessageChannel channel) {
    String method = request.getMethod();
    if (method.equals(Request.INVITE)
        || method.equals(Request.ACK)
        || method.equals(Request.CANCEL)) {
      return null;
    }
    DatagramSocket socket = ChannelAccess.udpSocket(channel);
    Via via = request.getTopmostVia();
    String branch = via == null ? null : via.getBranch();
    InetAddress from = request.getPeerPacketSourceAddress();
    if (socket == null
        || branch == null
        || !branch.regionMatches(true, 0, "z9hG4bK", 0, 7)
        || from == null
        || request.getCSeq() == null) {
      return null;
    }
    String key =
        RequestKey.of(
            method, branch, from.getHostAddress() + ":" + request.getPeerPacketSourcePort());
    if (Slf4jServerLogger.tracing()) {
      // A new request takes JAIN-SIP's path, which traces it; but a copy of one that began here
      // before the trace was turned on is still this transaction's: on the stock path it would be
      // a new request and run its handler again.
      return own.absorb(key) ? IGNORED : null;
    }
    if (findTransaction(branch.toLowerCase(Locale.ROOT), true) != null) {
      return null; // begun on the stock path (before Herald's table was installed)
    }
    InetSocketAddress to = UdpServerTransactions.responseDestination(via);
    SipProviderImpl provider = ChannelAccess.provider(channel);
    if (to == null || provider == null) {
      return null;
    }
    ExpiresHeader expires = request.getExpires();
    UdpServerTransactions.Tx tx =
        own.begin(
            key,
            method,
            expires == null ? -1 : expires.getExpires(),
            socket,
            to,
            channel.getHost() + ":" + channel.getPort());
    if (tx == null) {
      return null; // full: JAIN-SIP's table decides (it refuses at random near its limit)
    }
    if (tx == UdpServerTransactions.RETRANSMISSION) {
      return IGNORED;
    }
    request.setMessageChannel(channel); // as the stock method does first
    return (r, c) -> sink.process(request, provider, tx);
  }

  /** What a retransmission absorbed by Herald's own server transactions is handed to. */
  private static final ServerRequestInterface IGNORED = (request, channel) -> {};

  /**
   * The stock decision (a full table refuses new transactions at random between its low and high
   * water marks), with a server transaction that answers retransmissions without a race ({@link
   * HeraldServerTransaction}).
   */
  @Override
  public SIPServerTransaction createServerTransaction(MessageChannel channel) {
    if (!unlimitedServerTransactionTableSize) {
      float threshold =
          ((float) (serverTransactionTable.size() - serverTransactionTableLowaterMark))
              / ((float) (serverTransactionTableHighwaterMark - serverTransactionTableLowaterMark));
      if (Math.random() > 1.0 - threshold) {
        return null;
      }
    }
    return new HeraldServerTransaction(this, channel);
  }

  /**
   * Decides, on the UDP receive thread, whether a request datagram is refused before it is queued
   * (while Herald is overloaded): the 503 to send, or null to queue it as usual.
   */
  @FunctionalInterface
  public interface IntakeRefusal {
    java.net.DatagramPacket refusal(
        byte[] data, int offset, int length, java.net.InetAddress from, int port);
  }

  private volatile IntakeRefusal intakeRefusal;

  /** Asked about every request datagram from now on (see {@link IntakeRefusal}). */
  public void intakeRefusal(IntakeRefusal refusal) {
    this.intakeRefusal = refusal;
  }

  /** The intake refusal, or null before it is set. */
  public IntakeRefusal intakeRefusal() {
    return intakeRefusal;
  }

  /** Herald's own client transactions, asked first about every response from now on. */
  public void ownTransactions(UdpClientTransactions transactions) {
    this.ownTransactions = transactions;
  }

  /**
   * Herald's own server transactions, and where the requests that get one go, from now on (see
   * {@link #newSIPServerRequest}).
   */
  public void ownServerTransactions(UdpServerTransactions transactions, OwnRequests requests) {
    this.ownRequests = requests;
    this.ownServerTransactions = transactions;
  }

  /** Herald's own server transactions, or null before they are set. */
  public UdpServerTransactions ownServerTransactions() {
    return ownServerTransactions;
  }

  /** Herald's own client transactions, or null before they are set. */
  public UdpClientTransactions ownTransactions() {
    return ownTransactions;
  }

  /** An RFC 3261 response whose branch is no client transaction's. */
  private boolean isStray(SIPResponse response) {
    if (response.getTopmostVia() == null || response.getCSeq() == null) {
      return false; // the stock code decides what to do with it
    }
    String key = response.getTransactionId();
    return key.startsWith(RFC_3261_COOKIE) && findTransaction(key, false) == null;
  }

  /** RFC 3261 §8.1.1.7's branch prefix, as transaction keys hold it (lower case). */
  private static final String RFC_3261_COOKIE = "z9hg4bk";
}
