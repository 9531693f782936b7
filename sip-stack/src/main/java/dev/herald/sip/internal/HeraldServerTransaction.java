package dev.herald.sip.internal;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.ChannelAccess;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetSocketAddress;

/*
 * Design note (issue 7): with RELEASE_REFERENCES_STRATEGY=Aggressive, JAIN-SIP 1.3.0-91's server
 * transaction sets lastResponse while it sends a response and clears it right after, keeping the
 * encoded bytes instead (SIPServerTransactionImpl.sendResponse). Its resendLastResponseAsBytes,
 * which answers a retransmitted request from another message thread, reads lastResponse twice: a
 * null check, then sendMessage(lastResponse). A retransmission that arrives while the final
 * response is being sent can see it set, then pass null: NullPointerException in sendMessage,
 * logged as an ERROR with the whole datagram, and the retransmission went unanswered. Seen under
 * the subscription-setup bench once Herald fell behind (SUBSCRIBEs retransmitted by the thousand).
 * Reading the field once closes that window; when it is already clear the stock method sends the
 * bytes. What is left is narrower by far: a retransmission that finds the transaction Completed
 * before the response is recorded (checkStateTimers runs first), reads the field as clear, and is
 * then preempted between the stock method's two reads while the whole response goes out.
 */

/*
 * Second note (issue 7): the stock sendResponse over UDP encodes the response twice (once to send
 * it through a new message channel made for the purpose, once more to keep the bytes for
 * retransmissions): with the channel, ~6% of Herald's CPU under subscription setup. For a
 * non-INVITE response over UDP whose destination is an IP address, sendResponse below encodes it
 * once, sends it from the listen point's socket and keeps those bytes and that destination for a
 * retransmitted request. The destination is RFC 3261 §18.2.2's, as the stock method computes it:
 * the Via's received (else its sent-by host), at rport (RFC 3581) or the sent-by port or 5060.
 * Anything else (INVITE, TCP and TLS, a maddr, a host name) takes the stock path.
 */

/** JAIN-SIP's server transaction, answering a retransmitted request without a race. */
final class HeraldServerTransaction extends SIPServerTransactionImpl {
  // What sendResponse sent itself (the stock fields are private); read by another message thread
  // when a retransmission comes, so written once, as one object.
  private volatile Sent sent;

  private record Sent(byte[] bytes, InetSocketAddress to) {}

  HeraldServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
    super(stack, channel);
  }

  @Override
  protected void sendResponse(SIPResponse response) throws IOException {
    InetSocketAddress direct = isInviteTransaction() || isReliable() ? null : destination(response);
    if (direct == null) {
      super.sendResponse(response);
      return;
    }
    byte[] bytes = response.encodeAsBytes(getTransport());
    if (!ChannelAccess.sendOverUdp(
        getMessageChannel(), bytes, direct.getAddress(), direct.getPort())) {
      super.sendResponse(response);
      return;
    }
    if (Slf4jServerLogger.tracing()) {
      Slf4jServerLogger.sent(
          response,
          getMessageChannel().getHost() + ":" + getPort(),
          direct.getAddress().getHostAddress() + ":" + direct.getPort());
    }
    sent = new Sent(bytes, direct);
    lastResponse = null; // as the stock method does: the bytes are what is kept
  }

  /** Where a response goes over UDP, or null for the stock path. */
  private static InetSocketAddress destination(SIPResponse response) {
    return UdpServerTransactions.responseDestination(response.getTopmostVia());
  }

  @Override
  public void resendLastResponseAsBytes() throws IOException {
    SIPResponse response = lastResponse; // once: the sending thread clears it after sending
    if (response != null) {
      sendMessage(response);
      return;
    }
    Sent s = sent;
    if (s != null) {
      ChannelAccess.sendOverUdp(
          getMessageChannel(), s.bytes(), s.to().getAddress(), s.to().getPort());
    } else {
      super.resendLastResponseAsBytes(); // the kept bytes, if a final response was sent
    }
  }
}
