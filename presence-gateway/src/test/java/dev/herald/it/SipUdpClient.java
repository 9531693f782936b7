package dev.herald.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.sip.SipMessages;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A minimal SIP user agent over UDP on loopback, for tests that need exact control of what is sent
 * (hand-written or garbled headers) and of what they answer. Requests are written as raw text; what
 * comes back is parsed by JAIN-SIP. Every receive waits at most {@link #RECEIVE_TIMEOUT}, so a
 * missing answer fails the test instead of hanging it. Not thread-safe: one test thread.
 */
final class SipUdpClient implements AutoCloseable {
  static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);

  private final DatagramSocket socket;
  private final InetSocketAddress herald;
  private final Deque<Response> responses = new ArrayDeque<>();
  private final Deque<Request> requests = new ArrayDeque<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<String, String> answers = new HashMap<>();

  private SipUdpClient(DatagramSocket socket, InetSocketAddress herald) {
    this.socket = socket;
    this.herald = herald;
  }

  /** A client on a free loopback port, talking to Herald's UDP listener on {@code heraldPort}. */
  static SipUdpClient open(int heraldPort) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
    socket.setSoTimeout((int) RECEIVE_TIMEOUT.toMillis());
    return new SipUdpClient(socket, new InetSocketAddress(loopback, heraldPort));
  }

  /**
   * A client bound to {@code localPort} (a trunk peer's port, known before Herald starts), talking
   * to Herald's UDP listener on {@code heraldPort}.
   */
  static SipUdpClient open(int localPort, int heraldPort) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, localPort));
    socket.setSoTimeout((int) RECEIVE_TIMEOUT.toMillis());
    return new SipUdpClient(socket, new InetSocketAddress(loopback, heraldPort));
  }

  /** {@code <sip:user@127.0.0.1:port>}: where Herald sends in-dialog requests (NOTIFY). */
  String contact(String user) {
    return "<sip:" + user + "@127.0.0.1:" + socket.getLocalPort() + ">";
  }

  /** A request to fill in; {@link #send} writes it with a new Via branch each time. */
  Draft request(String method, String requestUri) {
    return new Draft(method, requestUri);
  }

  /** Sends {@code draft} as a new transaction: a fresh Via branch, everything else as written. */
  void send(Draft draft) throws IOException {
    String branch = "z9hG4bK" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    String via = "SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";rport;branch=" + branch;
    sendText(draft.text(via));
  }

  /**
   * The next final response, waiting at most {@link #RECEIVE_TIMEOUT}; provisional responses are
   * skipped, and requests that arrive meanwhile are kept for {@link #nextRequest}.
   */
  Response nextResponse() throws IOException {
    while (true) {
      while (responses.isEmpty()) {
        receive("response");
      }
      Response r = responses.poll();
      if (r.getStatusCode() >= 200) {
        return r;
      }
    }
  }

  /**
   * The next request from Herald, waiting at most {@link #RECEIVE_TIMEOUT}; responses that arrive
   * meanwhile are kept for {@link #nextResponse}. A retransmission of a request already received
   * (Herald retransmits until answered, RFC 3261 §17.1.2.2) is not returned again; if the request
   * was answered, the answer is sent again.
   */
  Request nextRequest() throws IOException {
    while (requests.isEmpty()) {
      receive("request");
    }
    return requests.poll();
  }

  /** Answers a request from Herald (a NOTIFY) with {@code status}. */
  void answer(Request request, int status) throws IOException {
    try {
      String response = SipMessages.MESSAGES.createResponse(status, request).toString();
      answers.put(transactionKey(request), response);
      sendText(response);
    } catch (ParseException e) {
      throw new IllegalStateException("cannot answer " + request.getMethod(), e);
    }
  }

  private void receive(String what) throws IOException {
    byte[] buffer = new byte[65_535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      fail("no " + what + " from Herald within " + RECEIVE_TIMEOUT.toMillis() + " ms");
    }
    String text =
        new String(
            packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    Message message;
    try {
      message =
          text.startsWith("SIP/2.0 ")
              ? SipMessages.MESSAGES.createResponse(text)
              : SipMessages.MESSAGES.createRequest(text);
    } catch (ParseException e) {
      throw new AssertionError("Herald sent a message JAIN-SIP cannot parse:\n" + text, e);
    }
    if (message instanceof Response r) {
      responses.add(r);
    } else {
      Request r = (Request) message;
      String key = transactionKey(r);
      if (seen.add(key)) {
        requests.add(r);
      } else if (answers.containsKey(key)) {
        sendText(answers.get(key)); // as a server transaction would (RFC 3261 §17.2.2)
      }
    }
  }

  private static String transactionKey(Request r) {
    ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
    return via.getBranch() + " " + ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
  }

  private void sendText(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, herald));
  }

  @Override
  public void close() {
    socket.close();
  }

  /**
   * A request as raw text: the start line, the headers in the order given, Content-Length, the
   * body. Via is added when it is sent; Max-Forwards 70 is added unless a header sets it.
   */
  static final class Draft {
    private final String method;
    private final String requestUri;
    private final List<String> headers = new ArrayList<>();
    private String body = "";

    private Draft(String method, String requestUri) {
      this.method = method;
      this.requestUri = requestUri;
    }

    /** Adds a header line {@code name: value}, written exactly so (nothing is checked). */
    Draft header(String name, String value) {
      headers.add(name + ": " + value);
      return this;
    }

    Draft body(String text) {
      this.body = text;
      return this;
    }

    private String text(String via) {
      StringBuilder sb = new StringBuilder();
      sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
      sb.append("Via: ").append(via).append("\r\n");
      if (headers.stream().noneMatch(h -> h.regionMatches(true, 0, "Max-Forwards:", 0, 13))) {
        sb.append("Max-Forwards: 70\r\n");
      }
      for (String h : headers) {
        sb.append(h).append("\r\n");
      }
      sb.append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n\r\n")
          .append(body);
      return sb.toString();
    }
  }
}
