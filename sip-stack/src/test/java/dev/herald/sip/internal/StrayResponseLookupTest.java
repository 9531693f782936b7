package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.SipProvider;
import javax.sip.TransactionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: a response that matches no client transaction made JAIN-SIP walk the whole client
 * transaction table (isMessagePartOfTransaction on every entry); under fan-out, late 200s to
 * NOTIFYs made that most of Herald's CPU. With an RFC 3261 branch the key lookup alone decides.
 */
class StrayResponseLookupTest {
  private HeraldSipStack stack;
  private MessageChannel channel;
  private CountingTransaction live;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "stray-response-test");
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    // Herald's processors, as SipServer sets them: the stock UDP processor makes its channels on
    // its own thread, so a stop() right after start() could find none and throw (seen in a full
    // build on a busy machine).
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY",
        gov.nist.javax.sip.stack.CompactDatagramProcessorFactory.class.getName());
    stack = new HeraldSipStack(p);
    SipProvider provider =
        stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, "udp"));
    stack.start();
    // a real transaction, for a real channel to the peer
    SIPClientTransaction real =
        (SIPClientTransaction) provider.getNewClientTransaction(notify("z9hG4bK-real", port));
    channel = real.getMessageChannel();
    live = new CountingTransaction(stack, channel);
    SIPRequest request = notify("z9hG4bK-live", port);
    live.setOriginalRequest(request);
    live.setBranch("z9hG4bK-live");
    live.setState(TransactionState._TRYING); // sent, awaiting its final response
    stack.addTransaction(live);
  }

  @AfterEach
  void stop() {
    stack.stop();
  }

  @Test
  void aResponseToAGoneTransactionIsHandedOnWithoutSearchingTheTable() throws Exception {
    Object handler = stack.newSIPServerResponse(response("z9hG4bK-gone"), channel);

    assertEquals(0, live.matchCalls.get(), "searched the client transaction table");
    assertTrue(handler != null, "the response still goes on to the listener");
    assertNotSame(live, handler);
  }

  @Test
  void aResponseToALiveTransactionFindsIt() throws Exception {
    assertSame(live, stack.newSIPServerResponse(response("z9hG4bK-LIVE"), channel));
  }

  @Test
  void aResponseWithoutTheRfc3261CookieIsStillSearchedForAsBefore() throws Exception {
    stack.newSIPServerResponse(response("rfc2543-branch"), channel);

    assertTrue(live.matchCalls.get() > 0, "RFC 2543 transactions are found by the scan");
  }

  private static SIPRequest notify(String branch, int port) throws Exception {
    return (SIPRequest)
        parse(
            "NOTIFY sip:watcher@127.0.0.1:"
                + port
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:"
                + port
                + ";branch="
                + branch
                + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@herald.test>;tag=herald\r\n"
                + "To: <sip:watcher@herald.test>;tag=watcher\r\n"
                + "Call-ID: stray@127.0.0.1\r\n"
                + "CSeq: 2 NOTIFY\r\n"
                + "Event: presence\r\n"
                + "Subscription-State: active\r\n"
                + "Content-Length: 0\r\n\r\n");
  }

  private static SIPResponse response(String branch) throws Exception {
    return (SIPResponse)
        parse(
            "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch="
                + branch
                + "\r\n"
                + "From: <sip:alice@herald.test>;tag=herald\r\n"
                + "To: <sip:watcher@herald.test>;tag=watcher\r\n"
                + "Call-ID: stray@127.0.0.1\r\n"
                + "CSeq: 2 NOTIFY\r\n"
                + "Content-Length: 0\r\n\r\n");
  }

  private static SIPMessage parse(String text) throws Exception {
    return new StringMsgParser()
        .parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), true, false, null);
  }

  /** A client transaction that counts how often the stack asks it whether a message is its. */
  private static final class CountingTransaction extends SIPClientTransactionImpl {
    final AtomicInteger matchCalls = new AtomicInteger();

    CountingTransaction(SIPTransactionStack stack, MessageChannel channel) {
      super(stack, channel);
    }

    @Override
    public boolean isMessagePartOfTransaction(SIPMessage message) {
      matchCalls.incrementAndGet();
      return super.isMessagePartOfTransaction(message);
    }
  }
}
