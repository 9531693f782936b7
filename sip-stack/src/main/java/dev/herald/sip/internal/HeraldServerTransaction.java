package dev.herald.sip.internal;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;

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

/** JAIN-SIP's server transaction, answering a retransmitted request without a race. */
final class HeraldServerTransaction extends SIPServerTransactionImpl {

  HeraldServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
    super(stack, channel);
  }

  @Override
  public void resendLastResponseAsBytes() throws IOException {
    SIPResponse response = lastResponse; // once: the sending thread clears it after sending
    if (response != null) {
      sendMessage(response);
    } else {
      super.resendLastResponseAsBytes(); // the kept bytes, if a final response was sent
    }
  }
}
