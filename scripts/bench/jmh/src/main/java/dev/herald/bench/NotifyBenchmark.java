package dev.herald.bench;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import dev.herald.sip.dialog.NotifyRequest;
import dev.herald.sip.dialog.SubscriptionDialog;
import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each NOTIFY of a fan-out costs on the lane before the socket: a request from the
 * subscription's dialog with Event, Subscription-State and the composed body, and its encoding to
 * bytes, built as JAIN-SIP objects (what PresenceEngine.buildNotify did before issue 7's text
 * NOTIFY, and still does for TCP, TLS and host names: {@code build}, {@code buildAndEncode}) and
 * written as text (what it does over UDP to an IP address: {@code text}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NotifyBenchmark {
  private static final String SUBSCRIBE =
      "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-bench;rport\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: <sip:bob@herald.test>;tag=watcher-1\r\n"
          + "To: <sip:alice@herald.test>\r\n"
          + "Call-ID: bench-1@127.0.0.1\r\n"
          + "CSeq: 1 SUBSCRIBE\r\n"
          + "Contact: <sip:bob@127.0.0.1:5070;transport=udp>\r\n"
          + "Event: presence\r\n"
          + "Accept: application/pidf+xml\r\n"
          + "Expires: 3600\r\n"
          + "Content-Length: 0\r\n\r\n";

  private SubscriptionDialog dialog;
  private byte[] body;
  private long branch;

  @Setup
  public void setUp() throws Exception {
    Request subscribe = SipMessages.MESSAGES.createRequest(SUBSCRIBE);
    dialog =
        SubscriptionDialog.accept(
            subscribe, new ListenPoint("udp", "127.0.0.1", 5060), "herald-tag-1");
    body =
        Documents.pidf("sip:alice@herald.test", "desk", "open", "In a meeting")
            .getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public Request build() throws Exception {
    Request notify = dialog.newRequest(Request.NOTIFY);
    EventHeader event = SipMessages.HEADERS.createEventHeader("presence");
    notify.setHeader(event);
    SubscriptionStateHeader state =
        SipMessages.HEADERS.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
    state.setExpires(3599);
    notify.setHeader(state);
    ContentTypeHeader type = SipMessages.HEADERS.createContentTypeHeader("application", "pidf+xml");
    notify.setContent(body, type);
    return notify;
  }

  /** As sent over UDP since issue 7: written as text, Via and User-Agent included. */
  @Benchmark
  public byte[] text() {
    NotifyRequest notify =
        dialog.newNotify(
            "presence", "", NotifyRequest.State.of("active", 3599), "application/pidf+xml", body);
    return notify.encode(
        "Via: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bK" + Long.toHexString(++branch) + "\r\n",
        "User-Agent: Herald\r\n");
  }

  /** As sent: with the Via the SIP server adds (a new branch each time) and encoded to bytes. */
  @Benchmark
  public byte[] buildAndEncode() throws Exception {
    Request notify = build();
    ViaHeader via =
        SipMessages.HEADERS.createViaHeader(
            "127.0.0.1", 5060, "udp", "z9hG4bK" + Long.toHexString(++branch));
    via.setRPort();
    notify.setHeader(via);
    return ((SIPMessage) notify).encodeAsBytes("UDP");
  }
}
